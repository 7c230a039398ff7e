// End-to-end harness: the system's Chromium driven by playwright-core, the real posthog-js, and the PostHog
// stand-in (dev/posthog-standin.mjs) serving the built site app. Helpers wait on conditions, never on fixed sleeps.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { startStandIn, type StandIn, type StandInOptions, type TestPageOptions } from '../../dev/posthog-standin.mjs'
import { CHROMIUM_ARGS, chromiumPath } from '../../dev/chromium.mjs'

export type { StandIn, TestPageOptions, ReceivedEvent } from '../../dev/posthog-standin.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Default event names (plugin.json defaults). */
export const EVENTS = {
    shown: 'User Interview Shown Pop Up',
    dismissed: 'User Interview Dismissed Pop Up',
    clickedBook: 'User Interview Clicked Book Button',
    booked: 'User Interview Booked',
} as const
export const SEEN = 'Seen User Interview Invitation'
export const APP_EVENT = /^User Interview /

export function launchBrowser(): Promise<Browser> {
    return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
}

function newestMtime(path: string): number {
    const st = statSync(path)
    if (!st.isDirectory()) return st.mtimeMs
    let newest = 0
    for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
    return newest
}

/** Builds dist/ when a built file is missing or older than the entries or src/ (`npm test` builds first anyway). */
export async function ensureBuilt(): Promise<void> {
    const built = ['site.ts', 'site-app.ts', 'hog-function.json'].map((file) => join(root, 'dist', file))
    const sources = ['site.ts', 'site-app.ts', 'src'].map((p) => join(root, p)).filter((p) => existsSync(p))
    const newestSource = Math.max(...sources.map(newestMtime))
    const stale = built.some((file) => !existsSync(file) || newestSource > statSync(file).mtimeMs)
    if (!stale) return
    const configPath: string = join(root, 'esbuild.config.mjs')
    const { buildSiteApp } = (await import(configPath)) as { buildSiteApp: () => Promise<string> }
    await buildSiteApp()
}

/** Builds the app if needed and starts a stand-in on a random loopback port. */
export async function startHarness(options: StandInOptions = {}): Promise<StandIn> {
    await ensureBuilt()
    return startStandIn(options)
}

const WINDOW_EVENTS = ['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed']

/**
 * A fresh context: no storage, only loopback reachable (any other host gets a stub page, so a booking link opened
 * in a new tab never leaves the machine), and the app's window events recorded in `window.__uiWindowEvents`.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.route(
        (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
        (route) =>
            route.fulfill({
                status: 200,
                contentType: 'text/html',
                body: '<!doctype html><title>external stub</title><p>Stand-in for an external page.</p>',
            }),
    )
    await context.addInitScript((names: string[]) => {
        const w = window as unknown as { __uiWindowEvents: { type: string; detail: unknown }[] }
        w.__uiWindowEvents = []
        for (const name of names) {
            window.addEventListener(name, (e) => w.__uiWindowEvents.push({ type: name, detail: (e as CustomEvent).detail }))
        }
    }, WINDOW_EVENTS)
    return context
}

/** Opens the stand-in's test page (posthog-js + the app) in a new page of `context`. */
export async function openTestPage(context: BrowserContext, standIn: StandIn, options: TestPageOptions = {}): Promise<Page> {
    const page = await context.newPage()
    await page.goto(standIn.testPageUrl(options))
    return page
}

/**
 * Opens the test page with posthog-js's flags request held until `release()`: what a test does on the page first
 * (typing in a field, scrolling) happens before the popup may appear.
 */
export async function openTestPageHoldingFlags(
    context: BrowserContext,
    standIn: StandIn,
    options: TestPageOptions = {},
): Promise<{ page: Page; release: () => void }> {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const page = await context.newPage()
    await page.route(
        (url) => url.pathname.startsWith('/flags'),
        async (route) => {
            await held
            await route.continue()
        },
    )
    await page.goto(standIn.testPageUrl(options))
    return { page, release }
}

/** Like openTestPage, also recording the page's console and uncaught errors from before it loads. */
export async function openWatchedTestPage(
    context: BrowserContext,
    standIn: StandIn,
    options: TestPageOptions = {},
): Promise<{ page: Page; log: PageLog }> {
    const page = await context.newPage()
    const log = watchPage(page)
    await page.goto(standIn.testPageUrl(options))
    return { page, log }
}

export interface PageLog {
    /** Console messages as `type: text`. */
    console: string[]
    /** Uncaught exceptions in the page. */
    errors: string[]
}

