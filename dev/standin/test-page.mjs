// The test page (`GET /test`): the real posthog-js on a host page, configured by query parameters (see
// TestPageOptions in posthog-standin.d.mts): per-browser delivery and templating cookies, a CSP, a hostile
// stylesheet, storage that throws, extra `posthog.init` options.
import { DELIVERIES, send } from './http.mjs'

/** Strict policy for `?csp=strict` (alias `1`): nothing inline, neither scripts nor styles. */
const CSP_STRICT =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
/** `?csp=scripts`: no inline scripts, inline styles allowed. */
const CSP_SCRIPTS =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'"

const TEST_FLAGS = new Set(['delivery', 'templating', 'init', 'csp', 'hostile', 'blockStorage', 'bundle'])

/** @param {import('./state.mjs').StandInState} state @param {URL} url */
function testPage(state, url) {
    const q = url.searchParams
    let init = {}
    try {
        init = q.get('init') ? JSON.parse(q.get('init') || '{}') : {}
    } catch {
        init = {}
    }
    const bundle = q.get('bundle') === 'full' ? 'array.full.js' : 'array.js'
    const data = JSON.stringify({ token: state.token, init }).replace(/</g, '\\u003c')
    const passthrough = [...q.keys()].filter((k) => !TEST_FLAGS.has(k))
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stand-in test page</title>
${q.get('blockStorage') ? '<script src="/_standin/public/block-storage.js"></script>\n' : ''}${
        q.get('hostile') ? '<link rel="stylesheet" href="/_standin/public/hostile.css">\n' : ''
    }<script type="application/json" id="standin-options">${data}</script>
<script src="/static/${bundle}"></script>
<script src="/_standin/public/test-init.js"></script>
</head>
<body>
<header><h1>Test host page</h1></header>
<main>
<h2>Some host content</h2>
<p>Query params for the app: <code>${passthrough.map((k) => k.replace(/[<&>"]/g, '')).join(', ') || 'none'}</code></p>
<div class="content"><button type="button" id="host-button">Host button</button></div>
</main>
</body>
</html>`
}

/** `GET /test`. @param {import('./state.mjs').StandInState} state */
export function testPageRoute(state, req, res, url) {
    const csp = url.searchParams.get('csp')
    /** @type {Record<string, string | string[]>} */
    const headers = {}
    if (csp === 'report-only') headers['Content-Security-Policy-Report-Only'] = CSP_STRICT
    else if (csp) headers['Content-Security-Policy'] = csp === 'scripts' ? CSP_SCRIPTS : CSP_STRICT
    const d = url.searchParams.get('delivery')
    const t = url.searchParams.get('templating')
    const cookies = []
    if (d && DELIVERIES.includes(d)) cookies.push(`standin_delivery=${d}; Path=/; SameSite=Lax`)
    if (t === 'honour' || t === 'ignore') cookies.push(`standin_templating=${t}; Path=/; SameSite=Lax`)
    if (cookies.length) headers['Set-Cookie'] = cookies
    return send(req, res, 200, testPage(state, url), 'text/html; charset=utf-8', headers)
}

/** The URL of the test page with these options. @param {string} base @param {import('../posthog-standin.d.mts').TestPageOptions} opts */
export function testPageUrl(base, opts) {
    const q = new URLSearchParams()
    if (opts.delivery) q.set('delivery', opts.delivery)
    if (opts.templating) q.set('templating', opts.templating)
    if (opts.init) q.set('init', JSON.stringify(opts.init))
    if (opts.csp) q.set('csp', opts.csp === true ? 'strict' : opts.csp)
    if (opts.hostile) q.set('hostile', '1')
    if (opts.blockStorage) q.set('blockStorage', '1')
    if (opts.bundle) q.set('bundle', opts.bundle)
    for (const [k, v] of Object.entries(opts.query ?? {})) q.set(k, v)
    const qs = q.toString()
    return `${base}/test${qs ? `?${qs}` : ''}`
}
