// `node bench/size.mjs` (part of `npm test`, after the build): the size every visitor downloads, for both forms, as
// PostHog serves them, raw and gzip -9. Exits 1 when either is over the budget, so CI fails on it; a size check, not a
// timing.
//   - plugin form: dist/site.ts after PostHog's Babel transpile and wrapper (`(function () {let exports={};…})`);
//   - HogFunction: dist/site-app.ts after the same transpile and wrapper, measured like the plugin form (the budget
//     applies to these two), and, for the record, the whole site function PostHog's get_transpiled_function builds
//     around it: its loader code (~500 B gzip) and the team's inputs, inlined as constants, come on top.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import * as standIn from '../dev/posthog-standin.mjs'

/** The budget shared by the open issues: 12 KiB of gzip (1 KiB = 1024 bytes), for each form. */
export const SIZE_BUDGET = 12 * 1024

// (paths, not `new URL(.., import.meta.url)`: the unit tests import this under happy-dom, whose URL is not Node's)
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
export const DIST_FILE = join(dist, 'site.ts')
export const DIST_SITE_APP_FILE = join(dist, 'site-app.ts')
export const DIST_HOG_FUNCTION_FILE = join(dist, 'hog-function.json')

const gzip = (code) => gzipSync(code, { level: 9 }).length

/** Sizes of `source` (a built dist/site.ts or dist/site-app.ts) as served: minified file, served bytes, served gzip -9. */
export function servedSizes(source) {
    const served = standIn.transpileSiteApp(source)
    return { minified: Buffer.byteLength(source), served: Buffer.byteLength(served), gzip: gzip(served), servedCode: served }
}

/**
 * The whole site function as PostHog serves it in config.js (get_transpiled_function), which inlines the inputs as
 * constants: with only `interviewConfigs` set (as `npm run deploy` leaves a new app), and with every input at its
 * schema default (as PostHog's form fills them in). Null until the stand-in can compile site functions.
 */
export function siteFunctionSizes(hogFunction) {
    if (typeof standIn.transpileSiteFunction !== 'function') return null
    const measure = (inputs) => {
        const code = standIn.transpileSiteFunction({ ...hogFunction, inputs })
        return { served: Buffer.byteLength(code), gzip: gzip(code) }
    }
    const defaults = {}
    for (const field of hogFunction.inputs_schema) if (field.default !== undefined) defaults[field.key] = { value: field.default }
    const interviewConfigs = { value: 'user-interview=https://cal.com/example/30min' }
    return { minimal: measure({ interviewConfigs }), defaults: measure({ ...defaults, interviewConfigs }) }
}

function verdict(size) {
    return size > SIZE_BUDGET ? `OVER by ${size - SIZE_BUDGET} B` : `${SIZE_BUDGET - size} B to spare`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const plugin = servedSizes(readFileSync(DIST_FILE, 'utf8'))
    const siteApp = servedSizes(readFileSync(DIST_SITE_APP_FILE, 'utf8'))
    const whole = siteFunctionSizes(JSON.parse(readFileSync(DIST_HOG_FUNCTION_FILE, 'utf8')))
    console.log(`Budget: ${SIZE_BUDGET} B gzip per form, as PostHog serves it.`)
    console.log(
        `  plugin form, dist/site.ts: ${plugin.minified} B minified; served ${plugin.served} B, ${plugin.gzip} B gzip (${verdict(plugin.gzip)})`,
    )
    console.log(
        `  HogFunction, dist/site-app.ts: ${siteApp.minified} B minified; served ${siteApp.served} B, ${siteApp.gzip} B gzip (${verdict(siteApp.gzip)})` +
            (whole
                ? `\n    the whole site function in config.js: ${whole.minimal.gzip} B gzip with only interviewConfigs set, ` +
                  `${whole.defaults.gzip} B gzip with every input at its default`
                : ''),
    )
    if (plugin.gzip > SIZE_BUDGET || siteApp.gzip > SIZE_BUDGET) process.exit(1)
}
