// The bench's page instrumentation, installed before any script of the page runs (Playwright's addInitScript). Each
// part below runs in the page, not in Node: they are written as functions for readability and joined into one init
// script by instrumentScript(), so none may use anything from this module's scope, only the `B` it is handed
// (window.__bench, the figures a load collects).
//
// The timed page loads carry as little instrumentation as they can: the paint is detected with a ResizeObserver (see
// detectPaint()), and event listeners are counted in separate, untimed loads (countListeners()), since recording where
// each one came from costs milliseconds inside the app's render.
/* eslint-disable no-undef */

/** window.__bench, with the way to tell the app's code from the page's. */
function createBench() {
    const B = (window.__bench = {
        appSubscribedAt: null,
        // { t0, duration, capture } of each call of the app's flags callback
        appCallbacks: [],
        lastCallbackAt: null,
        shownAfter: null,
        // [start, end] of every stretch of the app's own code after inject: its flags callbacks, and the frame and
        // timer callbacks it schedules (where it renders, and sends the shown event).
        appWork: [],
        appSubscriptions: 0,
        inAppCallback: false,
        // true while the app's code runs: its flags callbacks, and the frame and timer callbacks scheduled from them
        inAppWork: false,
        captureTime: 0,
        // t0: start of the flags callback after which the popup appeared; tPainted: end of the frame that painted it
        t0: null,
        tPainted: null,
        shifts: [],
        longTasks: [],
        added: [],
        listeners: new Map(),
        nextId: 1,
    })
    // The app's code runs from config.js (inline delivery) or the /site_app/ script (legacy): its stack frames say so.
    // Its frames are the top ones when it calls the functions watched here, so the default stack depth is enough.
    const APP = /\/array\/[^/]+\/config\.js|\/site_app\//
    B.fromApp = (error = new Error()) => APP.test(error.stack || '')
    return B
}

/**
 * Frame and timer callbacks scheduled while the app's code runs count as the app's work, and so on down the chain:
 * no stack trace is taken (V8 makes that costly inside deep stacks, and it would be charged to the app). Work that
 * posthog-js schedules from a call the app makes (capture) is counted as the app's too, which can only overcount.
 */
function trackAppScheduling(B) {
    for (const name of ['requestAnimationFrame', 'setTimeout']) {
        const schedule = window[name]
        window[name] = function (callback, ...rest) {
            if (typeof callback !== 'function' || !B.inAppWork) return schedule.call(this, callback, ...rest)
            return schedule.call(
                this,
                function () {
                    const start = performance.now()
                    B.inAppWork = true
                    try {
                        return callback.apply(this, arguments)
                    } finally {
                        B.inAppWork = false
                        B.appWork.push([start, performance.now()])
                    }
                },
                ...rest,
            )
        }
    }
}

/**
 * Event listeners: net count of those added from the app's code. Only in the loads that take this census, not in
 * the timed ones: each listener's Error (its origin) costs the app milliseconds inside its deep render stacks.
 */
function countListeners(B) {
    const ids = new WeakMap()
    const idOf = (o) => {
        if (!o || (typeof o !== 'object' && typeof o !== 'function')) return String(o)
        if (!ids.has(o)) ids.set(o, B.nextId++)
        return ids.get(o)
    }
    const describe = (t) => (t === window ? 'window' : t === document ? 'document' : t && t.nodeName ? t.nodeName.toLowerCase() : String(t))
    const capture = (o) => (typeof o === 'boolean' ? o : !!(o && o.capture))
    const add = EventTarget.prototype.addEventListener
    const remove = EventTarget.prototype.removeEventListener
    EventTarget.prototype.addEventListener = function (type, listener, options) {
        if (listener) {
            // Whose listener is decided later: formatting the Error's stack (reading .stack) is its costly part.
            const key = `${idOf(this)}|${type}|${idOf(listener)}|${capture(options)}`
            B.listeners.set(key, { target: describe(this), type, once: !!(options && options.once), origin: new Error() })
        }
        return add.call(this, type, listener, options)
    }
    EventTarget.prototype.removeEventListener = function (type, listener, options) {
        B.listeners.delete(`${idOf(this)}|${type}|${idOf(listener)}|${capture(options)}`)
        return remove.call(this, type, listener, options)
    }
}

/**
 * Painted: the end of the first frame that lays out an element the page gained after one of the app's flags
 * callbacks began (its popup's host, or the popup put into an open shadow root that was there before). A
 * ResizeObserver first calls back in the frame that first lays an element out, after layout and before paint, and
 * a user-blocking task posted from there runs as soon as that frame is done: before the timers and messages queued
 * earlier (the app's own after-paint work, say), which would otherwise be counted. What the app renders in that
 * callback, in a task or in a frame callback of its own is all painted by then; nothing it defers past the paint is.
 */
