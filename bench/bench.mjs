// `npm run bench` (builds first): size and run-time figures of the built app, each beside the same figure for the
// original User Interview App's approach, re-created in bench/original-site.ts (see that file; it is not the original's
// code), and, for the time to paint, beside the floor: this app's popup put up bare (bench/bare-popup.ts), with the
// ratio of the two. Headless system Chromium, the real posthog-js, the local PostHog stand-in. Prints figures; the one
// thing it asserts is the size budget (exit code 1 when either served form is over 12 KiB gzip).
//
// Its parts, in bench/lib/: instrument.mjs (what each page load records), loads.mjs (one page load and its figures),
// inject-timing.mjs (inject() timed alone), stats.mjs, report.mjs (the table printed).
//
//   BENCH_LOADS=30 (page loads per app for the flags-to-paint timing), BENCH_INJECTS=200, CHROMIUM_PATH.
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'
import { build } from 'esbuild'
import { startStandIn } from '../dev/posthog-standin.mjs'
import { CHROMIUM_ARGS, chromiumPath } from '../dev/chromium.mjs'
import { DIST_HOG_FUNCTION_FILE, DIST_SITE_APP_FILE, servedSizes, siteFunctionSizes, SIZE_BUDGET } from './size.mjs'
import { timeInject } from './lib/inject-timing.mjs'
import { loadOnce } from './lib/loads.mjs'
import { printReport } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(root, 'dist', 'site.ts')
const ORIGINAL = join(root, 'bench', 'original-site.ts')
const LOADS = Number(process.env.BENCH_LOADS || 30)
const INJECTS = Number(process.env.BENCH_INJECTS || 200)
const CHROMIUM = chromiumPath() // (fails at once, with what to install, when there is none)
const FLAG = 'user-interview'
const SETTINGS = { interviewConfigs: `${FLAG}=https://cal.com/example/30min` }

const started = Date.now()

// 1. Size: what PostHog serves (its Babel transpile of site.ts, wrapped), as is and gzip -9.
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

// 2-4. Run-time figures, from four stand-ins: this app, the original approach, the baseline (the same posthog-js
// site-app delivery, an app that does nothing) and the floor (the same popup with none of the app, bench/bare-popup.ts,
// bundled as PostHog would get a site.ts).
const scratch = mkdtempSync(join(tmpdir(), 'ui-bench-'))
const NOOP = join(scratch, 'noop-site.ts')
writeFileSync(NOOP, 'export function inject({ callback }) { if (callback) callback(true) }\n')
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

    inject = await timeInject(browser, stands.ours, { ours: size.ours.servedCode, original: size.original.servedCode }, INJECTS)

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

const over = printReport({
    size,
    hogForm,
    budget: SIZE_BUDGET,
    idle,
    inject,
    injects: INJECTS,
    show,
    shownCensus,
    loads: LOADS,
    chromiumVersion,
    posthogVersion,
    started,
})
if (over) process.exit(1)
