// Hostile host pages, in real Chromium with the real posthog-js: a strict Content-Security-Policy, aggressive host CSS,
// blocked storage, a visitor who opted out, and single-page-app navigation. What the popup looks like is read from
// computed styles inside its shadow root; what it recorded is what the stand-in received.
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
    APP_EVENT,
    EVENTS,
    SEEN,
    hostElementCount,
    openTestPage,
    openWatchedTestPage,
    popupButton,
    syncEvents,
    waitForAppSettled,
    waitForPopup,
    waitUntil,
    windowEvents,
    type StandIn,
    FLAG,
    reloadFlags,
    useHarness,
    DELIVERIES,
} from './browser'

const BOOK_BG = '#0a7d32'

let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness), (s) => s.setSettings({ bookButtonBackground: BOOK_BG, theme: 'light' }))


const appEvents = () => standIn.events(APP_EVENT)
const appWarnings = (lines: string[]) => lines.filter((line) => line.includes('[User Interviewer]'))

/** Records CSP violations from the very start of every page of the context, in `window.__cspViolations`. */
async function recordCspViolations(ctx: BrowserContext): Promise<void> {
    await ctx.addInitScript(() => {
        const w = window as unknown as { __cspViolations: string[] }
        w.__cspViolations = []
        document.addEventListener('securitypolicyviolation', (e) =>
            w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
        )
    })
}

const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)

type Styles = Record<string, string>
interface Look {
    dialog: Styles
    title: Styles
    body: Styles
    buttons: Record<string, Styles>
}

/** The box and computed styles of the popup's parts, read inside its shadow root once its entry animation is over. */
function readLook(page: Page): Promise<Look> {
    return page.evaluate(async () => {
        const PROPS = [
            'position', 'display', 'box-sizing', 'font-family', 'font-size', 'font-weight', 'font-style', 'line-height',
            'letter-spacing', 'text-transform', 'text-decoration-line', 'color', 'background-color', 'padding-top',
            'padding-right', 'padding-bottom', 'padding-left', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
            'border-top-width', 'border-top-style', 'border-top-color', 'border-top-left-radius', 'transform', 'z-index',
            'text-align', 'visibility', 'opacity',
        ]
        const root = document.querySelector('user-interviewer')!.shadowRoot!
        const read = (el: Element | null): Record<string, string> => {
            if (!el) return { missing: 'yes' }
            const style = getComputedStyle(el)
            const box = el.getBoundingClientRect()
            const out: Record<string, string> = { x: `${box.x}px`, y: `${box.y}px`, width: `${box.width}px`, height: `${box.height}px` }
            for (const prop of PROPS) out[prop] = style.getPropertyValue(prop)
            return out
        }
        const dialog = root.querySelector('[role="dialog"]')!
        await Promise.all(dialog.getAnimations({ subtree: true }).map((a) => a.finished))
        const buttons: Record<string, Record<string, string>> = {}
        for (const b of dialog.querySelectorAll('button')) buttons[b.className] = read(b)
        return { dialog: read(dialog), title: read(dialog.querySelector('h2')), body: read(dialog.querySelector('p')), buttons }
    })
}

/** Equal, except that numbers may differ by up to 1 (px), e.g. from sub-pixel layout. */
function expectSameLook(actual: Look, expected: Look) {
    const flatten = (look: Look) => {
        const out: Record<string, string> = {}
        const add = (part: string, styles: Styles) => Object.entries(styles).forEach(([k, v]) => (out[`${part}.${k}`] = v))
        add('dialog', look.dialog)
        add('title', look.title)
        add('body', look.body)
        Object.entries(look.buttons).forEach(([action, styles]) => add(`button[${action}]`, styles))
        return out
    }
    const a = flatten(actual)
    const e = flatten(expected)
    expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort())
    const numbers = (v: string) => (v.match(/-?\d+(\.\d+)?/g) ?? []).map(Number)
    const skeleton = (v: string) => v.replace(/-?\d+(\.\d+)?/g, '#')
    const differences = Object.keys(e).filter((key) => {
        if (skeleton(a[key]) !== skeleton(e[key])) return true
        const na = numbers(a[key])
        const ne = numbers(e[key])
        return na.some((n, i) => Math.abs(n - ne[i]) > 1)
    })
    expect(
        differences.map((key) => `${key}: ${a[key]} (plain page: ${e[key]})`),
        'computed styles that differ on the hostile page',
    ).toEqual([])
}

