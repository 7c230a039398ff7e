// The stand-in's HTTP server: one router over the rooms, each of which follows one PostHog surface.
//   GET  /static/*                      posthog-js dist files (array.js, lazily loaded extensions, /static/{version}/*)
//   GET  /array/{token}/config(.js), /site_app/...   remote config and the legacy site app (remote-config.mjs)
//   POST /flags/?v=2, /decide/          flags (flags.mjs)
//   POST /e/, /i/v0/e/, /batch/ ...     capture (ingestion.mjs); everything else: 200 `{status:1}`
//   GET  /                              the demo page;  GET /test  the test page (test-page.mjs)
//   /_standin/state, /_standin/...      control (control.mjs); /_standin/booking/... imitation booking pages
//   /api/{projects,environments}/{id}/{resource}/[{id}/]   PostHog's REST API (api/router.mjs)
//   GET  /api/personal_api_keys/@current/   the key used (api/personal-api-keys.mjs)
import { createServer } from 'node:http'
import { bookingPageFor } from '../booking-pages.mjs'
import { api } from './api/router.mjs'
import { personalApiKeysApi } from './api/personal-api-keys.mjs'
import { controlRoute } from './control.mjs'
import { flagsRoute, FLAGS_PATH } from './flags.mjs'
import { corsHeaders, posthogDist, posthogVersion, PRIVATE, publicDir, readBody, send, sendJson, serveFile } from './http.mjs'
import { CAPTURE_PATH, captureRoute } from './ingestion.mjs'
import { CONFIG_PATH, configRoute, SITE_APP_PATH, siteAppRoute } from './remote-config.mjs'
import { createState } from './state.mjs'
import { createHandle } from './handle.mjs'
import { testPageRoute } from './test-page.mjs'

/** @param {import('./state.mjs').StandInState} state */
async function route(state, req, res) {
    const url = new URL(req.url || '/', `http://${req.headers.host || `${state.host}`}`)
    const path = url.pathname
    if (req.method === 'OPTIONS') {
        res.writeHead(204, corsHeaders(req))
        return res.end()
    }
    // posthog-js static files (array.js, lazily loaded extensions), also the versioned `/static/{v}/x.js` paths.
    if (path.startsWith('/static/')) {
        let rel = path.slice('/static/'.length)
        if (rel.startsWith(`${posthogVersion}/`)) rel = rel.slice(posthogVersion.length + 1)
        return serveFile(req, res, posthogDist, rel)
    }
    const cfg = CONFIG_PATH.exec(path)
    if (cfg) return configRoute(state, req, res, cfg)
    const siteApp = SITE_APP_PATH.exec(path)
    if (siteApp) return siteAppRoute(state, req, res, siteApp)
    if (FLAGS_PATH.test(path)) return flagsRoute(state, req, res, url)
    if (CAPTURE_PATH.test(path)) return captureRoute(state, req, res, url)

    // Pages.
    if (path === '/' || path === '/index.html') return serveFile(req, res, publicDir, 'demo.html')
    if (path === '/test' || path === '/test/') return testPageRoute(state, req, res, url)
    if (path.startsWith(`${PRIVATE}/public/`)) return serveFile(req, res, publicDir, path.slice(`${PRIVATE}/public/`.length))
    if (path === '/favicon.ico') return send(req, res, 204, '', 'image/x-icon')
    // Imitation booking pages (dev/booking-pages.mjs), also routed from calendly.com and app.cal.com in the e2e tests.
    if (path.startsWith(`${PRIVATE}/booking/`)) {
        const page = bookingPageFor(path.slice(`${PRIVATE}/booking/`.length), url)
        return page ? send(req, res, 200, page, 'text/html; charset=utf-8') : send(req, res, 404, 'no such page', 'text/plain')
    }
    if (path.startsWith(`${PRIVATE}/`)) return controlRoute(state, req, res, url)

    // PostHog's REST API.
    if (path.startsWith('/api/projects/') || path.startsWith('/api/environments/')) return api(state, req, res, url)
    if (path === '/api/personal_api_keys' || path.startsWith('/api/personal_api_keys/')) return personalApiKeysApi(state, req, res, url)

    // Everything else posthog-js may call (recordings `/s/`, surveys, web vitals, logs...): accept and ignore.
    if (req.method === 'POST') await readBody(req)
    return sendJson(req, res, 200, { status: 1 })
}

/**
 * Start the stand-in. See posthog-standin.d.mts for the option and handle types.
 * @param {import('../posthog-standin.d.mts').StandInOptions} [options]
 * @returns {Promise<import('../posthog-standin.d.mts').StandIn>}
 */
export async function startStandIn(options = {}) {
    const state = createState(options)
    const server = createServer((req, res) => {
        route(state, req, res).catch((e) => {
            state.log(`[standin] ${req.method} ${req.url} failed: ${e && e.stack ? e.stack : e}`)
            if (!res.headersSent) sendJson(req, res, 500, { error: String(e) })
            else res.end()
        })
    })
    /** @type {Set<import('node:net').Socket>} */
    const sockets = new Set()
    server.on('connection', (s) => {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
    })
    await new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(options.port ?? 0, state.host, () => resolve(undefined))
    })
    const address = server.address()
    state.port = typeof address === 'object' && address ? address.port : 0
    const close = () =>
        new Promise((resolve) => {
            server.close(() => resolve(undefined))
            for (const s of sockets) s.destroy()
        })
    return createHandle(state, /** @type {() => Promise<void>} */ (close))
}
