// A campaign from start to target, as a team runs it: `npm run deploy` (the real CLI) makes the site app and the
// interview's flag in the stand-in; visitors in Chromium with the real posthog-js get the popup through that flag and
// book (the booking tool's redirect); `npm run status` (the real CLI) prints the funnel and the bookers from the
// stand-in's query API, and `--stop-at-target` switches the flag off at the target and not before.
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENTS, FLAG, LINK, launchBrowser, newContext, openTestPage, popupButton, readPopup, startHarness, waitForAppSettled, waitForPopup, type StandIn } from './browser'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const KEY = 'phx_e2e_campaign_key_abcdef0123456789'
const SCOPES = ['hog_function:write', 'feature_flag:write', 'query:read']

let browser: Browser
let standIn: StandIn
const outputs: string[] = []

beforeAll(async () => {
    ;[browser, standIn] = await Promise.all([launchBrowser(), startHarness({ log: () => {}, personalApiKeys: { [KEY]: SCOPES } })])
    // The deployed HogFunction is what the page runs (config.js serves the stored site functions).
    standIn.setDelivery('hog')
    standIn.setFlags({}, { replace: true })
})

afterAll(async () => {
    await Promise.all([browser?.close(), standIn?.close()])
})

/** `node scripts/<command>.mjs ...` with the key in its environment only. */
function cli(command: 'deploy' | 'status', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, POSTHOG_PERSONAL_API_KEY: KEY }
    return new Promise((resolve) => {
        execFile(process.execPath, [`scripts/${command}.mjs`, '--host', standIn.url, '--project', String(standIn.projectId), ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
            outputs.push(stdout, stderr)
            resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
        })
    })
}

/** A new visitor: the invitation through the deployed flag, Book, then the booking tool's redirect back. */
async function visitorBooks() {
    const context = await newContext(browser)
    try {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await popupButton(page, 'book').click()
        const back = await openTestPage(context, standIn, { query: { bookedUserInterviewEvent: FLAG } })
        await waitForAppSettled(back)
        return await page.evaluate(() => (window as unknown as { posthog: { get_distinct_id(): string } }).posthog.get_distinct_id())
    } finally {
        await context.close()
    }
}

const flag = () => standIn.featureFlags().find((f) => f.key === FLAG && !f.deleted)

describe('a campaign: deploy, visitors book, status, stop at the target', () => {
    it('runs from the flag deploy made to the flag switched off at its target', async () => {
        const file = join(mkdtempSync(join(tmpdir(), 'campaign-')), 'settings.json')
        writeFileSync(file, JSON.stringify({ interviewConfigs: `${FLAG}=${LINK}`, targetBookings: 2 }))
        const deployed = await cli('deploy', ['--rollout', '100', '--settings', file])
        expect(deployed.stderr).toBe('')
        expect(flag()).toMatchObject({ active: true })

        const first = await visitorBooks()
        await standIn.waitForEvents(EVENTS.booked)
        const below = await cli('status', ['--stop-at-target'])
        expect(below.stderr).toBe('')
        expect(below.stdout).toContain(`${FLAG}: flag on`)
        expect(below.stdout).toContain('shown 1, clicked 1, booked 1')
        expect(below.stdout).toContain('target 2: 1 to go (1 of 2)')
        expect(below.stdout).toContain(`/project/${standIn.projectId}/person/${encodeURIComponent(first)}`)
        expect(flag()).toMatchObject({ active: true })

        const second = await visitorBooks()
        await standIn.waitForEvents(EVENTS.booked, { count: 2 })
        const plain = await cli('status', ['--json'])
        const report = JSON.parse(plain.stdout)
        expect(report.interviews[0]).toMatchObject({ flag: FLAG, shown: 2, clicked: 2, booked: 2, target: 2, reached: true, stopped: false })
        expect(report.interviews[0].bookers.map((b: { distinctId: string }) => b.distinctId)).toEqual([first, second])
        expect(flag()).toMatchObject({ active: true }) // no flag touched without --stop-at-target

        const reached = await cli('status', ['--stop-at-target'])
        expect(reached.stderr).toBe('')
        expect(reached.stdout).toContain('Switched the flag off: 2 bookings reached the target of 2.')
        expect(flag()).toMatchObject({ active: false })

        // The next visitor is not invited: the flag is off.
        const context = await newContext(browser)
        const page = await openTestPage(context, standIn)
        await waitForAppSettled(page)
        expect(await readPopup(page)).toBeNull()
        await context.close()
    })

    it('the key appears in no output', () => {
        expect(outputs.length).toBeGreaterThan(4)
        for (const text of outputs) expect(text).not.toContain(KEY)
    })
})