describe.each(DELIVERIES)('strict CSP (%s delivery)', (delivery) => {
    it('shows the styled popup with no CSP violation, and the answer still reaches the server', async () => {
        standIn.setDelivery(delivery)
        await recordCspViolations(context)
        const { page, log } = await openWatchedTestPage(context, standIn, { csp: 'strict' })
        // The page really is under the strict policy: an inline style is refused.
        const response = await page.request.get(page.url())
        expect(response.headers()['content-security-policy']).toMatch(/style-src 'self';/)
        expect(response.headers()['content-security-policy']).not.toContain('unsafe-inline')

        await waitForPopup(page)
        const look = await readLook(page)
        expect(look.dialog).toMatchObject({
            position: 'fixed',
            'background-color': 'rgb(255, 255, 255)',
            'padding-top': '20px',
            'padding-left': '20px',
            'border-top-left-radius': '12px',
            'font-size': '14px',
        })
        expect(look.title['font-size']).toBe('18px')
        expect(look.buttons.book['background-color']).toBe('rgb(10, 125, 50)')
        expect(look.buttons.book.color).toBe('rgb(255, 255, 255)')
        // Bottom right, 16px in, as the stylesheet says: the stylesheet was applied, not just parsed.
        const viewport = page.viewportSize()!
        expect(parseFloat(look.dialog.x) + parseFloat(look.dialog.width)).toBeCloseTo(viewport.width - 16, 0)
        expect(parseFloat(look.dialog.y) + parseFloat(look.dialog.height)).toBeCloseTo(viewport.height - 16, 0)

        await standIn.waitForEvents(EVENTS.shown)
        await popupButton(page, 'close').click()
        const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
        expect(dismissed.properties.featureFlagName).toBe(FLAG)
        expect(dismissed.set[`${SEEN} - ${FLAG}`]).toBeTruthy()
        expect(await hostElementCount(page)).toBe(0)

        // No violation, no console error, from posthog-js or the app, through showing and answering.
        await syncEvents(page, standIn)
        expect(await cspViolations(page)).toEqual([])
        expect(log.console.filter((line) => line.startsWith('error:') || /Content.Security.Policy/i.test(line))).toEqual([])
        // And that silence means something: the page does report a violation (an inline style from markup).
        await page.evaluate(() => {
            const div = document.createElement('div')
            div.innerHTML = '<span style="color: red">probe</span>'
            document.body.appendChild(div)
        })
        await waitUntil(async () => (await cspViolations(page)).length > 0, { message: 'the CSP probe was not reported' })
        expect((await cspViolations(page))[0]).toMatch(/^style-src-attr /)
        expect(log.errors).toEqual([])
    })
})

describe("posthog-js's inline site-app loader", () => {
    // posthog-js 1.449 `setupSiteApp` does `const { processEvent } = loader.init(...)`, and PostHog's inline loader
    // returns whatever `inject` returns: `inject` must return an object, or posthog-js throws inside its own
    // try/catch, logs "Error while initializing PostHog app", and marks the app as errored.
    it('does not mark the app as errored, and logs no error for it (posthog-js debug on)', async () => {
        const { page, log } = await openWatchedTestPage(context, standIn, { init: { debug: true } })
        await waitForPopup(page)
        await waitForAppSettled(page)
        const apps = await page.evaluate(() =>
            Object.values((window as unknown as { posthog: { siteApps: { apps: Record<string, unknown> } } }).posthog.siteApps.apps),
        )
        expect(log.console.filter((line) => line.startsWith('error:'))).toEqual([])
        expect(apps).toEqual([expect.objectContaining({ loaded: true, errored: false })])
    })
})

