// `npm run deploy -- --host <PostHog URL> --project <id> [--settings file.json] [--insight] [--dry-run]`
//
// Creates the User Interviewer site app (a HogFunction of type `site_app`) in a PostHog project through PostHog's REST
// API, or updates the one already there in place: its code, schema, name and description as built, its input values
// as the team set them in PostHog except the keys given in --settings. With --insight it also creates or updates a
// saved funnel insight (shown → clicked → booked, broken down by flag).
//
// What it relies on in PostHog (read from PostHog's source):
// - posthog/api/hog_function.py: `/api/projects/{id}/hog_functions/`, scope object `hog_function`; the list takes
//   `?type=` and answers the minimal serializer (no `inputs`), so the app is read again by id for its values; a PATCH
//   validates `inputs` against the `inputs_schema` it is sent (posthog/cdp/validation.py InputsSerializer: required
//   inputs must have a value, `number`/`string`/`boolean` values must be of that type).
// - posthog/api/insight.py: `/api/projects/{id}/insights/`, scope object `insight`; the list takes `?search=` (name
//   contains) and `?basic=true` (no results computed); a `query` is validated against the query schema
//   (schema-general.ts: InsightVizNode > FunnelsQuery, EventsNode, BreakdownFilter, FunnelsFilter, DateRange).
// - Nothing half made: a missing scope must fail before the first write, so the key is checked first, two ways.
//   posthog/api/personal_api_key.py: `GET /api/personal_api_keys/@current/` answers the key's own `scopes` (`["*"]`
//   for a key with all of them), but its viewset has `scope_object = "personal_api_key"` under APIScopePermission, so
//   only a key with `personal_api_key:read` (or `:write`, or `*`) may read itself; the usual key, scoped to just what
//   deploy needs, gets 403 (and a key limited to projects gets 403 on any endpoint outside a project). Then deploy
//   asks with writes that change nothing: a PATCH of `{}` to an app id no app has (the nil uuid) and to insight 0.
//   posthog/permissions.py: APIScopePermission.has_permission runs in DRF's `initial()`, before the view looks the
//   object up, so such a PATCH answers 403 `API key missing required scope 'hog_function:write'` without the scope
//   (or 403 `API key does not have access to the requested project` for a key limited to others) and 404 with it.
// - posthog/permissions.py: a key without the scope gets 403 `API key missing required scope 'x:write'`; posthog/auth.py:
//   an unknown key gets 401. Errors are drf-exceptions-hog's `{ type, code, detail, attr }`; lists are paginated
//   `{ count, next, previous, results }`.
// - frontend/src/scenes/urls.ts: `hogFunction(id)` is `/functions/{id}`, `insightView(id)` `/insights/{short_id}`,
//   both under `/project/{id}`.
//
// Plain Node 20 (fetch, parseArgs), no dependencies. `main(argv, env, io)` runs in-process for tests.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { inputsFromSettings } from './hog-inputs.mjs'

export const DEFAULT_BUILD_FILE = fileURLToPath(new URL('../dist/hog-function.json', import.meta.url))
export const KEY_ENV = 'POSTHOG_PERSONAL_API_KEY'
export const INSIGHT_NAME = 'User Interviewer: shown → clicked → booked'
export const INSIGHT_DESCRIPTION =
    'Visitors the User Interviewer popup was shown to, who clicked its book button, and who booked, per feature flag. ' +
    'Made by `npm run deploy -- --insight`; a new run updates it.'
/** Event names the funnel counts, as the app's settings name them (defaults in the inputs_schema). */
export const FUNNEL_EVENT_KEYS = ['shownUserInterviewPopupEvent', 'clickBookButtonEvent', 'bookedUserInterviewEvent']
const FALLBACK_EVENTS = ['User Interview Shown Pop Up', 'User Interview Clicked Book Button', 'User Interview Booked']
const REQUEST_TIMEOUT_MS = 30_000
const APP_SCOPE = 'hog_function:write'
const INSIGHT_SCOPE = 'insight:write'
/** Ids no object has, for the write checks: the nil uuid (hog function ids are uuids) and 0 (insight ids start at 1). */
export const PROBE_APP_ID = '00000000-0000-0000-0000-000000000000'
export const PROBE_INSIGHT_ID = 0

