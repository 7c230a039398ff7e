// dist/site-app.ts (the HogFunction) and dist/site.ts (the plugin form) are what a user installs. PostHog transpiles
// each one file with Babel (no bundler, no require) and wraps it; this test does exactly the same and checks the
// result runs and shows a popup, and that both are within the size budget as served.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { servedSizes, SIZE_BUDGET } from '../../bench/size.mjs'
import { transpileSiteApp } from '../../dev/posthog-standin.mjs'
import { afterNextPaint, fakePosthog } from './fake-posthog'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const distFile = join(root, 'dist/site.ts')

let served = ''
let servedGzip = 0

beforeAll(() => {
    if (!existsSync(distFile)) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: root })
    // PostHog's own transpile (plugin-transpiler's `site` preset) and wrapper.
    const sizes = servedSizes(readFileSync(distFile, 'utf8'))
    served = sizes.servedCode
    servedGzip = sizes.gzip
})

describe('dist/site.ts as PostHog serves it', () => {
    it('ships the installable folder', () => {
        for (const file of ['dist/plugin.json', 'dist/README.md']) expect(existsSync(join(root, file))).toBe(true)
        const plugin = JSON.parse(readFileSync(join(root, 'dist/plugin.json'), 'utf8'))
        expect(plugin.config.find((entry: { key?: string }) => entry.key === 'interviewConfigs')).toMatchObject({ required: true, site: true })
    })

    it('is self-contained: no import, require or runtime helpers left', () => {
        const source = readFileSync(distFile, 'utf8')
        expect(source).not.toMatch(/(^|[;}\n])\s*import\s*[{*\w"']|\brequire\(/)
        expect(served).not.toMatch(/\brequire\(|regeneratorRuntime|core-js/)
    })

    it('runs through the inline wrapper and shows a popup for a targeted flag', async () => {
        document.body.innerHTML = ''
        delete (window as unknown as Record<string, unknown>).__userInterviewer
        localStorage.clear()
        const app = new Function(`return ${served}`)()()
        expect(typeof app.inject).toBe('function')
        const posthog = fakePosthog()
        const callback = vi.fn()
        app.inject({ config: { interviewConfigs: 'user-interview=https://cal.test/30min' }, posthog, callback })
        expect(callback).toHaveBeenCalledWith(true)
        posthog.loadFlags(['user-interview'])
        // Rendered in a task of its own (happy-dom's page is a visible one), the shown event sent after its paint.
        await afterNextPaint()
        const host = document.querySelector('user-interviewer')!
        expect(host.shadowRoot!.querySelector('[role="dialog"] h2')!.textContent).toBe('Help us improve!')
        await afterNextPaint()
        expect(posthog.captured).toEqual([{ event: 'User Interview Shown Pop Up', properties: { featureFlagName: 'user-interview' } }])
        ;(host.shadowRoot!.querySelector('button.close') as HTMLButtonElement).click()
        expect(document.querySelector('user-interviewer')).toBeNull()
        expect(posthog.captured[1].event).toBe('User Interview Dismissed Pop Up')
    })

    it('is within the size budget, gzipped as visitors download it', () => {
        // `npm test` also runs bench/size.mjs, which prints the figures; this keeps the check in the test report.
        expect(servedGzip).toBeLessThanOrEqual(SIZE_BUDGET)
    })

    it('runs through the legacy site_app script form', async () => {
        document.body.innerHTML = ''
        delete (window as unknown as Record<string, unknown>).__userInterviewer
        localStorage.clear()
        const posthog = fakePosthog()
        ;(window as unknown as Record<string, unknown>)['__$$ph_site_app_7'] = posthog
        const config = JSON.stringify({ interviewConfigs: 'user-interview=https://cal.test/30min' })
        new Function(`${served}().inject({config:${config},posthog:window['__$$ph_site_app_7']})`)()
        posthog.loadFlags(['user-interview'])
        await new Promise((resolve) => setTimeout(resolve))
        expect(document.querySelector('user-interviewer')).not.toBeNull()
    })
})

describe('dist/site-app.ts as PostHog compiles it into a site function', () => {
    const siteAppFile = join(root, 'dist/site-app.ts')

    it('is one self-contained source under 100 KB that exports onLoad and no onEvent', () => {
        const source = readFileSync(siteAppFile, 'utf8')
        expect(Buffer.byteLength(source)).toBeLessThan(100 * 1024)
        expect(source).not.toMatch(/(^|[;}\n])\s*import\s*[{*\w"']|\brequire\(/)
        const exports = new Function(`return ${transpileSiteApp(source)}`)()()
        expect(typeof exports.onLoad).toBe('function')
        // posthog-js would run a filter on every captured event for an exported onEvent; a site app has no mappings.
        expect('onEvent' in exports).toBe(false)
        expect('inject' in exports).toBe(false)
    })

    it("runs through PostHog's transpile and shows a popup from typed inputs", async () => {
        document.body.innerHTML = ''
        delete (window as unknown as Record<string, unknown>).__userInterviewer
        localStorage.clear()
        const source = new Function(`return ${transpileSiteApp(readFileSync(siteAppFile, 'utf8'))}`)()()
        const posthog = fakePosthog()
        expect(source.onLoad({ inputs: { interviewConfigs: 'user-interview=https://cal.test/30min', minDaysSinceLastSeenPopUp: 90, position: 'center' }, posthog })).toBeUndefined()
        posthog.loadFlags(['user-interview'])
        await afterNextPaint()
        const dialog = document.querySelector('user-interviewer')!.shadowRoot!.querySelector('[role="dialog"]')!
        expect(dialog.className).toContain('center')
        await afterNextPaint()
        expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up'])
    })

    it('is within the size budget, gzipped as visitors download it', () => {
        expect(servedSizes(readFileSync(siteAppFile, 'utf8')).gzip).toBeLessThanOrEqual(SIZE_BUDGET)
    })
})