describe('hostile host CSS', () => {
    it('looks the same as on a plain page: box size and computed styles of the dialog, title, body and buttons', async () => {
        const plain = await openTestPage(context, standIn)
        await waitForPopup(plain)
        const expected = await readLook(plain)

        const { page: hostile, log } = await openWatchedTestPage(context, standIn, { hostile: true })
        await waitForPopup(hostile)
        // The hostile sheet is really active on the host page.
        const hostH2 = await hostile.evaluate(() => getComputedStyle(document.querySelector('main h2')!).fontSize)
        expect(hostH2).toBe('60px')
        expect(await hostile.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('30px')

        expectSameLook(await readLook(hostile), expected)
        expect(expected.dialog['font-size']).toBe('14px')
        expect(expected.buttons.book['background-color']).toBe('rgb(10, 125, 50)')

        // Nothing of the popup leaks out: the host page's own elements keep the hostile styles.
        const hostButton = await hostile.evaluate(() => {
            const s = getComputedStyle(document.querySelector('#host-button')!)
            return { bg: s.backgroundColor, size: s.fontSize, radius: s.borderTopLeftRadius }
        })
        expect(hostButton).toEqual({ bg: 'rgb(255, 0, 0)', size: '40px', radius: '0px' })
        expect(log.errors).toEqual([])
    })
})

describe('storage blocked', () => {
    /** The page has no storage at all: touching window.localStorage throws. */
    const storageThrows = (page: Page) =>
        page.evaluate(() => {
            try {
                return typeof window.localStorage
            } catch {
                return 'throws'
            }
        })

    /** Shows, gets answered with Book, and checks what one page load logged. Returns the page's log. */
    async function answerOnBlockedStoragePage() {
        const { page, log } = await openWatchedTestPage(context, standIn, { blockStorage: true })
        expect(await storageThrows(page)).toBe('throws')
        await waitForPopup(page)
        await standIn.waitForEvents(EVENTS.shown)
        await popupButton(page, 'book').click()
        const [clicked] = await standIn.waitForEvents(EVENTS.clickedBook)
        expect(clicked.properties.featureFlagName).toBe(FLAG)
        // Anonymous: PostHog keeps no person property yet; the flag filter works from posthog-js's persisted ones.
        expect(standIn.personProperties(clicked.distinct_id)[`${SEEN} - ${FLAG}`]).toBeUndefined()
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        const warnings = appWarnings(log.console)
        expect(warnings.filter((line) => /storage/i.test(line))).toHaveLength(1)
        expect(warnings.every((line) => /^warning: \[User Interviewer\] /.test(line))).toBe(true)
        return { page, log, warnings }
    }

    it('the flag filter (person property is not set) stops it on reload; one storage warning per page; no page errors', async () => {
        standIn.setFlags({ [FLAG]: { unlessPersonHas: `${SEEN} - ${FLAG}` } })
        const { page, log, warnings } = await answerOnBlockedStoragePage()
        await page.reload()
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        // Same visitor across the reload (posthog-js kept its id without localStorage).
        expect(new Set(standIn.events().map((e) => e.distinct_id)).size).toBe(1)
        expect(appEvents().map((e) => e.event)).toEqual([EVENTS.shown, EVENTS.clickedBook])
        expect(appWarnings(log.console).slice(warnings.length).filter((line) => /storage/i.test(line)).length).toBeLessThanOrEqual(1)
        expect(log.errors).toEqual([])
    })

    it("with the flag still on at the server, posthog-js's persisted person properties keep it from coming back", async () => {
        const { page, log } = await answerOnBlockedStoragePage()
        await page.reload()
        await waitForAppSettled(page)
        expect(await storageThrows(page)).toBe('throws')
        // The server still says the flag is on for this person...
        expect(await page.evaluate((flag) => (window as unknown as { posthog: { isFeatureEnabled(f: string): boolean } }).posthog.isFeatureEnabled(flag), FLAG)).toBe(true)
        // ...but the answer is remembered (posthog-js's cookie persistence of the $set person properties): no popup.
        const stored = await page.evaluate(
            () => (window as unknown as { posthog: { get_property(n: string): Record<string, unknown> | undefined } }).posthog.get_property('$stored_person_properties') ?? {},
        )
        expect(stored[`${SEEN} - ${FLAG}`]).toEqual(expect.any(String))
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(appEvents().map((e) => e.event)).toEqual([EVENTS.shown, EVENTS.clickedBook])
        expect(log.errors).toEqual([])
    })
})

describe('opted out', () => {
    it('a host page that opts visitors out by default: no host element, no app events, nothing stored', async () => {
        const { page, log } = await openWatchedTestPage(context, standIn, { init: { opt_out_capturing_by_default: true } })
        await waitForAppSettled(page)
        // The app did load and run (it called back), it just stood down.
        const app = await page.evaluate(() => {
            const ph = (window as unknown as { posthog: { has_opted_out_capturing(): boolean; siteApps: { apps: Record<string, { loaded: boolean }> } } }).posthog
            return { optedOut: ph.has_opted_out_capturing(), apps: Object.values(ph.siteApps.apps) }
        })
        expect(app.optedOut).toBe(true)
        expect(app.apps).toEqual([expect.objectContaining({ loaded: true })])
        expect(await hostElementCount(page)).toBe(0)
        expect(await windowEvents(page)).toEqual([])
        expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('user_interview')))).toEqual([])
        // A flag reload while opted out changes nothing.
        await reloadFlags(page)
        expect(await hostElementCount(page)).toBe(0)
        // Nothing from this page reached the server. (Opted out, posthog-js sends nothing at all: the stand-in saw no
        // capture request.)
        expect(standIn.requests().filter((r) => /\/(e|i\/v0\/e|batch|capture)\/?/.test(r.path))).toEqual([])
        expect(appEvents()).toEqual([])
        expect(appWarnings(log.console)).toEqual([])
        expect(log.errors).toEqual([])
    })
})