export const USAGE = `Usage: npm run deploy -- --host <PostHog URL> --project <project id> [options]

Creates the User Interviewer site app in a PostHog project, or updates the one already there (its code and schema;
the values your team set in PostHog are kept). Needs a personal API key in ${KEY_ENV} with the scope
hog_function:write (and insight:write with --insight).

Options:
  --host <url>        Your PostHog, e.g. https://us.posthog.com, https://eu.posthog.com or your own instance
  --project <id>      The project's id (the number in /project/<id>/ in PostHog's address bar)
  --settings <file>   A JSON object of settings keyed like plugin.json, e.g. {"interviewConfigs": "flag=https://..."};
                      these replace the app's values, the others are kept. Required when the app is created:
                      interviewConfigs
  --insight           Also create or update the funnel insight "${INSIGHT_NAME}"
  --dry-run           Print the requests and send nothing (no key or network needed)
  -h, --help          Show this help`

/** A failure to report as one `deploy:` line. */
export class DeployError extends Error {}

/** @typedef {{ host: string, project: number, settingsFile?: string, insight: boolean, dryRun: boolean, help: boolean }} Options */
/** @typedef {{ key: string, type: string, label?: string, required?: boolean, default?: unknown, secret?: boolean, choices?: Array<{ label?: string, value: unknown }> }} SchemaField */
/** @typedef {{ name: string, description: string, type: string, hog: string, inputs_schema: SchemaField[] }} Build */
/** @typedef {Record<string, { value?: unknown, secret?: boolean }>} Inputs */
/** @typedef {{ method: string, path: string, body?: unknown, why: string }} PlannedRequest */

// ---------------------------------------------------------------------------------------------------------- arguments

/**
 * @param {string[]} argv arguments after the script name
 * @returns {Options}
 */
