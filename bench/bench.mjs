// `npm run bench` (builds first): size and run-time figures of the built app, each beside the same figure for the
// original User Interview App's approach, re-created in bench/original-site.ts (see that file; it is not the original's
// code), and, for the time to paint, beside the floor: this app's popup put up bare (bench/bare-popup.ts). Headless
// system Chromium, the real posthog-js, the local PostHog stand-in. Prints figures; the one thing it asserts is the
// size budget (exit code 1 when either served form is over 12 KiB gzip).
//
// The timed page loads carry as little instrumentation as they can: the paint is detected with a ResizeObserver (see
// instrument()), and event listeners are counted in separate, untimed loads, since recording where each one came from
// costs milliseconds inside the app's render.
//
//   BENCH_LOADS=30 (page loads per app for the flags-to-paint timing), BENCH_INJECTS=200, CHROMIUM_PATH.
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'
import { build } from 'esbuild'
import { startStandIn, siteConfigFromSchema } from '../dev/posthog-standin.mjs'
import { CHROMIUM_ARGS, chromiumPath } from '../dev/chromium.mjs'
import { DIST_HOG_FUNCTION_FILE, DIST_SITE_APP_FILE, servedSizes, siteFunctionSizes, SIZE_BUDGET } from './size.mjs'

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(root, 'dist', 'site.ts')
const ORIGINAL = join(root, 'bench', 'original-site.ts')
const BUDGET = SIZE_BUDGET
const LOADS = Number(process.env.BENCH_LOADS || 30)
const INJECTS = Number(process.env.BENCH_INJECTS || 200)
const CHROMIUM = chromiumPath() // (fails at once, with what to install, when there is none)
const FLAG = 'user-interview'
const SETTINGS = { interviewConfigs: `${FLAG}=https://cal.com/example/30min` }

const started = Date.now()

// ---------------------------------------------------------------------------------------------------------------
// 1. Size: what PostHog serves (its Babel transpile of site.ts, wrapped), as is and gzip -9.
// ---------------------------------------------------------------------------------------------------------------
if (!existsSync(DIST)) {
    console.error('dist/site.ts is missing: run `npm run build` (npm run bench does)')
    process.exit(1)
}
function sizes(file) {
    const { minified, ...rest } = servedSizes(readFileSync(file, 'utf8'))
    return { source: minified, ...rest }
}
const size = { ours: sizes(DIST), original: sizes(ORIGINAL) }
// Today's form, the HogFunction: dist/site-app.ts through the same transpile, and the whole site function around it.
const hogForm = { ...sizes(DIST_SITE_APP_FILE), whole: siteFunctionSizes(JSON.parse(readFileSync(DIST_HOG_FUNCTION_FILE, 'utf8'))) }

// ---------------------------------------------------------------------------------------------------------------
// Page instrumentation, installed before any script of the page runs.
// ---------------------------------------------------------------------------------------------------------------
/* eslint-disable no-undef */
function instrument(census) {
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
    const fromApp = (error = new Error()) => APP.test(error.stack || '')
    B.fromApp = fromApp
    // Frame and timer callbacks scheduled while the app's code runs count as the app's work, and so on down the chain:
    // no stack trace is taken (V8 makes that costly inside deep stacks, and it would be charged to the app). Work that
    // posthog-js schedules from a call the app makes (capture) is counted as the app's too, which can only overcount.
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

    // Event listeners: net count of those added from the app's code. Only in the loads that take this census, not in
    // the timed ones: each listener's Error (its origin) costs the app milliseconds inside its deep render stacks.
    if (census) {
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

    // Painted: the end of the first frame that lays out an element the page gained after one of the app's flags
    // callbacks began (its popup's host, or the popup put into an open shadow root that was there before). A
    // ResizeObserver first calls back in the frame that first lays an element out, after layout and before paint, and
    // a user-blocking task posted from there runs as soon as that frame is done: before the timers and messages queued
    // earlier (the app's own after-paint work, say), which would otherwise be counted. What the app renders in that
    // callback, in a task or in a frame callback of its own is all painted by then; nothing it defers past the paint is.
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

    // posthog-js's instance: wrap the callbacks the app registers with onFeatureFlags, to time what follows them.
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
            if (!fromApp()) return original.call(this, callback)
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

// ---------------------------------------------------------------------------------------------------------------
// Browser helpers
// ---------------------------------------------------------------------------------------------------------------
const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN
}
const percentile = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN
}