/** Records the page's console output and uncaught errors from now on (e.g. to assert the app never throws). */
export function watchPage(page: Page): PageLog {
    const log: PageLog = { console: [], errors: [] }
    page.on('console', (m) => log.console.push(`${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => log.errors.push(String(e && e.stack ? e.stack : e)))
    return log
}

export async function windowEvents(page: Page): Promise<{ type: string; detail: unknown }[]> {
    return page.evaluate(() => (window as unknown as { __uiWindowEvents?: { type: string; detail: unknown }[] }).__uiWindowEvents ?? [])
}

/**
 * Resolves once posthog-js has loaded flags and the site app has been loaded by posthog-js (inline: the loader's
 * `init` returned and called back; legacy: the site app script ran). By then the app has decided what to show.
 */
export async function waitForAppSettled(page: Page, timeout = 10_000): Promise<void> {
    await page.waitForFunction(
        () => {
            type Ph = {
                __loaded?: boolean
                featureFlags?: { hasLoadedFlags?: boolean }
                siteApps?: { apps?: Record<string, { loaded?: boolean; errored?: boolean }> }
            }
            const ph = (window as unknown as { posthog?: Ph }).posthog
            if (!ph || !ph.__loaded || !ph.featureFlags?.hasLoadedFlags) return false
            const inline = Object.values(ph.siteApps?.apps ?? {})
            if (inline.length) return inline.every((a) => a.loaded)
            const script = document.querySelector('script[src*="/site_app/"]') as
                | (HTMLScriptElement & { __posthog_loading_callback_fired?: boolean; __posthog_loading_error?: unknown })
                | null
            return !!script && (!!script.__posthog_loading_callback_fired || !!script.__posthog_loading_error)
        },
        undefined,
        { timeout, polling: 50 },
    )
    // One more frame: anything the app scheduled for "body ready" has run.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))))
    // posthog-js marks an inline app errored when its init throws or returns no object: that must never happen.
    const errored = await page.evaluate(() => {
        const ph = (window as unknown as { posthog?: { siteApps?: { apps?: Record<string, { errored?: boolean }> } } }).posthog
        return Object.values(ph?.siteApps?.apps ?? {}).filter((app) => app.errored).length
    })
    if (errored) throw new Error(`posthog-js marked ${errored} site app(s) as errored`)
}

/**
 * Captures a unique marker event from the page and waits until the stand-in has it: everything the page sent
 * before has had its chance to arrive. Use before asserting that something was NOT captured.
 */
export async function syncEvents(page: Page, standIn: StandIn, timeout = 10_000): Promise<void> {
    const marker = `standin-sync-${Math.random().toString(36).slice(2)}`
    await page.evaluate((name) => {
        ;(window as unknown as { posthog: { capture(n: string): void } }).posthog.capture(name)
    }, marker)
    await standIn.waitForEvents(marker, { timeout })
}

export interface PopupInfo {
    hostCount: number
    hostParentIsBody: boolean
    shadowMode: string | null
    title: string
    body: string
    buttons: { action: string | null; text: string; ariaLabel: string | null }[]
}

/** What the popup shows, read through its open shadow root; null when there is no host element. */
export async function readPopup(page: Page): Promise<PopupInfo | null> {
    return page.evaluate(() => {
        const hosts = document.querySelectorAll('user-interviewer')
        const host = hosts[0] as HTMLElement | undefined
        if (!host) return null
        const root = host.shadowRoot
        const dialog = root?.querySelector('[role="dialog"]')
        const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim()
        return {
            hostCount: hosts.length,
            hostParentIsBody: host.parentElement === document.body,
            shadowMode: root ? root.mode : null,
            title: text(dialog?.querySelector('h2')),
            body: text(dialog?.querySelector('h2 ~ *')),
            buttons: [...(dialog?.querySelectorAll('button') ?? [])].map((b) => ({
                action: b.className,
                text: text(b),
                ariaLabel: b.getAttribute('aria-label'),
            })),
        }
    })
}

/** Waits for the popup's dialog to be visible (Playwright's CSS engine pierces open shadow roots). */
export async function waitForPopup(page: Page, timeout = 10_000): Promise<PopupInfo> {
    await page.locator('user-interviewer [role="dialog"]').waitFor({ state: 'visible', timeout })
    const info = await readPopup(page)
    if (!info) throw new Error('popup vanished')
    return info
}

/** A button of the popup by its class: `close` or `book`. */
export function popupButton(page: Page, action: 'close' | 'book') {
    return page.locator(`user-interviewer button.${action}`)
}

export async function hostElementCount(page: Page): Promise<number> {
    return page.evaluate(() => document.querySelectorAll('user-interviewer').length)
}

/** Polls `condition` until it returns a truthy value (returned) or throws after `timeout`. */
export async function waitUntil<T>(condition: () => T | Promise<T>, options: { timeout?: number; interval?: number; message?: string } = {}): Promise<T> {
    const timeout = options.timeout ?? 10_000
    const interval = options.interval ?? 50
    const deadline = Date.now() + timeout
    let last: unknown
    for (;;) {
        try {
            const value = await condition()
            if (value) return value
        } catch (e) {
            last = e
        }
        if (Date.now() > deadline) {
            throw new Error(`${options.message ?? 'condition not met'} within ${timeout} ms${last ? `: ${String(last)}` : ''}`)
        }
        await new Promise((r) => setTimeout(r, interval))
    }
}

/** Makes posthog-js reload its flags (as after `identify`) and waits until that reload's callbacks have run. */
export function reloadFlags(page: Page): Promise<void> {
    return page.evaluate(
        () =>
            new Promise<void>((resolve) => {
                const ph = (window as unknown as { posthog: { reloadFeatureFlags(): void; onFeatureFlags(cb: () => void): () => void } })
                    .posthog
                let calls = 0
                // onFeatureFlags calls back once at once (flags are loaded), then again for the reload.
                ph.onFeatureFlags(() => {
                    if (++calls === 2) resolve()
                })
                ph.reloadFeatureFlags()
            }),
    )
}

/**
 * PostHog's ways of delivering the app, each of which the core scenarios run through: the HogFunction (today's form),
 * the plugin form inline in config.js, and the plugin form's legacy script.
 */
export const DELIVERIES = ['hog', 'inline', 'legacy'] as const

/**
 * The two forms of the app, for tests of what does not depend on how the plugin form's script reaches the page (the
 * legacy script runs the same inject as the inline loader; the core scenarios prove that path): the HogFunction and
 * the plugin form inline. Keeps the suite within a few minutes on two cores.
 */
export const FORMS = ['hog', 'inline'] as const

/** The interview every e2e test file starts from: this flag, enabled for everyone, with this booking link. */
export const FLAG = 'user-interview'
/** A booking page on no tool the app embeds (Calendly and cal.com links open in its booking panel: test/e2e/booking.test.ts). */
export const LINK = 'https://book.example.com/team/30min'

export interface Harness {
    browser: Browser
    standIn: StandIn
    context: BrowserContext
}

/**
 * One Chromium and one stand-in per test file; before each test, a reset stand-in with FLAG configured and enabled
 * (then `prepare`, for a file's own settings), a fresh browser context, and `assign` handed all three.
 */
export function useHarness(assign: (harness: Harness) => void, prepare?: (standIn: StandIn) => void): void {
    const harness = {} as Harness
    beforeAll(async () => {
        ;[harness.browser, harness.standIn] = await Promise.all([launchBrowser(), startHarness()])
    })
    afterAll(async () => {
        await Promise.all([harness.browser?.close(), harness.standIn?.close()])
    })
    beforeEach(async () => {
        harness.standIn.reset()
        harness.standIn.setSettings({ interviewConfigs: `${FLAG}=${LINK}` })
        harness.standIn.setFlags({ [FLAG]: true })
        if (prepare) prepare(harness.standIn)
        harness.context = await newContext(harness.browser)
        assign(harness)
    })
    afterEach(async () => {
        await harness.context?.close()
    })
}

/**
 * Routes the booking tools' real hostnames (calendly.com, app.cal.com) to the stand-in's imitations of their pages
 * (dev/booking-pages.mjs): the frames keep the tools' origins, which the app checks. `forger.example` serves a page
 * that posts both tools' booking messages to its parent, well formed, from the wrong origin.
 */
export async function routeBookingTools(context: BrowserContext, standIn: StandIn): Promise<void> {
    const imitation = (tool: string) => async (route: import('playwright-core').Route) => {
        const url = new URL(route.request().url())
        const response = await fetch(`${standIn.url}/_standin/booking/${tool}${url.pathname}${url.search}`)
        await route.fulfill({ status: response.status, contentType: 'text/html', body: await response.text() })
    }
    await context.route((url) => url.hostname === 'calendly.com', imitation('calendly'))
    await context.route((url) => url.hostname === 'app.cal.com', imitation('cal'))
    await context.route(
        (url) => url.hostname === 'forger.example',
        (route) =>
            route.fulfill({
                contentType: 'text/html',
                body: `<!doctype html><title>forger</title><script>
                    parent.postMessage({ event: 'calendly.event_scheduled', payload: { event: { uri: 'https://api.calendly.com/scheduled_events/FORGED' }, invitee: { uri: 'x' } } }, '*')
                    parent.postMessage({ originator: 'CAL', type: 'bookingSuccessfulV2', namespace: 'user-interviewer', fullType: 'CAL:user-interviewer:bookingSuccessfulV2', data: { uid: 'FORGED' } }, '*')
                    document.title = 'forged'
                </script>`,
            }),
    )
}