export function parseArguments(argv) {
    let values
    try {
        ;({ values } = parseArgs({
            args: argv,
            options: {
                host: { type: 'string' },
                project: { type: 'string' },
                settings: { type: 'string' },
                insight: { type: 'boolean', default: false },
                'dry-run': { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
            strict: true,
            allowPositionals: false,
        }))
    } catch (error) {
        throw new DeployError(`${oneLine(error instanceof Error ? error.message : String(error))} (see --help)`)
    }
    if (values.help) return { host: '', project: 0, insight: false, dryRun: false, help: true }
    return {
        host: parseHost(values.host),
        project: parseProject(values.project),
        ...(values.settings !== undefined ? { settingsFile: values.settings } : {}),
        insight: !!values.insight,
        dryRun: !!values['dry-run'],
        help: false,
    }
}

/** An http(s) URL without a trailing slash, query or credentials. */
export function parseHost(raw) {
    if (!raw) throw new DeployError('--host is required, e.g. --host https://us.posthog.com (see --help)')
    let url
    try {
        url = new URL(raw)
    } catch {
        throw new DeployError(`--host ${JSON.stringify(raw)} is not a URL, e.g. https://us.posthog.com`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new DeployError(`--host must be an http(s) URL, not ${url.protocol}`)
    }
    if (url.username || url.password) throw new DeployError('--host must not hold credentials: put the key in ' + KEY_ENV)
    if (url.search || url.hash) throw new DeployError('--host must be the address of PostHog alone, without ?query or #hash')
    return url.origin + url.pathname.replace(/\/+$/, '')
}

/** A positive integer. */
export function parseProject(raw) {
    if (raw === undefined || raw === '') throw new DeployError('--project is required: the number in /project/<id>/ in PostHog (see --help)')
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
        throw new DeployError(`--project must be a positive integer (the number in /project/<id>/), not ${JSON.stringify(raw)}`)
    }
    return Number(raw)
}

// ------------------------------------------------------------------------------------------------ build and settings

/**
 * `dist/hog-function.json`: the create body less `inputs`.
 * @returns {Promise<Build>}
 */
export async function loadBuild(file = DEFAULT_BUILD_FILE) {
    let text
    try {
        text = await readFile(file, 'utf8')
    } catch {
        throw new DeployError(`${file} is missing: run npm run build first`)
    }
    let build
    try {
        build = JSON.parse(text)
    } catch {
        throw new DeployError(`${file} is not JSON: run npm run build again`)
    }
    const valid =
        build &&
        typeof build.name === 'string' &&
        build.name &&
        typeof build.hog === 'string' &&
        build.hog &&
        build.type === 'site_app' &&
        Array.isArray(build.inputs_schema) &&
        build.inputs_schema.every((field) => field && typeof field.key === 'string' && typeof field.type === 'string')
    if (!valid) throw new DeployError(`${file} is not a site app build (name, type site_app, hog, inputs_schema): run npm run build again`)
    return { ...build, description: typeof build.description === 'string' ? build.description : '' }
}

/**
 * The --settings file: a JSON object keyed like plugin.json.
 * @returns {Promise<Record<string, unknown>>}
 */
export async function loadSettings(file) {
    let text
    try {
        text = await readFile(file, 'utf8')
    } catch {
        throw new DeployError(`--settings ${file}: cannot read it`)
    }
    let settings
    try {
        settings = JSON.parse(text)
    } catch (error) {
        throw new DeployError(`--settings ${file} is not JSON (${oneLine(error instanceof Error ? error.message : String(error))})`)
    }
    if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
        throw new DeployError(`--settings ${file} must hold a JSON object keyed like plugin.json, e.g. {"interviewConfigs": "flag=https://..."}`)
    }
    return settings
}

/**
 * --settings as typed inputs; any unknown key or badly typed value fails the whole deploy.
 * @returns {Inputs}
 */
export function settingsInputs(schema, settings, file) {
    const { inputs, problems } = inputsFromSettings(schema, settings)
    if (problems.length) throw new DeployError(`--settings ${file}: ${problems.join('; ')} (nothing was sent)`)
    return inputs
}

/**
 * The inputs to send on update: the app's current values (kept as the team set them), with the --settings keys
 * replaced; keys the new schema no longer has are dropped (PostHog validates inputs against the schema sent).
 * @param {SchemaField[]} schema
 * @param {Record<string, any>} existing the app's `inputs` as PostHog answers them
 * @param {Inputs} replacements
 * @returns {Inputs}
 */
export function mergeInputs(schema, existing, replacements) {
    /** @type {Inputs} */
    const merged = {}
    for (const field of schema) {
        const key = field.key
        if (key in replacements) {
            merged[key] = replacements[key]
            continue
        }
        const current = existing?.[key]
        if (!current || typeof current !== 'object') continue
        if (current.secret === true && !('value' in current)) {
            merged[key] = { secret: true } // PostHog keeps the stored secret for this marker
            continue
        }
        if (!('value' in current) || current.value === null || current.value === undefined) continue
        // A value of the old schema's type (say "999999" for a field that became a number) converted when it can be.
        const { inputs, problems } = inputsFromSettings([field], { [key]: current.value })
        if (problems.length) {
            throw new DeployError(
                `the app's current ${key} (${JSON.stringify(current.value).slice(0, 60)}) is not a ${field.type} in the new schema: pass ${key} in --settings (nothing was sent)`,
            )
        }
        merged[key] = inputs[key]
    }
    return merged
}

/** Fails, naming the keys, when a required input has no value. */
export function checkRequired(schema, inputs) {
    const missing = schema
        .filter((field) => field.required)
        .map((field) => field.key)
        .filter((key) => {
            const value = inputs[key]?.value
            return !inputs[key]?.secret && (value === undefined || value === null || value === '')
        })
    if (missing.length) {
        const example = missing.includes('interviewConfigs') ? ', e.g. {"interviewConfigs": "user-interview=https://cal.com/you/30min"}' : ''
        throw new DeployError(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required: pass ${missing.length > 1 ? 'them' : 'it'} in --settings${example} (nothing was sent)`)
    }
}

/** A setting's effective value: given, else the schema default. */
function settingValue(schema, inputs, key, fallback) {
    const value = inputs[key]?.value
    if (typeof value === 'string' && value.trim()) return value
    const field = schema.find((f) => f.key === key)
    return typeof field?.default === 'string' && field.default.trim() ? field.default : fallback
}

// ------------------------------------------------------------------------------------------------------------ insight

/**
 * The saved insight's query: a funnel of the three events, broken down by the flag each was captured for.
 * @param {string[]} events shown, clicked, booked
 */
export function funnelQuery(events) {
    return {
        kind: 'InsightVizNode',
        source: {
            kind: 'FunnelsQuery',
            series: events.map((event) => ({ kind: 'EventsNode', event, name: event })),
            funnelsFilter: {
                funnelVizType: 'steps',
                funnelOrderType: 'ordered',
                funnelWindowInterval: 14,
                funnelWindowIntervalUnit: 'day',
            },
            breakdownFilter: { breakdown_type: 'event', breakdown: 'featureFlagName' },
            dateRange: { date_from: '-30d' },
        },
    }
}

/** The funnel's event names: as set (--settings, then the app's values), else the schema defaults. */
export function funnelEvents(schema, inputs) {
    return FUNNEL_EVENT_KEYS.map((key, i) => settingValue(schema, inputs, key, FALLBACK_EVENTS[i]))
}

// --------------------------------------------------------------------------------------------------------- PostHog API

/**
 * A small client for PostHog's REST API. Every failure becomes a DeployError with one clear line.
 * @param {{ host: string, key: string, fetch: typeof fetch }} options
 */
export function postHogClient({ host, key, fetch: fetchImpl }) {
    const origin = new URL(host).origin

    /**
     * One request and PostHog's JSON answer, whatever its status; no answer, a redirect or an answer that is not JSON
     * fails.
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
            throw new DeployError(`cannot reach ${host} (${networkReason(error)})`)
        }
        const text = await response.text().catch(() => '')
        if (response.status >= 300 && response.status < 400) {
            const location = response.headers.get('location')
            throw new DeployError(`${host} redirected ${what} to ${location ?? 'elsewhere'}: pass PostHog's own address as --host`)
        }
        const json = parseJson(text, response.headers.get('content-type'))
        if (json === undefined) {
            throw new DeployError(`${host} did not answer like PostHog (HTTP ${response.status}${describeType(response)} for ${what}): check --host`)
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
        throw new DeployError(failureLine(reply.status, reply.json, { host, scope, what }))
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
            if (page >= 50) throw new DeployError(`${host} kept paginating ${options.what}: check --host`)
            const body = await request('GET', next, options)
            if (!body || typeof body !== 'object' || !Array.isArray(body.results)) {
                throw new DeployError(`${host} did not answer like PostHog (no results list for ${options.what}): check --host`)
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

function oneLine(text) {
    const line = String(text).replace(/\s+/g, ' ').trim()
    return line.length > 300 ? `${line.slice(0, 297)}...` : line
}

// --------------------------------------------------------------------------------------------------------------- plan

/** The app's create body. */
export function createBody(build, inputs) {
    return { type: 'site_app', name: build.name, description: build.description, hog: build.hog, inputs_schema: build.inputs_schema, inputs, enabled: true }
}

/** The app's update body: code, schema, name and description as built; inputs merged. `enabled` is the team's. */
export function updateBody(build, inputs) {
    return { name: build.name, description: build.description, hog: build.hog, inputs_schema: build.inputs_schema, inputs }
}

/** A body for printing: the hog's length, not its content; inputs by key. */
export function summarise(body) {
    if (!body || typeof body !== 'object') return ''
    return Object.entries(body)
        .map(([key, value]) => {
            if (key === 'hog') return `hog: ${String(value).length} chars`
            if (key === 'inputs_schema') return `inputs_schema: ${value.length} inputs`
            if (key === 'inputs') return `inputs: ${Object.keys(value).join(', ') || 'none'}`
            if (key === 'description') return `description: ${String(value).length} chars`
            if (key === 'query') return `query: ${JSON.stringify(value)}`
            return `${key}: ${JSON.stringify(value)}`
        })
        .join(', ')
}

/** The dry run's text: every request a real run may send, with the branch it depends on. */
export function dryRunLines({ options, build, given, hasKey }) {
    const api = `${options.host}/api/projects/${options.project}`
    const line = (method, url, note) => `  ${method.padEnd(5)} ${url}${note ? `  (${note})` : ''}`
    const needed = options.insight ? `${APP_SCOPE} and ${INSIGHT_SCOPE}` : APP_SCOPE
    const lines = [`Dry run: nothing is sent.${hasKey ? '' : ` ${KEY_ENV} is not set: not needed for a dry run, a real run needs it.`}`, '', 'The key check first (changes nothing):']
    lines.push(line('GET', `${options.host}/api/personal_api_keys/@current/`, `the key's scopes: check it has ${needed}`))
    lines.push('        If the key may not read itself (no personal_api_key:read: 403), a write that finds nothing instead:')
    for (const probe of writeProbes(`${options.host}/api/projects/${options.project}`, options.insight)) {
        lines.push(line('PATCH', probe.path, `body {}: 404 if the key has ${probe.scope}, 403 if not`))
    }
    lines.push('', 'Then the reads:')
    lines.push(line('GET', `${api}/hog_functions/?type=site_app`, `find the site app named "${build.name}"`))
    if (options.insight) lines.push(line('GET', `${api}/insights/?basic=true&search=${encodeURIComponent('User Interviewer')}`, `find the insight named "${INSIGHT_NAME}"`))
    lines.push('', 'If there is no such app:')
    lines.push(line('POST', `${api}/hog_functions/`, summarise(createBody(build, given))))
    if (!given.interviewConfigs) lines.push('        (would stop before this: interviewConfigs is required to create the app, pass it in --settings)')
    lines.push('', 'If there is one (several: it stops and says so):')
    lines.push(line('GET', `${api}/hog_functions/{id}/`, 'read the values the team set'))
    const update = { name: build.name, description: build.description, hog: build.hog, inputs_schema: build.inputs_schema }
    const replaced = Object.keys(given).length ? `, with ${Object.keys(given).join(', ')} replaced` : ''
    lines.push(line('PATCH', `${api}/hog_functions/{id}/`, `${summarise(update)}, inputs: the app's values${replaced}`))
    if (options.insight) {
        const events = funnelEvents(build.inputs_schema, given)
        const body = { name: INSIGHT_NAME, description: INSIGHT_DESCRIPTION, query: funnelQuery(events), saved: true }
        lines.push('', 'Then the insight (events as set in --settings, else the app\'s values, else the defaults):')
        lines.push(line('POST', `${api}/insights/`, `if none: ${summarise(body)}`))
        lines.push(line('PATCH', `${api}/insights/{id}/`, 'if one: name, description, query as above'))
    }
    return lines
}

/** What the team still has to do in PostHog and on its site. */
export function leftToDo(schema, inputs) {
    const property = settingValue(schema, inputs, 'userPropertyNameSeenUserInterview', 'Seen User Interview Invitation')
    const configs = typeof inputs.interviewConfigs?.value === 'string' ? inputs.interviewConfigs.value : ''
    const flags = [...new Set(configs.split(',').map((pair) => pair.split('=')[0].trim()).filter(Boolean))]
    const example = flags[0] ?? 'user-interview'
    return [
        'What is left to do:',
        `  1. Create a feature flag per interview${flags.length ? ` (${flags.join(', ')})` : ''}, each released to the people you want to invite`,
        `     with the condition: person property "${property} - {flag}" is not set (for ${example}: "${property} - ${example}").`,
        '  2. On your site, opt in to site apps: posthog.init(\'<project API key>\', { api_host: ..., opt_in_site_apps: true }).',
        `  3. Preview the popup on your site without a flag: open any page with ?userInterviewPreview=${example}`,
    ]
}

// --------------------------------------------------------------------------------------------------------------- main

/**
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @param {{ fetch?: typeof fetch, stdout?: { write(s: string): unknown }, stderr?: { write(s: string): unknown }, buildFile?: string }} [io]
 * @returns {Promise<number>} the exit code
 */
export async function main(argv, env, io = {}) {
    const key = (env[KEY_ENV] ?? '').trim()
    // Whatever reaches the output, the key never does (not even echoed back inside an error from the server).
    const redact = (text) => (key ? text.split(key).join('[key]') : text)
    const stdout = io.stdout ?? process.stdout
    const stderr = io.stderr ?? process.stderr
    const out = (line = '') => stdout.write(redact(line) + '\n')
    try {
        const options = parseArguments(argv)
        if (options.help) {
            out(USAGE)
            return 0
        }
        const build = await loadBuild(io.buildFile)
        const given = options.settingsFile ? settingsInputs(build.inputs_schema, await loadSettings(options.settingsFile), options.settingsFile) : {}
        if (options.dryRun) {
            for (const line of dryRunLines({ options, build, given, hasKey: !!key })) out(line)
            out()
            for (const line of leftToDo(build.inputs_schema, given)) out(line)
            return 0
        }
        if (!key) throw new DeployError(`${KEY_ENV} is not set: create a personal API key in PostHog with scope hog_function:write${options.insight ? ' and insight:write' : ''} and export it`)
        if (!/^[\x21-\x7e]+$/.test(key)) throw new DeployError(`${KEY_ENV} holds spaces or characters no PostHog key has: copy the key again`)
        await deploy(options, build, given, { key, fetch: io.fetch ?? globalThis.fetch, out })
        return 0
    } catch (error) {
        const message = error instanceof DeployError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`
        stderr.write(redact(`deploy: ${oneLine(message)}`) + '\n')
        return 1
    }
}

/** The real run: every read first, then the writes, then the report. */
async function deploy(options, build, given, { key, fetch: fetchImpl, out }) {
    const { host, project } = options
    const api = `/api/projects/${project}`
    const client = postHogClient({ host, key, fetch: fetchImpl })
    const appScope = APP_SCOPE
    const insightScope = INSIGHT_SCOPE

    await checkKey(client, { host, api, insight: options.insight })

    const apps = await client.list(`${api}/hog_functions/?type=site_app`, { scope: appScope, what: 'the list of site apps' })
    const ours = apps.filter((app) => app && app.name === build.name && (app.type ?? 'site_app') === 'site_app')
    if (ours.length > 1) {
        throw new DeployError(
            `${ours.length} site apps are named "${build.name}" in project ${project} (ids ${ours.map((a) => a.id).join(', ')}): delete or rename all but one in PostHog, then run again (nothing was changed)`,
        )
    }
    const existing = ours[0]
        ? await client.request('GET', `${api}/hog_functions/${encodeURIComponent(ours[0].id)}/`, { scope: appScope, what: 'the site app' })
        : null
    if (existing && (typeof existing !== 'object' || existing.id === undefined)) {
        throw new DeployError(`${host} did not answer like PostHog (no id for the site app): check --host`)
    }
    const inputs = existing ? mergeInputs(build.inputs_schema, existing.inputs ?? {}, given) : given
    checkRequired(build.inputs_schema, inputs)

    let insight = null
    if (options.insight) {
        const found = await client.list(`${api}/insights/?basic=true&search=${encodeURIComponent('User Interviewer')}`, { scope: insightScope, what: 'the list of insights' })
        const named = found.filter((item) => item && item.name === INSIGHT_NAME && !item.deleted)
        if (named.length > 1) {
            throw new DeployError(
                `${named.length} insights are named "${INSIGHT_NAME}" in project ${project} (short ids ${named.map((i) => i.short_id).join(', ')}): delete or rename all but one, then run again (nothing was changed)`,
            )
        }
        insight = named[0] ?? null
    }

    // Writes.
    const app = existing
        ? await client.request('PATCH', `${api}/hog_functions/${encodeURIComponent(existing.id)}/`, { body: updateBody(build, inputs), scope: appScope, what: 'the site app update' })
        : await client.request('POST', `${api}/hog_functions/`, { body: createBody(build, inputs), scope: appScope, what: 'the new site app' })
    if (!app || typeof app !== 'object' || app.id === undefined) throw new DeployError(`${host} did not answer like PostHog (no id for the site app): check --host`)
    const appUrl = `${host}/project/${project}/functions/${encodeURIComponent(app.id)}`
    const kept = existing ? `: code and schema replaced, your values kept${Object.keys(given).length ? ` except ${Object.keys(given).join(', ')}` : ''}` : ''
    const report = [`${existing ? 'Updated' : 'Created'} the site app "${build.name}" (id ${app.id}) in project ${project}${kept}.`, `  ${appUrl}`]

    if (options.insight) {
        const body = { name: INSIGHT_NAME, description: INSIGHT_DESCRIPTION, query: funnelQuery(funnelEvents(build.inputs_schema, inputs)) }
        let saved
        try {
            saved = insight
                ? await client.request('PATCH', `${api}/insights/${encodeURIComponent(insight.id)}/`, { body, scope: insightScope, what: 'the insight update' })
                : await client.request('POST', `${api}/insights/`, { body: { ...body, saved: true }, scope: insightScope, what: 'the new insight' })
            if (!saved || typeof saved !== 'object' || !saved.short_id) throw new DeployError(`${host} did not answer like PostHog (no short_id for the insight): check --host`)
        } catch (error) {
            if (error instanceof DeployError) throw new DeployError(`the site app is ${existing ? 'updated' : 'created'} (${appUrl}), but the insight is not: ${error.message}`)
            throw error
        }
        report.push(`${insight ? 'Updated' : 'Created'} the insight "${INSIGHT_NAME}".`, `  ${host}/project/${project}/insights/${encodeURIComponent(saved.short_id)}`)
    }
    for (const line of [...report, '', ...leftToDo(build.inputs_schema, inputs)]) out(line)
}

/**
 * The write checks, when the key may not read its own scopes: a PATCH of `{}` to an id no object has. PostHog checks
 * the scope before it looks the object up, so the answer is 404 with the scope and 403 without, and nothing changes.
 * @param {string} api the project's API path (or URL)
 * @param {boolean} insight
 */
export function writeProbes(api, insight) {
    return [
        { scope: APP_SCOPE, path: `${api}/hog_functions/${PROBE_APP_ID}/`, what: `the ${APP_SCOPE} check (a PATCH of no app)` },
        ...(insight ? [{ scope: INSIGHT_SCOPE, path: `${api}/insights/${PROBE_INSIGHT_ID}/`, what: `the ${INSIGHT_SCOPE} check (a PATCH of no insight)` }] : []),
    ]
}

/**
 * Fails, before anything is written, when the key lacks a scope deploy needs: from the key's own scopes
 * (`GET /api/personal_api_keys/@current/`) when PostHog lets the key read them, else (403 without
 * personal_api_key:read or for a key limited to projects; 404, or an answer without `scopes`, where the endpoint is
 * missing) from the write checks.
 * @param {ReturnType<typeof postHogClient>} client
 * @param {{ host: string, api: string, insight: boolean }} options
 */
async function checkKey(client, { host, api, insight }) {
    const needed = insight ? [APP_SCOPE, INSIGHT_SCOPE] : [APP_SCOPE]
    const what = 'the key check'
    const me = await client.send('GET', '/api/personal_api_keys/@current/', { what })
    if (me.ok && me.json && typeof me.json === 'object' && Array.isArray(me.json.scopes)) {
        const has = new Set(me.json.scopes)
        const missing = has.has('*') ? [] : needed.filter((scope) => !has.has(scope))
        if (missing.length) {
            throw new DeployError(`the key lacks scope ${missing.join(' and ')} (it has ${me.json.scopes.join(', ') || 'none'}): give it ${needed.join(' and ')} in PostHog (nothing was changed)`)
        }
        return
    }
    if (!me.ok && me.status !== 403 && me.status !== 404) throw new DeployError(failureLine(me.status, me.json, { host, scope: 'personal_api_key:read', what }))

    for (const probe of writeProbes(api, insight)) {
        const reply = await client.send('PATCH', probe.path, { body: {}, what: probe.what })
        if (reply.status === 404) continue // the scope is there: PostHog looked for the object
        if (reply.status === 403) {
            const detail = errorDetail(reply.json)
            if (/missing required scope/i.test(detail)) {
                throw new DeployError(`the key lacks scope ${probe.scope} (PostHog: ${detail}): give it ${needed.join(' and ')} in PostHog (nothing was changed)`)
            }
            throw new DeployError(`PostHog refused ${probe.what} (403${detail ? `: ${detail}` : ''}) (nothing was changed)`)
        }
        if (reply.ok) throw new DeployError(`${host} did not answer like PostHog (HTTP ${reply.status} for ${probe.what}, where PostHog answers 404 or 403): check --host`)
        throw new DeployError(failureLine(reply.status, reply.json, { host, scope: probe.scope, what: probe.what }))
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    // Piped into `head` and the like: stop quietly when the reader is gone.
    process.stdout.on('error', (error) => {
        if (/** @type {any} */ (error).code === 'EPIPE') process.exit(process.exitCode ?? 0)
    })
    process.exitCode = await main(process.argv.slice(2), process.env)
}
