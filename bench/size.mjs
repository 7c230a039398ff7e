// `node bench/size.mjs` (part of `npm test`, after the build): the size every visitor downloads, i.e. dist/site.ts as
// PostHog serves it (its own Babel transpile and wrapper), raw and gzip -9. Exits 1 when the gzip size is over the
// budget, so CI fails on it; a size check, not a timing.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { transpileSiteApp } from '../dev/posthog-standin.mjs'

/** The issue's budget, 10 KB of gzip (KB = 1024 bytes). */
export const SIZE_BUDGET = 10 * 1024

// (path, not `new URL(.., import.meta.url)`: the unit tests import this under happy-dom, whose URL is not Node's)
export const DIST_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'site.ts')

/** Sizes of `source` (a built dist/site.ts) as served: minified file, served bytes, served gzip -9. */
export function servedSizes(source) {
    const served = transpileSiteApp(source)
    return {
        minified: Buffer.byteLength(source),
        served: Buffer.byteLength(served),
        gzip: gzipSync(served, { level: 9 }).length,
        servedCode: served,
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const size = servedSizes(readFileSync(DIST_FILE, 'utf8'))
    const over = size.gzip > SIZE_BUDGET
    console.log(
        `dist/site.ts: ${size.minified} B minified; served by PostHog: ${size.served} B, ${size.gzip} B gzip ` +
            `(budget ${SIZE_BUDGET} B: ${over ? `OVER by ${size.gzip - SIZE_BUDGET} B` : `${SIZE_BUDGET - size.gzip} B to spare`})`,
    )
    if (over) process.exit(1)
}
