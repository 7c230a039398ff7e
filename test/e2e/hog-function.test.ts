// Today's form end to end: `npm run deploy` puts the site app into the stand-in's PostHog, and a page with the real
// posthog-js then gets it from config.js, compiled the way PostHog compiles site functions, and shows the popup. Also
// what a `{` in a text does, on a PostHog that honours the schema's `templating: false` and on one that ignores it.
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { EVENTS, FLAG, LINK, openWatchedTestPage, useHarness, waitForAppSettled, waitForPopup, type StandIn } from './browser'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')

let standIn: StandIn
let context: BrowserContext
useHarness(
    (harness) => ({ standIn, context } = harness),
    (standIn) => standIn.setDelivery('hog'),
)

/** The real CLI, as a team runs it, against the stand-in; resolves with its exit code and output. */
function deploy(settings: Record<string, unknown>): Promise<{ code: number; output: string }> {
    const file = join(mkdtempSync(join(tmpdir(), 'deploy-')), 'settings.json')
    writeFileSync(file, JSON.stringify(settings))
    const env = { ...process.env, POSTHOG_PERSONAL_API_KEY: standIn.personalApiKey }
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            // (deploy also makes the interview's flag; released to everyone here, where a team would start at 20%)
            ['scripts/deploy.mjs', '--host', standIn.url, '--project', String(standIn.projectId), '--rollout', '100', '--settings', file],
            { cwd: root, env, timeout: 60_000 },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
        )
    })
}

describe('npm run deploy, then a visitor', () => {
    it('deploys the site app, a page shows its popup; a second run updates that one app, and the page follows', async () => {
        const first = await deploy({ interviewConfigs: `${FLAG}=${LINK}`, invitationTitle: 'Talk to us', minDaysSinceLastSeenPopUp: '30' })
        expect(first.code, first.output).toBe(0)
        expect(standIn.hogFunctions()).toHaveLength(1)
        const [app] = standIn.hogFunctions()
        expect(app).toMatchObject({ type: 'site_app', name: 'User Interviewer', enabled: true })
        expect(app.inputs.minDaysSinceLastSeenPopUp.value).toBe(30)

        const { page, log } = await openWatchedTestPage(context, standIn)
        expect((await waitForPopup(page)).title).toBe('Talk to us')
        // It came as the deployed site function: its id in config.js, its inputs built in the page.
        const ids = await page.evaluate(
            (token) =>
                ((window as unknown as { _POSTHOG_REMOTE_CONFIG: Record<string, { siteApps: { id: string }[] }> })._POSTHOG_REMOTE_CONFIG[token]
                    .siteApps ?? []).map((loader) => loader.id),
            standIn.token,
        )
        expect(ids).toEqual([app.id])
        await standIn.waitForEvents(EVENTS.shown)

        const second = await deploy({ invitationTitle: 'Got 30 minutes?' })
        expect(second.code, second.output).toBe(0)
        expect(standIn.hogFunctions()).toHaveLength(1)
        const [updated] = standIn.hogFunctions()
        expect(updated.id).toBe(app.id)
        // The value set on the first run and not given again is kept.
        expect(updated.inputs.minDaysSinceLastSeenPopUp.value).toBe(30)
        expect(updated.inputs.invitationTitle.value).toBe('Got 30 minutes?')

        const fresh = await context.browser()!.newContext()
        try {
            const again = await fresh.newPage()
            await again.goto(standIn.testPageUrl())
            expect((await waitForPopup(again)).title).toBe('Got 30 minutes?')
        } finally {
            await fresh.close()
        }
        expect(log.errors).toEqual([])
    })
})

describe('a { in a text', () => {
    const TEXTS = {
        invitationTitle: 'Hello {person.properties.name}',
        footerHTML: 'Questions? {ask us}',
        bookButtonText: '{person.properties.missing}',
    }

    /** The person properties posthog-js keeps for flags, which PostHog's compiled inputs read as `person.properties`. */
    async function visitorNamed(name: string) {
        const page = await context.newPage()
        await page.goto(standIn.testPageUrl())
        await waitForAppSettled(page)
        await page.evaluate((n) => (window as unknown as { posthog: { setPersonPropertiesForFlags(p: object, reload: boolean): void } }).posthog.setPersonPropertiesForFlags({ name: n }, false), name)
        await page.close()
    }

    it('stays literal where PostHog honours templating: false', async () => {
        standIn.setSettings({ ...TEXTS, bookButtonText: 'Book {now}' })
        await visitorNamed('Ada')
        const { page } = await openWatchedTestPage(context, standIn, { templating: 'honour' })
        const popup = await waitForPopup(page)
        expect(popup.title).toBe('Hello {person.properties.name}')
        expect(popup.buttons.map((b) => b.text)).toEqual(['Close', 'Book {now}', '×'])
        expect(await page.locator('user-interviewer .footer').textContent()).toBe('Questions? {ask us}')
    })

    it('is a template where PostHog ignores it: filled from the person, and an empty result falls back to the default', async () => {
        // `{ask us}` is no valid template: such a PostHog refuses to save it (the stand-in leaves the function out).
        standIn.setSettings({ ...TEXTS, footerHTML: '' })
        await visitorNamed('Ada')
        const { page, log } = await openWatchedTestPage(context, standIn, { templating: 'ignore' })
        const popup = await waitForPopup(page)
        expect(popup.title).toBe('Hello Ada')
        // `{person.properties.missing}` comes out empty, so the app uses its own default text: never a blank button.
        expect(popup.buttons.map((b) => b.text)).toEqual(['Close', 'Book now', '×'])
        expect(log.errors).toEqual([])
    })
})
