// A local stand-in for the parts of PostHog that posthog-js talks to, so the real posthog-js can load the built site
// app on loopback: remote config (config.js + JSON), flags, capture, the legacy site-app script, posthog-js's own
// static files, a demo page and a configurable test page. No framework, no network, no build step.
//
// Shapes follow posthog-js 1.449 (node_modules/posthog-js/lib/src: remote-config.js, site-apps.js, request.js,
// entrypoints/external-scripts-loader.js; @posthog/browser-common/dist/feature-flags.js) and PostHog's server
// (posthog/models/remote_config.py, posthog/plugins/site.py). The types are in posthog-standin.d.mts.
//
//   GET  /static/*                      posthog-js dist files (array.js, lazily loaded extensions, /static/{version}/*)
//   GET  /array/{token}/config.js       inline: `_POSTHOG_REMOTE_CONFIG[token] = { config, siteApps: [{ id, init }] }`
//                                       legacy: a script that defines nothing, so posthog-js falls back to the JSON
//   GET  /array/{token}/config          remote config JSON, with `siteApps: [{ id, url }]`
//   GET  /site_app/{id}/{token}/{hash}/ the legacy site app script
//   POST /flags/?v=2, /decide/          flags (v2 `flags: { key: { enabled, variant, metadata: { payload } } }`)
//   POST /e/, /i/v0/e/, /batch/ ...     capture (JSON, gzip, `data=` form, base64); everything else: 200 `{status:1}`
//   GET  /                              the demo page;  GET /test  the test page (see TestPageOptions)
//   GET  /_standin/state, POST /_standin/{flags,settings,delivery,reset,events/clear}   control, for the demo page
import { createServer } from 'node:http'
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const publicDir = join(here, 'public')
const posthogDist = join(dirname(require.resolve('posthog-js/package.json')), 'dist')
const posthogVersion = JSON.parse(readFileSync(join(posthogDist, '..', 'package.json'), 'utf8')).version

/** The PluginConfig id PostHog would give the installed app; it names `window['__$$ph_site_app_' + id]`. */
const SITE_APP_ID = 4242
const PRIVATE = '/_standin'

