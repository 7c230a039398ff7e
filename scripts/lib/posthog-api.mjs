// A small client for PostHog's REST API, shared by deploy and status. Every failure is one CliError line.
//
// What it relies on in PostHog (read from PostHog's source):
// - posthog/permissions.py: APIScopePermission runs in DRF's `initial()`, before a view looks its object up: a key
//   without the scope gets 403 `API key missing required scope 'x:write'` (or `... does not have access to the
//   requested project` for a key limited to others) even for an id no object has, and 404 with the scope. posthog/auth.py:
//   an unknown key gets 401. A viewset with `scope_object = "INTERNAL"` refuses every personal API key (403 `This action
//   does not support Personal API Key access`).
// - posthog/api/personal_api_key.py: `GET /api/personal_api_keys/@current/` answers the key's own `scopes` (`["*"]`
//   for all), but only to a key with personal_api_key:read (else 403; a key limited to projects gets 403 outside one).
// - Errors are drf-exceptions-hog's `{ type, code, detail, attr }`; lists are paginated `{ count, next, previous, results }`.
import { CliError, isLoopback, KEY_ENV, oneLine, redactor } from './cli.mjs'

const REQUEST_TIMEOUT_MS = 30_000

/**
 * @param {{ host: string, key: string, fetch: typeof fetch }} options host as parseHost returns it
 */
export function postHogClient({ host, key, fetch: fetchImpl }) {
    const base = new URL(host)
    // Checked here too, before any request, whoever built the host: the key goes over https, or stays on this machine.
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
        throw new CliError(`${base.origin} is not https: the key would travel in clear (http is accepted for localhost only)`)
    }
    const origin = base.origin
    const redact = redactor(key)

    /**
     * One request and PostHog's JSON answer, whatever its status; no answer, a redirect or an answer that is not JSON
     * fails. The answer is redacted as it arrives, before any of it is cut to a line.
     * @param {string} method
     * @param {string} pathOrUrl a path under host, or a `next` URL PostHog gave
     * @param {{ body?: unknown, what: string }} options
     * @returns {Promise<{ status: number, ok: boolean, json: any }>}
     */
    async function send(method, pathOrUrl, { body, what }) {
        const url = pathOrUrl.startsWith('/') ? host + pathOrUrl : sameOrigin(pathOrUrl)
        let response
        try {
            response = await fetchImpl(url, {
                method,
                headers: {
                    Authorization: `Bearer ${key}`,
                    Accept: 'application/json',
                    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
                },
                ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
                redirect: 'manual',
                signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            })
        } catch (error) {
            throw new CliError(`cannot reach ${host} (${redact(networkReason(error))})`)
        }
        const text = redact(await response.text().catch(() => ''))
        if (response.status >= 300 && response.status < 400) {
            const location = redact(response.headers.get('location') ?? 'elsewhere')
            throw new CliError(`${host} redirected ${what} to ${oneLine(location)}: pass PostHog's own address as --host`)
        }
        const json = parseJson(text, response.headers.get('content-type'))
        if (json === undefined) {
            throw new CliError(`${host} did not answer like PostHog (HTTP ${response.status}${describeType(response)} for ${what}): check --host`)
        }
        return { status: response.status, ok: response.ok, json }
    }

    /**
     * A request that must succeed: its JSON answer, else one line.
     * @param {string} method
     * @param {string} pathOrUrl
     * @param {{ body?: unknown, scope: string, what: string }} options scope: the one this request needs, named on a 403
     */
    async function request(method, pathOrUrl, { body, scope, what }) {
        const reply = await send(method, pathOrUrl, { body, what })
        if (reply.ok) return reply.json
        throw new CliError(failureLine(reply.status, reply.json, { host, scope, what }))
    }

    /** Keeps the key on PostHog's origin: a `next` link elsewhere is followed on ours. */
    function sameOrigin(link) {
        const url = new URL(link, host)
        return url.origin === origin ? url.href : origin + url.pathname + url.search
    }

    /** Every page of a paginated list (`{ results, next }`). */
    async function list(path, options) {
        /** @type {any[]} */
        const all = []
        let next = path
        for (let page = 0; next; page++) {
            if (page >= 50) throw new CliError(`${host} kept paginating ${options.what}: check --host`)
            const body = await request('GET', next, options)
            if (!body || typeof body !== 'object' || !Array.isArray(body.results)) {
                throw new CliError(`${host} did not answer like PostHog (no results list for ${options.what}): check --host`)
            }
            all.push(...body.results)
            next = typeof body.next === 'string' && body.next ? body.next : null
        }
        return all
    }

    return { send, request, list }
}

