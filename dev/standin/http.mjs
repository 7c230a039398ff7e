// HTTP plumbing shared by every room of the stand-in: CORS as PostHog's capture/flags endpoints answer a browser
// (origin echoed, credentials allowed), JSON/JS responses, bodies, static files and cookies. Also where the stand-in
// finds the repository and posthog-js's dist files.
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
/** The repository's root. */
export const root = join(here, '..', '..')
/** dev/public: the demo page and the test page's scripts. */
export const publicDir = join(root, 'dev', 'public')
export const posthogDist = join(dirname(require.resolve('posthog-js/package.json')), 'dist')
export const posthogVersion = JSON.parse(readFileSync(join(posthogDist, '..', 'package.json'), 'utf8')).version
/** The prefix of the stand-in's own routes (control, public files, booking pages). */
export const PRIVATE = '/_standin'
/** How config.js may deliver the app. */
export const DELIVERIES = ['inline', 'legacy', 'hog']

export const CONTENT_TYPES = {
    '.js': 'application/javascript; charset=utf-8',
    '.mjs': 'application/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.html': 'text/html; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
    '.ico': 'image/x-icon',
}

export function corsHeaders(req) {
    const origin = req.headers.origin
    return {
        'Access-Control-Allow-Origin': origin || '*',
        ...(origin ? { 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {}),
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'Content-Type',
        'Access-Control-Max-Age': '600',
    }
}
export function send(req, res, status, body, type, extra = {}) {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '')
    res.writeHead(status, {
        ...corsHeaders(req),
        'Content-Type': type,
        'Content-Length': String(buf.length),
        'Cache-Control': 'no-store',
        ...extra,
    })
    res.end(req.method === 'HEAD' ? undefined : buf)
}
export const sendJson = (req, res, status, value, extra) => send(req, res, status, JSON.stringify(value), 'application/json; charset=utf-8', extra)
export const sendJs = (req, res, code) => send(req, res, 200, code, 'application/javascript; charset=utf-8')

/** @returns {Promise<Buffer>} */
export async function readBody(req) {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    return Buffer.concat(chunks)
}

export async function serveFile(req, res, baseDir, relPath, extraHeaders = {}) {
    const full = normalize(join(baseDir, relPath))
    if (!full.startsWith(baseDir + sep)) return send(req, res, 403, 'forbidden', 'text/plain')
    try {
        const body = await readFile(full)
        return send(req, res, 200, body, CONTENT_TYPES[extname(full)] ?? 'application/octet-stream', extraHeaders)
    } catch {
        return send(req, res, 404, 'not found', 'text/plain')
    }
}

export function cookie(req, name) {
    const m = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie || '')
    return m ? decodeURIComponent(m[1]) : undefined
}
/** The delivery mode for this browser: the `standin_delivery` cookie (set by `/test?delivery=`) else the server's. */
export function deliveryFor(state, req) {
    const c = cookie(req, 'standin_delivery')
    return c && DELIVERIES.includes(c) ? /** @type {import('../posthog-standin.d.mts').Delivery} */ (c) : state.delivery
}
/** The templating mode for this browser: the `standin_templating` cookie else the server's. */
export function templatingFor(state, req) {
    const c = req ? cookie(req, 'standin_templating') : undefined
    return c === 'honour' || c === 'ignore' ? c : state.templating
}
