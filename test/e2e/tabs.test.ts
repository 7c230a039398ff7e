// Several tabs, several copies of the app, impatient visitors: what the server receives is counted exactly once.
// Same browser context = same origin, same storage, same visitor (posthog-js's distinct id is shared too).
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
    APP_EVENT,
    EVENTS,
    hostElementCount,
    openTestPage,
    openWatchedTestPage,
    popupButton,
    syncEvents,
    waitForAppSettled,
    waitForPopup,
    windowEvents,
    type StandIn,
    FLAG,
    LINK,
    useHarness,
} from './browser'


let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness))


const appEvents = () => standIn.events(APP_EVENT).map((e) => e.event)

/** Waits until the page has no popup host left (e.g. closed by another tab's answer). */
const waitForNoPopup = (page: Page) =>
    page.waitForFunction(() => document.querySelectorAll('user-interviewer').length === 0, undefined, { timeout: 10_000, polling: 50 })

describe('two tabs, one visitor', () => {
    it('both show the invitation; answering in A closes B without a second answer; a third tab does not show it', async () => {
        const a = await openTestPage(context, standIn)
        await waitForPopup(a)
        const b = await openTestPage(context, standIn)
        await waitForPopup(b)
        await standIn.waitForEvents(EVENTS.shown, { count: 2 })

        await popupButton(a, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed)
        expect(await hostElementCount(a)).toBe(0)
        await waitForNoPopup(b) // the storage event from A's answer
        expect((await windowEvents(b)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed'])

        const c = await openTestPage(context, standIn)
        await waitForAppSettled(c)
        expect(await hostElementCount(c)).toBe(0)

        await Promise.all([a, b, c].map((page) => syncEvents(page, standIn)))
        expect(appEvents()).toEqual([EVENTS.shown, EVENTS.shown, EVENTS.dismissed])
        const visitors = new Set(standIn.events(APP_EVENT).map((e) => e.distinct_id))
        expect(visitors.size).toBe(1)
        // B, closed by A, could still be clicked by someone fast: nothing is left to click, nothing more is sent.
        expect(await hostElementCount(b)).toBe(0)
    })

    it('booking in A closes B; the booking redirect visited in two tabs counts one booking', async () => {
        const a = await openTestPage(context, standIn)
        await waitForPopup(a)
        const b = await openTestPage(context, standIn)
        await waitForPopup(b)
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(a, 'book').click()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        expect(tab.url()).toBe(LINK)
        await waitForNoPopup(b)
        await standIn.waitForEvents(EVENTS.clickedBook)

        // The booking tool redirects back; the visitor opens the redirect again in another tab (or twice).
        const redirect = { query: { bookedUserInterviewEvent: FLAG } }
        const first = await openTestPage(context, standIn, redirect)
        await standIn.waitForEvents(EVENTS.booked)
        await waitForAppSettled(first)
        const second = await openTestPage(context, standIn, redirect)
        await waitForAppSettled(second)
        expect(await hostElementCount(first)).toBe(0)
        expect(await hostElementCount(second)).toBe(0)

        await Promise.all([a, b, first, second].map((page) => syncEvents(page, standIn)))
        expect(appEvents()).toEqual([EVENTS.shown, EVENTS.shown, EVENTS.clickedBook, EVENTS.booked])
    })
})

describe('inject called twice on one page', () => {
    it('legacy delivery: running the site app script a second time after the popup is shown adds nothing', async () => {
        standIn.setDelivery('legacy')
        const { page, log } = await openWatchedTestPage(context, standIn)
        await waitForPopup(page)
        await waitForAppSettled(page)
        await page.evaluate(
            () =>
                new Promise<void>((resolve, reject) => {
                    const src = (document.querySelector('script[src*="/site_app/"]') as HTMLScriptElement).src
                    const again = document.createElement('script')
                    again.src = src
                    again.onload = () => resolve()
                    again.onerror = () => reject(new Error(`could not load ${src} again`))
                    document.head.appendChild(again)
                }),
        )
        expect(await page.evaluate(() => document.querySelectorAll('script[src*="/site_app/"]').length)).toBe(2)
        await syncEvents(page, standIn)
        expect(await hostElementCount(page)).toBe(1)
        expect(standIn.events(EVENTS.shown)).toHaveLength(1)
        expect((await windowEvents(page)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened'])

        await popupButton(page, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed)
        await syncEvents(page, standIn)
        expect(appEvents()).toEqual([EVENTS.shown, EVENTS.dismissed])
        expect(log.errors).toEqual([])
    })

    it('inline delivery: a second inject while flags are still loading, then flags arrive: one popup, one shown event', async () => {
        // Hold posthog-js's flags request until both copies of the app are waiting for flags.
        let release!: () => void
        const released = new Promise<void>((resolve) => (release = resolve))
        await context.route(
            (url) => url.pathname.startsWith('/flags'),
            async (route) => {
                await released
                await route.fallback()
            },
        )
        const page = await openTestPage(context, standIn)
        type Loader = { init(config: { posthog: unknown; callback(ok: boolean): void }): unknown }
        await page.waitForFunction(
            (token) => {
                const w = window as unknown as {
                    posthog?: { siteApps?: { apps?: Record<string, { loaded?: boolean }> } }
                    _POSTHOG_REMOTE_CONFIG?: Record<string, { siteApps?: unknown[] }>
                }
                const apps = Object.values(w.posthog?.siteApps?.apps ?? {})
                return !!w._POSTHOG_REMOTE_CONFIG?.[token]?.siteApps?.length && apps.length > 0 && apps.every((a) => a.loaded)
            },
            standIn.token,
            { timeout: 10_000, polling: 50 },
        )
        const second = await page.evaluate((token) => {
            const w = window as unknown as { posthog: unknown; _POSTHOG_REMOTE_CONFIG: Record<string, { siteApps: Loader[] }> }
            return new Promise<boolean>((resolve) => {
                w._POSTHOG_REMOTE_CONFIG[token].siteApps[0].init({ posthog: w.posthog, callback: resolve })
            })
        }, standIn.token)
        expect(second).toBe(true)
        expect(await hostElementCount(page)).toBe(0) // no flags yet

        release()
        await waitForPopup(page)
        await waitForAppSettled(page)
        await syncEvents(page, standIn)
        expect(await hostElementCount(page)).toBe(1)
        expect(standIn.events(EVENTS.shown)).toHaveLength(1)
        expect((await windowEvents(page)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened'])
    })

    it('inline delivery: a second inject after the popup is shown adds nothing', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await waitForAppSettled(page)
        const ok = await page.evaluate((token) => {
            const w = window as unknown as {
                posthog: unknown
                _POSTHOG_REMOTE_CONFIG: Record<string, { siteApps: { init(c: { posthog: unknown; callback(ok: boolean): void }): unknown }[] }>
            }
            return new Promise<boolean>((resolve) => w._POSTHOG_REMOTE_CONFIG[token].siteApps[0].init({ posthog: w.posthog, callback: resolve }))
        }, standIn.token)
        expect(ok).toBe(true)
        await syncEvents(page, standIn)
        expect(await hostElementCount(page)).toBe(1)
        expect(standIn.events(EVENTS.shown)).toHaveLength(1)
    })
})

describe('exactly once at the server', () => {
    it('a double-click on Book sends one clicked-book event and opens one tab', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').dblclick()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        await standIn.waitForEvents(EVENTS.clickedBook)
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.clickedBook)).toHaveLength(1)
        expect(appEvents()).toEqual([EVENTS.shown, EVENTS.clickedBook])
        expect(context.pages()).toHaveLength(2)
        expect(await hostElementCount(page)).toBe(0)
    })

    it('two clicks in the same task (before any re-render) send one answer', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await page.evaluate(() => {
            const root = document.querySelector('user-interviewer')!.shadowRoot!
            const close = root.querySelector('button.close') as HTMLButtonElement
            close.click()
            close.click()
            close.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
        })
        await standIn.waitForEvents(EVENTS.dismissed)
        await syncEvents(page, standIn)
        expect(appEvents()).toEqual([EVENTS.shown, EVENTS.dismissed])
    })
})
