// One page load of the bench, in a fresh browser context: the instrumented page (./instrument.mjs) loaded from a
// stand-in, left to settle, and the figures it collected read back.
import { instrumentScript } from './instrument.mjs'

async function newContext(browser, census) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.route((url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost', (route) => route.fulfill({ status: 204, body: '' }))
    await context.addInitScript({ content: instrumentScript(census) })
    return context
}

/** posthog-js loaded, flags loaded, the app subscribed (or not present), then a few frames for anything it scheduled. */
async function settle(page, { popup }) {
    await page.waitForFunction(
        () => {
            const ph = window.posthog
            return !!(ph && ph.__loaded && ph.featureFlags && ph.featureFlags.hasLoadedFlags)
        },
        undefined,
        { timeout: 15_000, polling: 20 },
    )
    if (popup) await page.waitForFunction(() => window.__bench.tPainted !== null, undefined, { timeout: 15_000, polling: 10 })
    // Layout-shift and long-task entries are delivered asynchronously: give them a moment.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))))
}

async function pageFigures(page) {
    return page.evaluate(() => {
        const B = window.__bench
        const listeners = [...B.listeners.values()].filter((l) => B.fromApp(l.origin)).map(({ origin, ...l }) => l)
        const from = B.t0 ?? B.appSubscribedAt ?? 0
        const to = (B.tPainted ?? from) + 100
        return {
            appSubscribed: B.appSubscribedAt !== null,
            appCallbacks: B.appCallbacks.length,
            appSubscriptions: B.appSubscriptions,
            deepCount: B.deepCount(),
            lightElements: B.lightCount(),
            stylesheets: B.stylesheets(),
            added: B.added.filter((a) => a.node.isConnected).map((a) => a.tag),
            listeners: listeners.map((l) => `${l.target}:${l.type}${l.once ? '(once)' : ''}`),
            ...(() => {
                const callback = B.appCallbacks.find((c) => c.t0 === B.t0)
                return {
                    flagsToCallbackEnd: callback ? callback.duration : null,
                    captureInCallback: callback ? callback.capture : null,
                }
            })(),
            flagsToPaint: B.t0 === null || B.tPainted === null ? null : B.tPainted - B.t0,
            shiftWhileShowing: B.shifts.filter((s) => s.t >= from && s.t <= to).reduce((sum, s) => sum + s.value, 0),
            shiftTotal: B.shifts.reduce((sum, s) => sum + s.value, 0),
            // Long tasks (> 50 ms) the app caused: those it ran in that would not have been long without its part (its
            // flags callbacks, frame and timer callbacks), or whose app part alone was over 50 ms; beside them, those
            // it ran in that were long without it (posthog-js's own work around the app's callback).
            ...(() => {
                const appPart = (l) => B.appWork.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, l.t + l.d) - Math.max(a, l.t)), 0)
                const ranIn = B.longTasks.map((l) => ({ d: l.d, app: appPart(l) })).filter((l) => l.app > 0)
                return {
                    longTasksCausedByApp: ranIn.filter((l) => l.d - l.app <= 50 || l.app > 50).length,
                    longTasksAppRanIn: ranIn.length,
                }
            })(),
            longTasksTotal: B.longTasks.length,
        }
    })
}

/** One page load; `census`: also count the event listeners (costly: not in the loads that are timed). */
export async function loadOnce(browser, standIn, { popup, census }) {
    const context = await newContext(browser, census)
    try {
        const page = await context.newPage()
        const errors = []
        page.on('pageerror', (e) => errors.push(String(e)))
        await page.goto(standIn.testPageUrl())
        await settle(page, { popup })
        const figures = await pageFigures(page)
        if (errors.length) figures.errors = errors
        return figures
    } finally {
        await context.close()
        // Let the closed page's renderer process wind down: on 2 cores it would otherwise compete with the next load.
        await new Promise((resolve) => setTimeout(resolve, 200))
    }
}