async function newContext(browser, census) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.route((url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost', (route) => route.fulfill({ status: 204, body: '' }))
    await context.addInitScript(instrument, census)
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
async function loadOnce(browser, standIn, { popup, census }) {
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

/** Elements in `a` beyond those in `b` (multiset difference of tag names). */
function extraTags(a, b) {
    const left = [...b]
    const out = []
    for (const tag of a) {
        const i = left.indexOf(tag)
        if (i === -1) out.push(tag)
        else left.splice(i, 1)
    }
    return out
}

// ---------------------------------------------------------------------------------------------------------------
// 2-4. Run-time figures
// ---------------------------------------------------------------------------------------------------------------
const scratch = mkdtempSync(join(tmpdir(), 'ui-bench-'))
const NOOP = join(scratch, 'noop-site.ts')
// The baseline: the same posthog-js site-app delivery, an app that does nothing.
writeFileSync(NOOP, 'export function inject({ callback }) { if (callback) callback(true) }\n')
// The floor: the same popup with none of the app (bench/bare-popup.ts), bundled as PostHog would get a site.ts.
const BARE = join(scratch, 'bare-popup.ts')
await build({ entryPoints: [join(root, 'bench', 'bare-popup.ts')], bundle: true, format: 'esm', target: 'es2020', outfile: BARE, logLevel: 'error' })

const quiet = () => {}
const stands = {
    ours: await startStandIn({ settings: SETTINGS, log: quiet }),
    original: await startStandIn({ settings: SETTINGS, siteAppPath: ORIGINAL, log: quiet }),
    none: await startStandIn({ settings: SETTINGS, siteAppPath: NOOP, log: quiet }),
    bare: await startStandIn({ settings: SETTINGS, siteAppPath: BARE, log: quiet }),
}
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
const chromiumVersion = browser.version()
const posthogVersion = require('posthog-js/package.json').version

let idle, show, shownCensus, inject
try {
    // Nobody targeted: flags loaded, none of them an interview flag.
    for (const s of Object.values(stands)) s.setFlags({ 'some-other-flag': true }, { replace: true })
    idle = {}
    for (const name of ['ours', 'original', 'none']) idle[name] = await loadOnce(browser, stands[name], { popup: false, census: true })

    // inject() with a posthog whose flags do not match, in a page of the stand-in's origin (localStorage works),
    // cross-origin isolated so that performance.now() has 5 µs resolution rather than 100 µs.
    inject = {}
    {
        const context = await browser.newContext()
        const page = await context.newPage()
        const blank = `${stands.ours.url}/__bench_blank`
        await page.route(blank, (route) =>
            route.fulfill({
                status: 200,
                contentType: 'text/html',
                headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
                body: '<!doctype html><html lang="en"><head><title>bench</title></head><body><main><p>Host page</p></main></body></html>',
            }),
        )
        await page.goto(blank)
        const isolated = await page.evaluate(() => window.crossOriginIsolated)
        const config = stands.ours.siteConfig()
        await page.addScriptTag({ content: `window.__ours = ${size.ours.servedCode};\nwindow.__original = ${size.original.servedCode};` })
        inject.isolated = isolated
        for (const name of ['ours', 'original']) {
            inject[name] = await page.evaluate(
                ({ name, config, runs }) => {
                    const app = window[name === 'ours' ? '__ours' : '__original']()
                    const fake = () => ({
                        capture() {},
                        onFeatureFlags(cb) {
                            // posthog-js calls back at once when flags are already loaded.
                            cb(['some-other-flag'], { 'some-other-flag': true }, { errorsLoading: false })
                            return () => {}
                        },
                        getFeatureFlagPayload() {
                            return undefined
                        },
                        get_property() {
                            return undefined
                        },
                        has_opted_out_capturing() {
                            return false
                        },
                    })
                    const times = []
                    const nodesBefore = document.body.childNodes.length
                    let added = 0
                    for (let i = 0; i < runs + 20; i++) {
                        delete window.__userInterviewer
                        const posthog = fake()
                        const t = performance.now()
                        app.inject({ config: { ...config }, posthog, callback() {} })
                        const d = performance.now() - t
                        if (i >= 20) times.push(d) // the first runs warm the JIT up
                        added = Math.max(added, document.body.childNodes.length - nodesBefore)
                        while (document.body.childNodes.length > nodesBefore) document.body.lastChild.remove()
                    }
                    return { times, addedPerInject: added }
                },
                { name, config, runs: INJECTS },
            )
        }
        await context.close()
    }

    // A targeted visitor: from posthog-js handing the flags to the app to the popup painted, LOADS page loads each.
    for (const s of Object.values(stands)) s.setFlags({ [FLAG]: true }, { replace: true })
    shownCensus = {}
    for (const name of ['ours', 'original']) shownCensus[name] = await loadOnce(browser, stands[name], { popup: true, census: true })
    show = { ours: [], original: [], bare: [] }
    for (let i = 0; i < LOADS; i++) {
        for (const name of ['ours', 'original', 'bare']) show[name].push(await loadOnce(browser, stands[name], { popup: true }))
    }
} finally {
    await browser.close()
    await Promise.all(Object.values(stands).map((s) => s.close()))
    rmSync(scratch, { recursive: true, force: true })
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------
const kb = (n) => `${n.toLocaleString('en-US')} B`
const ms = (n) => (n === null || Number.isNaN(n) ? 'n/a' : `${n.toFixed(n < 1 ? 3 : 1)} ms`)
const rows = []
const row = (label, ours, original, note = '') => rows.push([label, ours, original, note])
const section = (title) => rows.push([title])

const over = size.ours.gzip > BUDGET || hogForm.gzip > BUDGET
const verdict = (gzip) => `budget ${kb(BUDGET)}: ${gzip > BUDGET ? `OVER by ${kb(gzip - BUDGET)}` : 'ok'}`
section('Size of the plugin form, as PostHog serves site.ts (its Babel transpile + wrapper)')
row('  dist/site.ts (built, minified)', kb(size.ours.source), kb(size.original.source), 'original: TS source, never minified')
row('  served bytes', kb(size.ours.served), kb(size.original.served))
row('  served, gzip -9', kb(size.ours.gzip), kb(size.original.gzip), verdict(size.ours.gzip))
section('Size of the HogFunction form, dist/site-app.ts through the same transpile + wrapper')
row('  dist/site-app.ts (built, minified)', kb(hogForm.source), '')
row('  served bytes', kb(hogForm.served), '')
row('  served, gzip -9', kb(hogForm.gzip), '', verdict(hogForm.gzip))
if (hogForm.whole) {
    row('  the whole site function in config.js, only interviewConfigs set: gzip', kb(hogForm.whole.minimal.gzip), '', "get_transpiled_function's wrapper and inputs included")
    row('  the same, every input at its default: gzip', kb(hogForm.whole.defaults.gzip), '', 'the defaults are inlined as constants')
}

const idleDiff = (name) => {
    const a = idle[name]
    const b = idle.none
    return {
        nodes: a.deepCount - b.deepCount,
        lightElements: a.lightElements - b.lightElements,
        tags: extraTags(a.added, b.added),
        sheets: a.stylesheets - b.stylesheets,
        listeners: a.listeners,
    }
}
const io = idleDiff('ours')
const ig = idleDiff('original')
/** ['button:click', 'button:click', 'window:storage'] -> ' (button:click x2, window:storage)' */
const tags = (t) => {
    if (!t.length) return ''
    const counts = new Map()
    for (const x of t) counts.set(x, (counts.get(x) || 0) + 1)
    return ` (${[...counts].map(([x, n]) => (n > 1 ? `${x} x${n}` : x)).join(', ')})`
}
const nodes = (d) => (d.nodes ? `${d.nodes}: ${d.tags.join(', ') || 'none'} in the page, ${d.nodes - d.lightElements} in shadow roots` : '0')
section('Nobody targeted (flags loaded, none matches), vs. the same page with a do-nothing app')
row('  DOM nodes added (shadow roots included)', nodes(io), nodes(ig), 'expect 0')
row('  stylesheets added', String(io.sheets), String(ig.sheets), 'expect 0')
row('  event listeners the app keeps', `${io.listeners.length}${tags(io.listeners)}`, `${ig.listeners.length}${tags(ig.listeners)}`, 'expect 0')
row('  posthog-js onFeatureFlags subscriptions kept', String(idle.ours.appSubscriptions), String(idle.original.appSubscriptions), 'to react to flag reloads')

const it = (name) => inject[name].times
section(`inject() with a fake posthog whose flags do not match, ${INJECTS} runs${inject.isolated ? '' : ' (timer: 100 µs resolution)'}`)
row('  median', ms(median(it('ours'))), ms(median(it('original'))), 'target < 1 ms')
row('  p95', ms(percentile(it('ours'), 95)), ms(percentile(it('original'), 95)))
row('  nodes left in <body> per inject', String(inject.ours.addedPerInject), String(inject.original.addedPerInject))

const series = (name, key) => show[name].map((f) => f[key]).filter((v) => v !== null && v !== undefined)
section(`A targeted visitor, ${LOADS} page loads each (real posthog-js)`)
row('  flags callback -> popup painted, median', ms(median(series('ours', 'flagsToPaint'))), ms(median(series('original', 'flagsToPaint'))), 'target < 16 ms')
row('  flags callback -> popup painted, p95', ms(percentile(series('ours', 'flagsToPaint'), 95)), ms(percentile(series('original', 'flagsToPaint'), 95)))
const bare = series('bare', 'flagsToPaint')
row('    the same popup bare: median / p95', `${ms(median(bare))} / ${ms(percentile(bare, 95))}`, '', 'the floor: bench/bare-popup.ts, no app logic or framework')
row('  time inside the app\'s flags callback, median', ms(median(series('ours', 'flagsToCallbackEnd'))), ms(median(series('original', 'flagsToCallbackEnd'))))
row('    of which posthog.capture(shown event), median', ms(median(series('ours', 'captureInCallback'))), ms(median(series('original', 'captureInCallback'))), 'posthog-js sends it synchronously')
const maxOf = (xs) => (xs.length ? Math.max(...xs) : NaN)
row('  layout shift while it appears (max of loads)', maxOf(series('ours', 'shiftWhileShowing')).toFixed(4), maxOf(series('original', 'shiftWhileShowing')).toFixed(4), 'expect 0')
const sum = (name, key) => series(name, key).reduce((a, b) => a + b, 0)
row('  long tasks (>50 ms) caused by the app (sum of loads)', String(sum('ours', 'longTasksCausedByApp')), String(sum('original', 'longTasksCausedByApp')), 'expect 0')
row('    long tasks it ran in, long without it (sum)', String(sum('ours', 'longTasksAppRanIn') - sum('ours', 'longTasksCausedByApp')), String(sum('original', 'longTasksAppRanIn') - sum('original', 'longTasksCausedByApp')), "posthog-js's own flags handling")
row('  long tasks on the whole page load (median)', String(median(series('ours', 'longTasksTotal'))), String(median(series('original', 'longTasksTotal'))), 'posthog-js included')
const [shown, shownOriginal] = [shownCensus.ours, shownCensus.original]
row('  event listeners while shown (untimed load)', `${shown.listeners.length}${tags(shown.listeners)}`, `${shownOriginal.listeners.length}${tags(shownOriginal.listeners)}`)
row('  onFeatureFlags subscriptions kept while shown', String(shown.appSubscriptions), String(shownOriginal.appSubscriptions))

const errors = [...Object.values(idle), ...Object.values(shownCensus), ...show.ours, ...show.original, ...show.bare].flatMap((f) => f.errors ?? [])

const head = ['', 'this app', 'original approach (re-created)', '']
const widths = [0, 1, 2].map((i) => Math.max(head[i].length, ...rows.filter((r) => r.length > 1).map((r) => String(r[i]).length)))
const line = (r) => r.map((c, i) => (i < 3 ? String(c).padEnd(widths[i]) : c)).join('  ').trimEnd()
console.log(`User Interviewer bench: Chromium ${chromiumVersion}, posthog-js ${posthogVersion}, ${new Date().toISOString()}`)
console.log('"original approach" = bench/original-site.ts, a re-creation of the original app\'s approach (not its code).')
console.log('')
console.log(line(head))
for (const r of rows) console.log(r.length === 1 ? `\n${r[0]}` : line(r))
if (errors.length) console.log(`\nPage errors: ${errors.join(' | ')}`)
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
if (over) {
    console.error(`\nFAIL: a served form is over the ${kb(BUDGET)} gzip budget (plugin ${kb(size.ours.gzip)}, HogFunction ${kb(hogForm.gzip)}).`)
    process.exit(1)
}