/** The one line for a PostHog error reply. */
export function failureLine(status, body, { host, scope, what }) {
    const detail = errorDetail(body)
    if (status === 401) return `PostHog rejected the key in ${KEY_ENV} (401${detail ? `: ${detail}` : ''}): create a personal API key in PostHog (Settings > Personal API keys)`
    if (status === 403) {
        const missing = /missing required scope '([^']+)'/i.exec(detail)
        if (missing) return `the key lacks scope ${scope.endsWith(':write') ? scope : missing[1]} (PostHog: ${detail}): give the key ${scope}`
        return `PostHog refused ${what} (403${detail ? `: ${detail}` : ''})`
    }
    if (status === 404) return `project not found at ${host}, or not accessible with this key (404 on ${what}): check --project and --host`
    if (status === 400) return `PostHog refused ${what}: ${detail || 'invalid request'}`
    return `PostHog answered HTTP ${status} for ${what}${detail ? `: ${detail}` : ''}`
}

/** PostHog's error text, condensed to one line: `attr: detail` (drf-exceptions-hog) or a flattened DRF error object. */
export function errorDetail(body) {
    if (!body || typeof body !== 'object') return typeof body === 'string' ? oneLine(body) : ''
    if (typeof body.detail === 'string') {
        const attr = typeof body.attr === 'string' && body.attr ? `${body.attr.replace(/__/g, '.')}: ` : ''
        return oneLine(attr + body.detail)
    }
    /** @type {string[]} */
    const parts = []
    const walk = (value, path) => {
        if (parts.length >= 6) return
        if (typeof value === 'string') parts.push(path ? `${path}: ${value}` : value)
        else if (Array.isArray(value)) value.forEach((item) => walk(item, path))
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k)
    }
    walk(body, '')
    return oneLine(parts.join('; '))
}

/**
 * Fails, before anything is written, when the key lacks one of `probes`' scopes: from the key's own scopes
 * (`GET /api/personal_api_keys/@current/`) when PostHog lets the key read them, else (403 without
 * personal_api_key:read or for a key limited to projects; 404, or an answer without `scopes`, where the endpoint is
 * missing) from write checks that change nothing: a PATCH of `{}` to an id no object has, 404 with the scope.
 * @param {ReturnType<typeof postHogClient>} client
 * @param {string} host
 * @param {Array<{ scope: string, path: string, what: string }>} probes
 */
export async function checkScopes(client, host, probes) {
    const needed = probes.map((probe) => probe.scope)
    const what = 'the key check'
    const me = await client.send('GET', '/api/personal_api_keys/@current/', { what })
    if (me.ok && me.json && typeof me.json === 'object' && Array.isArray(me.json.scopes)) {
        const has = new Set(me.json.scopes)
        const missing = has.has('*') ? [] : needed.filter((scope) => !has.has(scope))
        if (missing.length) {
            throw new CliError(`the key lacks scope ${missing.join(' and ')} (it has ${me.json.scopes.join(', ') || 'none'}): give it ${needed.join(' and ')} in PostHog (nothing was changed)`)
        }
        return
    }
    if (!me.ok && me.status !== 403 && me.status !== 404) throw new CliError(failureLine(me.status, me.json, { host, scope: 'personal_api_key:read', what }))

    for (const probe of probes) {
        const reply = await client.send('PATCH', probe.path, { body: {}, what: probe.what })
        if (reply.status === 404) continue // the scope is there: PostHog looked for the object
        if (reply.status === 403) {
            const detail = errorDetail(reply.json)
            if (/missing required scope/i.test(detail)) {
                throw new CliError(`the key lacks scope ${probe.scope} (PostHog: ${detail}): give it ${needed.join(' and ')} in PostHog (nothing was changed)`)
            }
            throw new CliError(`PostHog refused ${probe.what} (403${detail ? `: ${detail}` : ''}) (nothing was changed)`)
        }
        if (reply.ok) throw new CliError(`${host} did not answer like PostHog (HTTP ${reply.status} for ${probe.what}, where PostHog answers 404 or 403): check --host`)
        throw new CliError(failureLine(reply.status, reply.json, { host, scope: probe.scope, what: probe.what }))
    }
}

function parseJson(text, contentType) {
    if (contentType && !/json/i.test(contentType)) return undefined
    try {
        return JSON.parse(text)
    } catch {
        return undefined
    }
}

function describeType(response) {
    const type = response.headers.get('content-type')
    return type ? `, ${type.split(';')[0]}` : ''
}

function networkReason(error) {
    const e = /** @type {any} */ (error)
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`
    const cause = e?.cause
    return oneLine(cause?.code || cause?.message || e?.message || String(error))
}
