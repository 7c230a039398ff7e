// dist/site.ts is what a user installs. PostHog transpiles that one file with Babel (no bundler, no require) and
// wraps it; this test does exactly the same and checks the result runs and shows a popup.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { servedSizes, SIZE_BUDGET } from '../../bench/size.mjs'
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