function detectPaint(B) {
    const SKIP = /^(script|link|style|meta|noscript|template)$/i
    const afterFrame = (fn) =>
        typeof scheduler === 'object' ? scheduler.postTask(fn, { priority: 'user-blocking' }) : setTimeout(fn)
    const firstLayout = new ResizeObserver(() => {
        if (B.t0 !== null || B.shownAfter === null) return
        B.t0 = B.shownAfter
        afterFrame(() => (B.tPainted = performance.now()))
    })
    // Nodes added to the document from the start (the app's host, or anything else), and to open shadow roots.
    const added = new MutationObserver((records) => {
        for (const r of records)
            for (const n of r.addedNodes) {
                if (n.nodeType !== 1) continue
                if (r.target.getRootNode() === document) B.added.push({ node: n, tag: n.nodeName.toLowerCase(), app: false })
                if (n.shadowRoot) added.observe(n.shadowRoot, { childList: true, subtree: true })
                if (B.lastCallbackAt !== null && B.t0 === null && !SKIP.test(n.nodeName)) {
                    B.shownAfter = B.lastCallbackAt
                    firstLayout.observe(n)
                }
            }
    })
    added.observe(document, { childList: true, subtree: true })
}

/** Layout shifts and long tasks, as the browser reports them. */
function observePerformance(B) {
    try {
        new PerformanceObserver((list) => {
            for (const e of list.getEntries()) B.shifts.push({ t: e.startTime, value: e.value, input: e.hadRecentInput })
        }).observe({ type: 'layout-shift', buffered: true })
        new PerformanceObserver((list) => {
            for (const e of list.getEntries()) B.longTasks.push({ t: e.startTime, d: e.duration })
        }).observe({ type: 'longtask', buffered: true })
    } catch {
        /* not supported */
    }
}

/** What the page holds, counted when a load's figures are read. */
function addCounters(B) {
    /** Every node in the document, shadow roots included. */
    B.deepCount = () => {
        let n = 0
        const walk = (node) => {
            n++
            if (node.shadowRoot) walk(node.shadowRoot)
            for (let c = node.firstChild; c; c = c.nextSibling) walk(c)
        }
        walk(document)
        return n
    }
    B.lightCount = () => document.getElementsByTagName('*').length
    B.stylesheets = () => {
        let n = document.styleSheets.length + document.adoptedStyleSheets.length
        const walk = (node) => {
            if (node.shadowRoot) {
                n += node.shadowRoot.styleSheets.length + node.shadowRoot.adoptedStyleSheets.length
                walk(node.shadowRoot)
            }
            for (let c = node.firstElementChild; c; c = c.nextElementSibling) walk(c)
        }
        walk(document.documentElement)
        return n
    }
}

/** posthog-js's instance: wrap the callbacks the app registers with onFeatureFlags, to time what follows them. */
function wrapPosthog(B) {
    let instance
    const patch = (ph) => {
        if (!ph || ph.__benchPatched || typeof ph.onFeatureFlags !== 'function') return
        ph.__benchPatched = true
        // Time spent in posthog.capture() during the app's flags callback (posthog-js's own cost: it builds and sends
        // the event synchronously when request batching is off).
        const capture = ph.capture
        ph.capture = function () {
            if (!B.inAppCallback) return capture.apply(this, arguments)
            const t = performance.now()
            try {
                return capture.apply(this, arguments)
            } finally {
                B.captureTime += performance.now() - t
            }
        }
        const original = ph.onFeatureFlags
        ph.onFeatureFlags = function (callback) {
            if (!B.fromApp()) return original.call(this, callback)
            if (B.appSubscribedAt === null) B.appSubscribedAt = performance.now()
            B.appSubscriptions++
            let subscribed = true
            const unsubscribe = original.call(this, function () {
                const t0 = performance.now()
                B.lastCallbackAt = t0
                B.inAppCallback = true
                B.inAppWork = true
                B.captureTime = 0
                try {
                    return callback.apply(this, arguments)
                } finally {
                    const t1 = performance.now()
                    B.inAppCallback = false
                    B.inAppWork = false
                    B.appCallbacks.push({ t0, duration: t1 - t0, capture: B.captureTime })
                    B.appWork.push([t0, t1])
                }
            })
            return function () {
                if (subscribed) B.appSubscriptions--
                subscribed = false
                return typeof unsubscribe === 'function' ? unsubscribe.apply(this, arguments) : unsubscribe
            }
        }
    }
    Object.defineProperty(window, 'posthog', {
        configurable: true,
        enumerable: true,
        get: () => instance,
        set: (value) => {
            instance = value
            try {
                patch(value)
            } catch {
                /* leave it */
            }
        },
    })
}
/* eslint-enable no-undef */

/** The init script of a load; `census`: also count the event listeners (costly: not in the loads that are timed). */
export function instrumentScript(census) {
    const parts = [trackAppScheduling, ...(census ? [countListeners] : []), detectPaint, observePerformance, addCounters, wrapPosthog]
    return `(() => {\nconst B = (${createBench})();\n${parts.map((part) => `(${part})(B);`).join('\n')}\n})();`
}