const CONTENT_TYPES = {
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

/** Strict policy for `?csp=strict` (alias `1`): nothing inline, neither scripts nor styles. */
const CSP_STRICT =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
/** `?csp=scripts`: no inline scripts, inline styles allowed. */
const CSP_SCRIPTS =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'"

// ---------------------------------------------------------------------------------------------------------------
// Site app: PostHog's transpile + wrap
// ---------------------------------------------------------------------------------------------------------------

let babel
/**
 * PostHog's `transpile(code, 'site')`: Babel with the TypeScript and env presets on `site.ts` alone, wrapped so
 * that calling it returns the module's exports.
 * @param {string} code
 * @returns {string} SOURCE: `(function () {let exports={};...;return exports;})`
 */
export function transpileSiteApp(code) {
    babel ??= require('@babel/standalone')
    const out = babel.transform(code, {
        filename: 'site.ts',
        babelrc: false,
        configFile: false,
        presets: [['typescript', { isTSX: false, allExtensions: true }], 'env'],
    }).code
    return `(function () {let exports={};${out};return exports;})`
}

/**
 * PostHog's `get_site_config_from_schema`: every `site: true` field, the saved value when the key is present
 * (even an empty string), else the schema's default (else null).
 * @param {Array<Record<string, any>>} schema plugin.json `config`
 * @param {Record<string, unknown>} values
 */
export function siteConfigFromSchema(schema, values) {
    /** @type {Record<string, unknown>} */
    const out = {}
    for (const field of schema) {
        if (!field || !field.site || !field.key) continue
        out[field.key] = Object.prototype.hasOwnProperty.call(values, field.key) ? values[field.key] : (field.default ?? null)
    }
    return out
}

/** Legacy script body served at the site app's URL (`/site_app/{id}/{token}/{hash}/`). */
function legacySiteAppScript(source, config, id) {
    return `${source}().inject({config:${JSON.stringify(config)},posthog:window['__$$ph_site_app_${id}']})`
}

/** One inline loader as `config.js` carries it in `siteApps: [...]`. */
function inlineSiteAppLoader(source, config, id) {
    return (
        `{\n      id: '${id}',\n      init: function(config) { return ${source}().inject({ config:${JSON.stringify(config)}, ` +
        `posthog:config.posthog, callback:config.callback }) }\n    }`
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Request body decoding (what posthog-js sends)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Decode a posthog-js request body: gzip (detected by magic bytes; posthog-js drops `compression=gzip-js` from
 * the URL when it gzips), `data=` form bodies (base64 or plain JSON, `compression=base64`), or plain JSON.
 * @param {Buffer} raw
 * @param {URLSearchParams} query
 * @returns {{ payload: any, encoding: string }}
 */
export function decodeBody(raw, query) {
    const compression = query.get('compression') || ''
    if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
        return { payload: JSON.parse(gunzipSync(raw).toString('utf8')), encoding: 'gzip' }
    }
    let text = raw.toString('utf8')
    let encoding = 'json'
    if (!text && query.has('data')) text = 'data=' + encodeURIComponent(query.get('data') || '')
    if (/^data=/.test(text)) {
        text = new URLSearchParams(text).get('data') || ''
        encoding = 'form'
    }
    const trimmed = text.trim()
    if (compression === 'base64' || (encoding === 'form' && !/^[[{]/.test(trimmed))) {
        const decoded = Buffer.from(trimmed, 'base64').toString('utf8')
        return { payload: JSON.parse(decoded), encoding: encoding === 'form' ? 'form+base64' : 'base64' }
    }
    return { payload: trimmed ? JSON.parse(trimmed) : undefined, encoding }
}

/** Capture bodies: `{ api_key, batch: [...], sent_at }`, a bare array, or one event. */
function eventsFromPayload(payload) {
    if (Array.isArray(payload)) return payload
    if (payload && Array.isArray(payload.batch)) return payload.batch
    if (payload && typeof payload === 'object') return [payload]
    return []
}

// ---------------------------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------------------------

/**
 * @typedef {{ enabled?: boolean, variant?: string | null, payload?: unknown, rawPayload?: string,
 *   unlessPersonHas?: string }} FlagSpec
 * @typedef {boolean | string | FlagSpec} FlagInput
 */

/** @param {FlagInput} input @returns {FlagSpec} */
function normalizeFlag(input) {
    if (typeof input === 'boolean') return { enabled: input }
    if (typeof input === 'string') return { enabled: true, variant: input }
    if (input && typeof input === 'object') return { enabled: input.enabled ?? true, ...input }
    return { enabled: false }
}

function flagIdFor(key) {
    let h = 0
    for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) | 0
    return Math.abs(h % 100000) + 1
}

// ---------------------------------------------------------------------------------------------------------------
// Stand-in
// ---------------------------------------------------------------------------------------------------------------

/**
 * Start the stand-in. See posthog-standin.d.mts for the option and handle types.
 * @param {import('./posthog-standin.d.mts').StandInOptions} [options]
 * @returns {Promise<import('./posthog-standin.d.mts').StandIn>}
 */
export async function startStandIn(options = {}) {
    const token = options.token ?? 'phc_standin_local_token'
    const host = options.host ?? '127.0.0.1'
    const siteAppPath = options.siteAppPath ?? join(root, 'dist', 'site.ts')
    const pluginJsonPath = options.pluginJsonPath ?? join(root, 'plugin.json')
    const log = options.log ?? ((message) => console.warn(message))

    const initial = {
        settings: { ...(options.settings ?? {}) },
        flags: { ...(options.flags ?? {}) },
        delivery: options.delivery ?? 'inline',
    }

    /** @type {import('./posthog-standin.d.mts').ReceivedEvent[]} */
    let events = []
    /** @type {Map<string, { id: number, properties: Record<string, unknown> }>} distinct id -> person */
    let persons = new Map()
    let nextPersonId = 1
    /** @type {Record<string, unknown>} */
    let settings = { ...initial.settings }
    /** @type {Record<string, FlagInput>} */
    let defaultFlags = { ...initial.flags }
    /** @type {Map<string, Record<string, FlagInput>>} */
    let flagOverrides = new Map()
    /** @type {'inline' | 'legacy'} */
    let delivery = initial.delivery
    /** @type {import('./posthog-standin.d.mts').RequestLogEntry[]} */
    let requests = []
    let eventWaiters = new Set()

    // ---- persons ------------------------------------------------------------------------------------------------
    function personFor(distinctId) {
        let person = persons.get(distinctId)
        if (!person) {
            person = { id: nextPersonId++, properties: {} }
            persons.set(distinctId, person)
        }
        return person
    }
    function mergePersons(a, b) {
        const pa = personFor(a)
        const pb = personFor(b)
        if (pa === pb) return
        pa.properties = { ...pb.properties, ...pa.properties }
        for (const [id, p] of persons) if (p === pb) persons.set(id, pa)
    }
    function applyPersonUpdates(ev) {
        const props = ev.properties || {}
        if (!ev.distinct_id) return
        // As PostHog's ingestion (normalizeProcessPerson): an event saying `$process_person_profile: false` (posthog-js,
        // person_profiles 'identified_only', for an anonymous visitor) touches no person, its $set, $set_once and $unset
        // dropped; and `$groupidentify` never sets person properties.
        if (props.$process_person_profile === false || ev.event === '$groupidentify') return
        if (ev.event === '$identify' && props.$anon_distinct_id) mergePersons(ev.distinct_id, props.$anon_distinct_id)
        if (ev.event === '$create_alias' && props.alias) mergePersons(ev.distinct_id, props.alias)
        const person = personFor(ev.distinct_id)
        const setOnce = { ...(props.$set_once || {}), ...(ev.$set_once || {}) }
        for (const [k, v] of Object.entries(setOnce)) if (!(k in person.properties)) person.properties[k] = v
        Object.assign(person.properties, ev.set)
        const unset = props.$unset || ev.$unset
        if (Array.isArray(unset)) for (const k of unset) delete person.properties[k]
    }

    // ---- site app -----------------------------------------------------------------------------------------------
    /** @type {{ key: string, source: string } | undefined} */
    let sourceCache
    async function siteAppSource() {
        const st = await stat(siteAppPath).catch(() => undefined)
        if (!st) throw new Error(`site app not built: ${siteAppPath} is missing (run npm run build)`)
        const key = `${st.mtimeMs}:${st.size}`
        if (sourceCache?.key !== key) {
            const code = await readFile(siteAppPath, 'utf8')
            sourceCache = { key, source: transpileSiteApp(code) }
        }
        return sourceCache.source
    }
    function pluginSchema() {
        try {
            return JSON.parse(readFileSync(pluginJsonPath, 'utf8')).config ?? []
        } catch (e) {
            log(`[standin] cannot read ${pluginJsonPath}: ${e}`)
            return []
        }
    }
    function siteConfig() {
        return siteConfigFromSchema(pluginSchema(), settings)
    }
    function siteAppUrl(source, config) {
        const hash = createHash('md5').update(source).update(JSON.stringify(config)).digest('hex')
        return `/site_app/${SITE_APP_ID}/${token}/${hash}/`
    }

    // ---- remote config & flags ----------------------------------------------------------------------------------
    /** The JSON posthog-js reads from `/array/{token}/config` (and, without `siteApps`, from config.js). */
    function remoteConfig(legacySiteApps) {
        return {
            token,
            supportedCompression: ['gzip', 'gzip-js'],
            hasFeatureFlags: true,
            captureDeadClicks: false,
            capturePerformance: false,
            autocapture_opt_out: false,
            autocaptureExceptions: false,
            analytics: { endpoint: '/i/v0/e/' },
            elementsChainAsString: true,
            errorTracking: { autocaptureExceptions: false, suppressionRules: [] },
            sessionRecording: false,
            heatmaps: false,
            surveys: false,
            productTours: false,
            defaultIdentifiedOnly: true,
            ...(legacySiteApps ? { siteApps: legacySiteApps } : {}),
        }
    }

    function effectiveFlags(distinctId) {
        return { ...defaultFlags, ...(distinctId ? flagOverrides.get(distinctId) : undefined) }
    }

    /** v2 `/flags` answer. A flag with `unlessPersonHas` is off when the person has that property (any value). */
    function flagsResponse(distinctId, requestPersonProperties) {
        const personProps = { ...(distinctId ? persons.get(distinctId)?.properties : undefined), ...requestPersonProperties }
        /** @type {Record<string, any>} */
        const flags = {}
        for (const [key, input] of Object.entries(effectiveFlags(distinctId))) {
            const spec = normalizeFlag(input)
            let enabled = !!spec.enabled
            let reason = enabled
                ? { code: 'condition_match', condition_index: 0, description: 'Matched condition set 1' }
                : { code: 'no_condition_match', condition_index: 0, description: 'No matching condition set' }
            if (enabled && spec.unlessPersonHas && personProps[spec.unlessPersonHas] != null) {
                enabled = false
                reason = { code: 'no_condition_match', condition_index: 0, description: 'No matching condition set' }
            }
            const payload =
                spec.rawPayload !== undefined ? spec.rawPayload : spec.payload !== undefined ? JSON.stringify(spec.payload) : undefined
            flags[key] = {
                key,
                enabled,
                variant: enabled && spec.variant ? spec.variant : null,
                reason,
                metadata: {
                    id: flagIdFor(key),
                    version: 1,
                    description: null,
                    ...(enabled && payload !== undefined ? { payload } : {}),
                },
            }
        }
        return { flags, errorsWhileComputingFlags: false, quotaLimited: [], requestId: randomUUID(), evaluatedAt: Date.now() }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------
    function corsHeaders(req) {
        const origin = req.headers.origin
        return {
            'Access-Control-Allow-Origin': origin || '*',
            ...(origin ? { 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {}),
            'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
            'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'Content-Type',
            'Access-Control-Max-Age': '600',
        }
    }
    function send(req, res, status, body, type, extra = {}) {
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
    const sendJson = (req, res, status, value, extra) =>
        send(req, res, status, JSON.stringify(value), 'application/json; charset=utf-8', extra)
    const sendJs = (req, res, code) => send(req, res, 200, code, 'application/javascript; charset=utf-8')

    async function readBody(req) {
        const chunks = []
        for await (const chunk of req) chunks.push(chunk)
        return Buffer.concat(chunks)
    }

    async function serveFile(req, res, baseDir, relPath, extraHeaders = {}) {
        const full = normalize(join(baseDir, relPath))
        if (!full.startsWith(baseDir + sep)) return send(req, res, 403, 'forbidden', 'text/plain')
        try {
            const body = await readFile(full)
            return send(req, res, 200, body, CONTENT_TYPES[extname(full)] ?? 'application/octet-stream', extraHeaders)
        } catch {
            return send(req, res, 404, 'not found', 'text/plain')
        }
    }

    function cookie(req, name) {
        const m = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie || '')
        return m ? decodeURIComponent(m[1]) : undefined
    }
    /** The delivery mode for this browser: the `standin_delivery` cookie (set by `/test?delivery=`) else the server's. */
    function deliveryFor(req) {
        const c = cookie(req, 'standin_delivery')
        return c === 'inline' || c === 'legacy' ? c : delivery
    }

    function recordEvents(payload, meta) {
        const list = eventsFromPayload(payload)
        for (const raw of list) {
            if (!raw || typeof raw !== 'object' || typeof raw.event !== 'string') continue
            const properties = raw.properties && typeof raw.properties === 'object' ? raw.properties : {}
            // PostHog's ingestion drops these events outright when they say `$process_person_profile: false`.
            if (properties.$process_person_profile === false && /^\$(identify|create_alias|merge_dangerously|groupidentify)$/.test(raw.event)) continue
            const distinctId = String(raw.distinct_id ?? properties.distinct_id ?? properties.$distinct_id ?? '')
            const set = { ...(properties.$set || {}), ...(raw.$set || {}) }
            /** @type {import('./posthog-standin.d.mts').ReceivedEvent} */
            const ev = {
                event: raw.event,
                distinct_id: distinctId,
                properties,
                set,
                $set: raw.$set,
                $set_once: raw.$set_once,
                timestamp: raw.timestamp,
                uuid: raw.uuid,
                receivedAt: new Date().toISOString(),
                endpoint: meta.endpoint,
                encoding: meta.encoding,
            }
            events.push(ev)
            applyPersonUpdates(ev)
        }
        for (const waiter of [...eventWaiters]) waiter()
    }

    const TEST_FLAGS = new Set(['delivery', 'init', 'csp', 'hostile', 'blockStorage', 'bundle'])

    function testPage(url) {
        const q = url.searchParams
        let init = {}
        try {
            init = q.get('init') ? JSON.parse(q.get('init') || '{}') : {}
        } catch {
            init = {}
        }
        const bundle = q.get('bundle') === 'full' ? 'array.full.js' : 'array.js'
        const data = JSON.stringify({ token, init }).replace(/</g, '\\u003c')
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

    async function handle(req, res) {
        const url = new URL(req.url || '/', `http://${req.headers.host || `${host}`}`)
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

        // Remote config.
        const cfg = /^\/array\/([^/]+)\/(config\.js|config|array\.js)$/.exec(path)
        if (cfg) {
            if (cfg[1] !== token) return send(req, res, 404, '', 'application/json')
            const mode = deliveryFor(req)
            if (cfg[2] === 'config') {
                const source = await siteAppSource().catch((e) => (log(String(e)), undefined))
                const legacy = source ? [{ id: SITE_APP_ID, url: siteAppUrl(source, siteConfig()) }] : []
                return sendJson(req, res, 200, remoteConfig(legacy), { Vary: 'Origin, Referer' })
            }
            if (cfg[2] === 'array.js') return send(req, res, 404, '', 'application/javascript')
            if (mode === 'legacy') {
                // Legacy path: the script form is unavailable, so posthog-js falls back to the JSON, whose
                // `siteApps: [{ id, url }]` it loads through `__PosthogExtensions__.loadSiteApp`.
                return sendJs(req, res, '/* stand-in: legacy delivery, no inline config */')
            }
            let loaders = ''
            try {
                loaders = inlineSiteAppLoader(await siteAppSource(), siteConfig(), SITE_APP_ID)
            } catch (e) {
                log(String(e))
            }
            const js =
                `(function() {\n  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};\n` +
                `  window._POSTHOG_REMOTE_CONFIG['${token}'] = {\n    config: ${JSON.stringify(remoteConfig())},\n` +
                `    siteApps: [${loaders}]\n  }\n})();`
            return sendJs(req, res, js)
        }

        // The legacy site app script.
        const siteApp = /^\/site_app\/(\d+)\/([^/]+)\/([^/]+)\/?$/.exec(path)
        if (siteApp) {
            if (siteApp[2] !== token || Number(siteApp[1]) !== SITE_APP_ID) return send(req, res, 404, '', 'text/plain')
            try {
                return sendJs(req, res, legacySiteAppScript(await siteAppSource(), siteConfig(), SITE_APP_ID))
            } catch (e) {
                return send(req, res, 500, `/* ${String(e).replace(/\*\//g, '')} */`, 'application/javascript')
            }
        }

        // Flags (v2) and the old decide endpoint.
        if (path === '/flags/' || path === '/flags' || path === '/decide/' || path === '/decide') {
            const raw = await readBody(req)
            let body = {}
            try {
                body = decodeBody(raw, url.searchParams).payload ?? {}
            } catch (e) {
                return sendJson(req, res, 400, { type: 'validation_error', detail: `Malformed request data: ${e}` })
            }
            requests.push({ method: req.method || 'GET', path: path + url.search, at: Date.now(), body })
            const answer = flagsResponse(body.distinct_id, body.person_properties)
            if (path.startsWith('/decide')) {
                const featureFlags = {}
                const featureFlagPayloads = {}
                for (const [k, d] of Object.entries(answer.flags)) {
                    featureFlags[k] = d.enabled ? (d.variant ?? true) : false
                    if (d.enabled && d.metadata.payload !== undefined) featureFlagPayloads[k] = d.metadata.payload
                }
                return sendJson(req, res, 200, { ...remoteConfig([]), ...answer, featureFlags, featureFlagPayloads })
            }
            return sendJson(req, res, 200, answer)
        }

        // Capture.
        if (/^\/(e|i\/v0\/e|batch|capture|track|engage)\/?$/.test(path)) {
            const raw = await readBody(req)
            try {
                const { payload, encoding } = decodeBody(raw, url.searchParams)
                recordEvents(payload, { endpoint: path, encoding })
                requests.push({ method: req.method || 'GET', path: path + url.search, at: Date.now() })
            } catch (e) {
                log(`[standin] undecodable capture body on ${path}: ${e}`)
                return sendJson(req, res, 400, { type: 'validation_error', code: 'invalid_payload', detail: String(e) })
            }
            return sendJson(req, res, 200, { status: 1 })
        }

        // Pages.
        if (path === '/' || path === '/index.html') return serveFile(req, res, publicDir, 'demo.html')
        if (path === '/test' || path === '/test/') {
            const csp = url.searchParams.get('csp')
            const headers = {}
            if (csp) headers['Content-Security-Policy'] = csp === 'scripts' ? CSP_SCRIPTS : CSP_STRICT
            const d = url.searchParams.get('delivery')
            if (d === 'inline' || d === 'legacy') headers['Set-Cookie'] = `standin_delivery=${d}; Path=/; SameSite=Lax`
            return send(req, res, 200, testPage(url), 'text/html; charset=utf-8', headers)
        }
        if (path.startsWith(`${PRIVATE}/public/`)) return serveFile(req, res, publicDir, path.slice(`${PRIVATE}/public/`.length))
        if (path === '/favicon.ico') return send(req, res, 204, '', 'image/x-icon')

        // Control endpoints for the demo page.
        if (path.startsWith(`${PRIVATE}/`)) return control(req, res, url)

        // Everything else posthog-js may call (recordings `/s/`, surveys, web vitals, logs...): accept and ignore.
        if (req.method === 'POST') await readBody(req)
        return sendJson(req, res, 200, { status: 1 })
    }

    async function control(req, res, url) {
        const path = url.pathname.slice(PRIVATE.length)
        let body = {}
        if (req.method === 'POST') {
            const raw = (await readBody(req)).toString('utf8')
            try {
                body = raw ? JSON.parse(raw) : {}
            } catch {
                return sendJson(req, res, 400, { error: 'body must be JSON' })
            }
        }
        if (path === '/state' && req.method === 'GET') {
            const distinctId = url.searchParams.get('distinct_id') || undefined
            const limit = Number(url.searchParams.get('limit') || 200)
            return sendJson(req, res, 200, {
                token,
                delivery,
                settings,
                siteConfig: siteConfig(),
                siteFields: pluginSchema().filter((f) => f && f.site),
                flags: defaultFlags,
                flagOverrides: distinctId ? (flagOverrides.get(distinctId) ?? {}) : Object.fromEntries(flagOverrides),
                flagsForVisitor: distinctId ? flagsResponse(distinctId, {}).flags : undefined,
                events: events.slice(-limit),
                eventCount: events.length,
                person: distinctId ? handle_.personProperties(distinctId) : undefined,
            })
        }
        if (req.method !== 'POST') return sendJson(req, res, 405, { error: 'use POST' })
        if (path === '/flags') {
            if (!body || typeof body.flags !== 'object') return sendJson(req, res, 400, { error: '{ flags: {...} } expected' })
            handle_.setFlags(body.flags, body.distinctId ? { distinctId: String(body.distinctId), replace: true } : { replace: true })
            return sendJson(req, res, 200, { ok: true })
        }
        if (path === '/settings') {
            handle_.setSettings(body.settings ?? body, { replace: !!body.replace })
            return sendJson(req, res, 200, { ok: true, settings })
        }
        if (path === '/delivery') {
            handle_.setDelivery(body.delivery)
            return sendJson(req, res, 200, { ok: true, delivery })
        }
        if (path === '/events/clear') {
            events = []
            persons = new Map()
            return sendJson(req, res, 200, { ok: true })
        }
        if (path === '/reset') {
            handle_.reset()
            return sendJson(req, res, 200, { ok: true })
        }
        return sendJson(req, res, 404, { error: 'unknown control endpoint' })
    }

    const server = createServer((req, res) => {
        handle(req, res).catch((e) => {
            log(`[standin] ${req.method} ${req.url} failed: ${e && e.stack ? e.stack : e}`)
            if (!res.headersSent) sendJson(req, res, 500, { error: String(e) })
            else res.end()
        })
    })
    const sockets = new Set()
    server.on('connection', (s) => {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
    })
    await new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(options.port ?? 0, host, () => resolve(undefined))
    })
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0

    /** @type {import('./posthog-standin.d.mts').StandIn} */
    const handle_ = {
        url: `http://127.0.0.1:${port}`,
        localhostUrl: `http://localhost:${port}`,
        port,
        token,
        siteAppId: SITE_APP_ID,
        events(filter) {
            const copy = events.map((e) => ({ ...e }))
            if (!filter) return copy
            if (typeof filter === 'string') return copy.filter((e) => e.event === filter)
            if (filter instanceof RegExp) return copy.filter((e) => filter.test(e.event))
            return copy.filter(filter)
        },
        waitForEvents(filter, opts = {}) {
            const count = opts.count ?? 1
            const timeout = opts.timeout ?? 10_000
            return new Promise((resolve, reject) => {
                const check = () => {
                    const found = handle_.events(filter)
                    if (found.length >= count) {
                        cleanup()
                        resolve(found)
                    }
                }
                const timer = setTimeout(() => {
                    cleanup()
                    const names = events.map((e) => e.event).join(', ') || 'none'
                    reject(new Error(`timed out after ${timeout} ms waiting for ${count} event(s) matching ${String(filter)}; received: ${names}`))
                }, timeout)
                const cleanup = () => {
                    clearTimeout(timer)
                    eventWaiters.delete(check)
                }
                eventWaiters.add(check)
                check()
            })
        },
        personProperties(distinctId) {
            return { ...(persons.get(distinctId)?.properties ?? {}) }
        },
        persons() {
            const seen = new Map()
            for (const [id, p] of persons) {
                const entry = seen.get(p) ?? { distinctIds: [], properties: { ...p.properties } }
                entry.distinctIds.push(id)
                seen.set(p, entry)
            }
            return [...seen.values()]
        },
        requests() {
            return requests.slice()
        },
        setFlags(flags, opts = {}) {
            if (opts.distinctId) {
                const current = opts.replace ? {} : (flagOverrides.get(opts.distinctId) ?? {})
                flagOverrides.set(opts.distinctId, { ...current, ...flags })
            } else {
                defaultFlags = opts.replace ? { ...flags } : { ...defaultFlags, ...flags }
            }
        },
        setSettings(partial, opts = {}) {
            settings = opts.replace ? { ...partial } : { ...settings, ...partial }
        },
        settings() {
            return { ...settings }
        },
        siteConfig,
        setDelivery(mode) {
            if (mode !== 'inline' && mode !== 'legacy') throw new Error(`delivery must be 'inline' or 'legacy', got ${mode}`)
            delivery = mode
        },
        clearEvents() {
            events = []
            persons = new Map()
            requests = []
        },
        reset() {
            events = []
            persons = new Map()
            requests = []
            settings = { ...initial.settings }
            defaultFlags = { ...initial.flags }
            flagOverrides = new Map()
            delivery = initial.delivery
        },
        testPageUrl(opts = {}) {
            const base = opts.host === 'localhost' ? handle_.localhostUrl : handle_.url
            const q = new URLSearchParams()
            if (opts.delivery) q.set('delivery', opts.delivery)
            if (opts.init) q.set('init', JSON.stringify(opts.init))
            if (opts.csp) q.set('csp', opts.csp === true ? 'strict' : opts.csp)
            if (opts.hostile) q.set('hostile', '1')
            if (opts.blockStorage) q.set('blockStorage', '1')
            if (opts.bundle) q.set('bundle', opts.bundle)
            for (const [k, v] of Object.entries(opts.query ?? {})) q.set(k, v)
            const qs = q.toString()
            return `${base}/test${qs ? `?${qs}` : ''}`
        },
        close() {
            return new Promise((resolve) => {
                server.close(() => resolve(undefined))
                for (const s of sockets) s.destroy()
            })
        },
    }
    return handle_
}

/** True when `dist/site.ts` exists (the app has been built). */
export function siteAppBuilt(path = join(root, 'dist', 'site.ts')) {
    try {
        return statSync(path).isFile()
    } catch {
        return false
    }
}