describe('single-page-app navigation', () => {
    it('keeps the popup through history.pushState, back, and a swapped <body> (Turbo-style), with one shown event', async () => {
        const { page, log } = await openWatchedTestPage(context, standIn)
        await waitForPopup(page)
        await standIn.waitForEvents(EVENTS.shown)
        await page.evaluate(() => {
            ;(document.querySelector('user-interviewer') as HTMLElement & { __mark?: number }).__mark = 1
            history.pushState({ page: 2 }, '', '/somewhere/else?tab=2')
            window.dispatchEvent(new PopStateEvent('popstate', { state: { page: 2 } }))
        })
        expect(new URL(page.url()).pathname).toBe('/somewhere/else')
        await waitForPopup(page)

        // A framework that renders the new route by replacing <body>: the popup is put back on the new body.
        await page.evaluate(() => {
            const next = document.createElement('body')
            next.innerHTML = '<main><h1>Route 2</h1></main>'
            document.body = next
        })
        await waitForPopup(page)
        expect(
            await page.evaluate(() => {
                const hosts = document.querySelectorAll('user-interviewer')
                return { count: hosts.length, same: (hosts[0] as HTMLElement & { __mark?: number }).__mark === 1, inBody: hosts[0].parentElement === document.body }
            }),
        ).toEqual({ count: 1, same: true, inBody: true })

        await page.goBack({ waitUntil: 'commit' })
        await waitUntil(() => new URL(page.url()).pathname === '/test', { message: 'history.back did not return' })
        await waitForPopup(page)

        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.shown)).toHaveLength(1)
        await popupButton(page, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed)
        await syncEvents(page, standIn)
        expect(appEvents().map((e) => e.event)).toEqual([EVENTS.shown, EVENTS.dismissed])
        expect((await windowEvents(page)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed'])
        expect(log.errors).toEqual([])
    })
})
