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
//   GET  /_standin/state, POST /_standin/{flags,settings,delivery,templating,reset,events/clear}   control
//   /api/{projects,environments}/{id}/{hog_functions,insights}/[{id}/]   PostHog's REST API for these two resources
//                                       (personal API key auth and scopes, validation, soft delete)
//   GET  /api/personal_api_keys/@current/   the key used (posthog/api/personal_api_key.py), scope personal_api_key
//
// Delivery 'hog' serves the app as PostHog serves a HogFunction of type `site_app`: config.js lists every enabled
// site function in the store (created through the REST API), compiled as posthog/cdp/site_functions.py does; with
// none in the store, an implicit one built from dist/hog-function.json with the current settings as its inputs.
import { createServer } from 'node:http'
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { createRequire } from 'node:module'
import { bookingPageFor } from './booking-pages.mjs'
import { HogTemplateError, importStlFunctions, pyJsonDumps, transpileTemplateCode } from './hog-template.mjs'
import { inputsFromSettings } from '../scripts/hog-inputs.mjs'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const publicDir = join(here, 'public')
const posthogDist = join(dirname(require.resolve('posthog-js/package.json')), 'dist')
const posthogVersion = JSON.parse(readFileSync(join(posthogDist, '..', 'package.json'), 'utf8')).version

/** The PluginConfig id PostHog would give the installed app; it names `window['__$$ph_site_app_' + id]`. */
const SITE_APP_ID = 4242
const PRIVATE = '/_standin'
/** The personal API key every stand-in knows unless `personalApiKeys` says otherwise, and its scopes. */
export const DEFAULT_PERSONAL_API_KEY = 'phx_standin_personal_key'
export const DEFAULT_PERSONAL_API_KEY_SCOPES = Object.freeze(['hog_function:read', 'hog_function:write', 'insight:read', 'insight:write'])
const DELIVERIES = ['inline', 'legacy', 'hog']

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
// Site functions: HogFunctions of type `site_app` (and `site_destination`) as config.js serves them
// ---------------------------------------------------------------------------------------------------------------
// Follows posthog/cdp/site_functions.py `get_transpiled_function` (PostHog/posthog 2506df8 and 12854f0, the newest
// stored copies; ejwhite7/posthog's later copy differs only by a structuredClone fallback that mappings use, and
// site apps have no mappings) and posthog/models/remote_config.py `_build_site_apps_js` / `get_config_js_via_token`.
//
// Templating. Every stored copy of get_transpiled_function compiles any input string holding `{` (and any object or
// list) as a Hog template, whatever the input's schema says, while validation.py (the newest copy) skips the template
// check and stores no `transpiled` code for an input whose schema says `templating: false`. No stored copy of
// site_functions.py honours the flag (searched PostHog/posthog, ejwhite7/posthog, hanzoai/insights). So:
// `honourTemplatingFalse: true` (default) emulates a PostHog whose get_transpiled_function treats such an input as a
// JSON constant, exactly as the brief describes the newest one; `false` emulates every stored version. On those, a
// `{...}` in such a text is evaluated (an unknown name prints as `null`), and a `{` that does not parse makes
// get_transpiled_function raise: the API answers 500 and remote config silently leaves the function out.

/** The id config.js gives the implicit site function the stand-in serves when none was created through the API. */
export const IMPLICIT_SITE_FUNCTION_ID = 'standin-site-app'

const SITE_FUNCTION_TYPES = ['site_destination', 'site_app']

const INIT_PART_1 =
    "\n    let processEvent = undefined;\n    if ('onEvent' in source) {\n        processEvent = function processEvent(globals, posthog) {\n" +
    "            if (!('onEvent' in source)) { return; };\n            const inputs = buildInputs(globals);\n" +
    '            const filterGlobals = { ...globals.groups, ...globals.event, person: globals.person, inputs, pdi: { distinct_id: globals.event.distinct_id, person: globals.person } };\n' +
    '            let __getGlobal = (key) => filterGlobals[key];\n            const filterMatches = '
const INIT_PART_2 = ';\n            if (!filterMatches) { return; }\n            '
const INIT_PART_3 =
    '\n        }\n    }\n\n    function init(config) {\n        const posthog = config.posthog;\n        const callback = config.callback;\n' +
    "        if ('onLoad' in source) {\n            const globals = {\n                person: {\n" +
    "                    properties: posthog.get_property('$stored_person_properties'),\n                }\n            }\n" +
    '            const r = source.onLoad({ inputs: buildInputs(globals, true), posthog: posthog });\n' +
    "            if (r && typeof r.then === 'function' && typeof r.finally === 'function') { r.catch(() => callback(false)).then(() => callback(true)) } else { callback(true) }\n" +
    '        } else {\n            callback(true);\n        }\n\n        const response = {}\n\n        if (processEvent) {\n' +
    '            response.processEvent = (globals) => processEvent(globals, posthog)\n        }\n\n        return response\n    }\n\n' +
    '    return { init: init };'

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * PostHog's `get_transpiled_function(hog_function)`: the `(function() {...})` source config.js wraps, whose call
 * returns `{ init }`. Throws `HogTemplateError` for an input template that does not parse and Babel's error for
 * TypeScript that does not compile (PostHog's TranspilerError). Filters and mappings are not supported (a site app
 * has neither): the filter code is `true`, as PostHog compiles empty filters.
 * @param {{ hog?: string | null, inputs?: Record<string, any> | null, inputs_schema?: Array<Record<string, any>> | null }} hogFunction
 * @param {{ honourTemplatingFalse?: boolean }} [options]
 * @returns {string}
 */
export function transpileSiteFunction(hogFunction, { honourTemplatingFalse = true } = {}) {
    const stl = new Set()
    const inputsObject = []
    let inputsSwitch = ''
    const inputsAppend = []
    const literal = new Set(
        honourTemplatingFalse
            ? (hogFunction.inputs_schema ?? []).filter((s) => s && s.templating === false).map((s) => String(s.key))
            : [],
    )
    const entries = Object.entries(hogFunction.inputs ?? {}).filter(([, input]) => isPlainObject(input))
    // Python's sorted(..., key=order or -1) is stable, as is Array.prototype.sort.
    entries.sort((a, b) => (a[1].order ?? -1) - (b[1].order ?? -1))
    for (const [key, input] of entries) {
        const value = input.value
        const keyString = pyJsonDumps(String(key) || '<empty>')
        const templated = (typeof value === 'string' && value.includes('{')) || isPlainObject(value) || Array.isArray(value)
        if (templated && !literal.has(key)) {
            const baseCode = transpileTemplateCode(value, stl)
            inputsSwitch += `case ${keyString}: return ${baseCode};\n`
            inputsAppend.push(`inputs[${keyString}] = getInputsKey(${pyJsonDumps(key)});`)
        } else {
            inputsObject.push(`${keyString}: ${pyJsonDumps(value)}`)
        }
    }
    let response = 'function buildInputs(globals, initial) {\n'
    response += 'let inputs = {\n' + inputsObject.join(',\n') + '};\n'
    response += "let __getGlobal = (key) => key === 'inputs' ? inputs : globals[key];\n"
    if (inputsSwitch) {
        response += 'function getInputsKey(key, initial) { try { switch (key) {\n'
        response += inputsSwitch
        response += 'default: return null; }\n'
        response += "} catch (e) { if(!initial) {console.error('[POSTHOG-JS] Unable to compute value for inputs', key, e);} return null } }\n"
        response += inputsAppend.join('\n') + '\n'
    }
    response += 'return inputs;}\n'
    response += `const source = ${transpileSiteApp(hogFunction.hog ?? '')}();`
    // hog_function_filters_to_expr({}) is Constant(True); no mappings, so the mapping code is ";".
    response += INIT_PART_1 + 'true' + INIT_PART_2 + ';' + INIT_PART_3
    return '(function() {\n' + importStlFunctions(stl) + '\n' + response + '\n})'
}

/** remote_config.py `indent_js`: every line, empty ones too, prefixed. */
function indentJs(js, indent = 4) {
    return js
        .split('\n')
        .map((line) => ' '.repeat(indent) + line)
        .join('\n')
}

/** One site function as remote_config.py `_build_site_apps_js` puts it in config.js's `siteApps: [...]`. */
export function siteFunctionLoader(id, source) {
    return indentJs(`\n{\n  id: '${id}',\n  init: function(config) { return ${indentJs(source, 4)}().init(config) } \n}`)
}

// ---------------------------------------------------------------------------------------------------------------
// PostHog's REST API error bodies (drf-exceptions-hog, exceptions_hog/handler.py): `{ type, code, detail, attr }`
// ---------------------------------------------------------------------------------------------------------------

/** A DRF error detail: message and code (`invalid` is reported as `invalid_input`). */
const fail = (message, code = 'invalid') => ({ message, code })

/** Python's `type(x).__name__` for a JSON value. */
function pyType(v) {
    if (v === null || v === undefined) return 'NoneType'
    if (typeof v === 'boolean') return 'bool'
    if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
    if (typeof v === 'string') return 'str'
    if (Array.isArray(v)) return 'list'
    return 'dict'
}

/**
 * exceptions_hog's answer to a ValidationError: the first error (depth first, keys in order), its code (`invalid`
 * -> `invalid_input`) and its path joined with `__` (`non_field_errors` alone -> null).
 * @param {any} errors a message, or nested `{ field: detail | [detail] | {...} }`
 */
export function validationErrorBody(errors) {
    let node = errors
    const keys = []
    while (isPlainObject(node) && !('message' in node && 'code' in node)) {
        const first = Object.keys(node)[0]
        keys.push(first)
        node = node[first]
    }
    const detail = Array.isArray(node) ? node[0] : node
    const code = detail.code === 'invalid' ? 'invalid_input' : detail.code
    const attr = keys.length === 0 || (keys.length === 1 && (keys[0] === 'non_field_errors' || keys[0] === '__all__')) ? null : keys.join('__')
    return { type: 'validation_error', code, detail: detail.message, attr }
}

class ApiError extends Error {
    /** @param {number} status @param {any} body */
    constructor(status, body) {
        super(typeof body === 'object' && body ? String(body.detail) : `HTTP ${status}`)
        this.status = status
        this.body = body
    }
}
const validationError = (errors) => new ApiError(400, validationErrorBody(errors))
/** What PostHog answers when a Python exception escapes a view (not DEBUG): exceptions_hog's server_error. */
const serverError = () => new ApiError(500, { type: 'server_error', code: 'error', detail: 'A server error occurred.', attr: null })

// DRF field semantics (rest_framework/fields.py), for the fields these endpoints read.
const TRUE_VALUES = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1', 1, true])
const FALSE_VALUES = new Set(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0', 0, 0.0, false])

/** @returns {{ value?: any, error?: any }} */
function booleanField(v, { allowNull = false } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    if (TRUE_VALUES.has(v)) return { value: true }
    if (FALSE_VALUES.has(v)) return { value: false }
    return { error: [fail('Must be a valid boolean.')] }
}

function charField(v, { allowNull = false, allowBlank = false, maxLength = Infinity, trim = true } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    if (typeof v === 'boolean' || (typeof v === 'object' && v !== null)) return { error: [fail('Not a valid string.')] }
    let s = String(v)
    if (s === '' || (trim && s.trim() === '')) return allowBlank ? { value: '' } : { error: [fail('This field may not be blank.', 'blank')] }
    if (trim) s = s.trim()
    if ([...s].length > maxLength) return { error: [fail(`Ensure this field has no more than ${maxLength} characters.`, 'max_length')] }
    return { value: s }
}

function choiceField(v, choices, { allowNull = false } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    const asText = typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'object' ? JSON.stringify(v) : String(v)
    for (const choice of choices) {
        const choiceText = typeof choice === 'boolean' ? (choice ? 'True' : 'False') : String(choice)
        if (choiceText === asText) return { value: choice }
    }
    return { error: [fail(`"${asText}" is not a valid choice.`, 'invalid_choice')] }
}

/** Python's truthiness of a JSON value (`if not value`). */
const pyFalsy = (v) =>
    v === null || v === undefined || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0)

/**
 * Postgres jsonb's key order, which PostHog's JSONFields come back in: shorter keys first, then bytewise.
 * @template T @param {T} value @returns {T}
 */
function jsonbOrder(value) {
    if (Array.isArray(value)) return /** @type {any} */ (value.map(jsonbOrder))
    if (!isPlainObject(value)) return value
    const keys = Object.keys(value).sort((a, b) => {
        const la = Buffer.byteLength(a)
        const lb = Buffer.byteLength(b)
        return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b))
    })
    /** @type {any} */
    const out = {}
    for (const k of keys) out[k] = jsonbOrder(/** @type {any} */ (value)[k])
    return out
}

/** DRF DateTimeField output: ISO 8601 with microseconds and `Z`. */
const drfNow = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

// ---------------------------------------------------------------------------------------------------------------
// HogFunction validation: posthog/cdp/validation.py (InputsSchemaItemSerializer, InputsItemSerializer,
// InputsSerializer) and products/cdp/backend/api/hog_function.py (HogFunctionSerializer), newest stored copies.
// ---------------------------------------------------------------------------------------------------------------

/** HogFunctionType choices (products/cdp/backend/models/hog_functions/hog_function.py, newest). */
const HOG_FUNCTION_TYPES = [
    'destination',
    'site_destination',
    'internal_destination',
    'source_webhook',
    'warehouse_source_webhook',
    'site_app',
    'transformation',
    'transformation_log',
]
/** hog_function.py `MAX_HOG_CODE_SIZE_BYTES`. */
export const MAX_HOG_CODE_SIZE_BYTES = 100 * 1024

const INPUT_SCHEMA_TYPES = [
    'string', 'number', 'boolean', 'dictionary', 'choice', 'json', 'integration', 'integration_multi', 'integration_field',
    'email', 'native_email', 'posthog_assignee', 'posthog_ticket_tags', 'posthog_business_hours', 'non_failure_status_codes',
    'customer_analytics_account_properties', 'customer_analytics_account_relationships', 'task_model', 'task_repository',
    'task_mcp_installations',
]
/** validation.py: the input types whose value is compiled (`value_is_transpiled`). */
const TRANSPILED_INPUT_TYPES = new Set([
    'string', 'boolean', 'dictionary', 'json', 'email', 'native_email', 'posthog_ticket_tags',
    'customer_analytics_account_properties', 'customer_analytics_account_relationships',
])

/** InputsSchemaItemSerializer on one item: `{ value }` (declared fields only, defaults filled) or `{ error }`. */
function validateSchemaItem(item) {
    if (!isPlainObject(item)) return { error: { non_field_errors: [fail(`Invalid data. Expected a dictionary, but got ${pyType(item)}.`)] } }
    /** @type {Record<string, any>} */
    const errors = {}
    /** @type {Record<string, any>} */
    const out = {}
    const take = (key, result) => {
        if (result.error) errors[key] = result.error
        else out[key] = result.value
    }
    const string = (key, opts) => {
        if (key in item) take(key, charField(item[key], opts))
    }
    const bool = (key, dflt) => {
        if (key in item) take(key, booleanField(item[key]))
        else if (dflt !== undefined) out[key] = dflt
    }
    if ('type' in item) take('type', choiceField(item.type, INPUT_SCHEMA_TYPES))
    else errors.type = [fail('This field is required.', 'required')]
    if ('key' in item) take('key', charField(item.key))
    else errors.key = [fail('This field is required.', 'required')]
    string('label', { allowBlank: true })
    if ('choices' in item) {
        if (!Array.isArray(item.choices)) errors.choices = [fail(`Expected a list of items but got type "${pyType(item.choices)}".`, 'not_a_list')]
        else {
            const bad = item.choices.findIndex((c) => !isPlainObject(c))
            if (bad >= 0) errors.choices = { [bad]: [fail(`Expected a dictionary of items but got type "${pyType(item.choices[bad])}".`, 'not_a_dict')] }
            else out.choices = item.choices
        }
    }
    bool('searchable')
    bool('required', false)
    if ('default' in item) out.default = item.default
    bool('secret', false)
    bool('hidden', false)
    string('description')
    for (const key of ['integration', 'integration_key', 'requires_field', 'integration_field', 'requiredScopes']) string(key)
    if ('templating' in item) take('templating', choiceField(item.templating, [true, false, 'hog', 'liquid']))
    return Object.keys(errors).length ? { error: errors } : { value: out }
}

/**
 * InputsItemSerializer.validate for one input: type checks, then (templating on) the value compiled as a Hog
 * template. Returns the stored input or throws `{ input: [...] }`-style errors as `{ error }`.
 */
function validateInputItem(raw, schema, functionType) {
    if (!isPlainObject(raw)) return { error: { non_field_errors: [fail(`Invalid data. Expected a dictionary, but got ${pyType(raw)}.`)] } }
    /** @type {Record<string, any>} */
    const attrs = {}
    if ('value' in raw) attrs.value = raw.value
    if ('templating' in raw) {
        const t = choiceField(raw.templating, ['hog', 'liquid'])
        if (t.error) return { error: { templating: t.error } }
        attrs.templating = t.value
    }
    const value = attrs.value
    const type = String(schema.type)
    const input = (message) => ({ error: { input: [fail(message)] } })
    if (schema.required && (value === null || value === undefined || value === '')) return input('This field is required.')
    if (pyFalsy(value)) return { value: attrs }
    if (type === 'string' && typeof value !== 'string') return input('Value must be a string.')
    // Python: isinstance(value, int | float); a bool is an int there.
    if (type === 'number' && typeof value !== 'number' && typeof value !== 'boolean') return input('Value must be a number.')
    if (type === 'boolean') {
        const templatingEnabled = schema.templating ?? true
        if (templatingEnabled) {
            if (typeof value !== 'boolean' && typeof value !== 'string') return input('Value must be a boolean or a template string.')
            if (typeof value === 'string' && attrs.templating === 'liquid') {
                return input('Liquid templating is not supported for boolean fields. Use Hog templating instead.')
            }
        } else if (typeof value !== 'boolean') return input('Value must be a boolean.')
    }
    if ((type === 'dictionary' || type.startsWith('customer_analytics_account_')) && !isPlainObject(value)) return input('Value must be a dictionary.')
    if (type === 'integration' && !(typeof value === 'number' && Number.isInteger(value))) return input('Value must be an Integration ID.')
    if (type === 'integration_multi' && !(Array.isArray(value) && value.every((v) => Number.isInteger(v)))) return input('Value must be a list of Integration IDs.')
    if (type === 'task_repository' && typeof value !== 'string') return input('Value must be a repository name like your-org/your-repo.')
    const schemaTemplating = schema.templating ?? true
    if (schemaTemplating && attrs.templating !== 'liquid' && TRANSPILED_INPUT_TYPES.has(type)) {
        if (!SITE_FUNCTION_TYPES.includes(functionType)) {
            // Other types compile templates to Hog bytecode, which the stand-in cannot (see the type check).
            return input('(stand-in) only site functions are supported')
        }
        try {
            const stl = new Set()
            const code = transpileTemplateCode(value, stl)
            attrs.transpiled = { lang: 'ts', code, stl: [...stl].sort() }
        } catch (e) {
            const message = e instanceof Error ? e.message : String(e)
            if (containsLiquidSyntax(value)) {
                return input(
                    'Invalid template: this field uses single-curly templating like {person.properties.email}. ' +
                        `Liquid-style {{ ... }} syntax is not supported here. (${message})`,
                )
            }
            return input(`Invalid template: ${message}`)
        }
    }
    return { value: attrs }
}

function containsLiquidSyntax(value) {
    if (typeof value === 'string') return value.includes('{{')
    if (isPlainObject(value)) return Object.values(value).some(containsLiquidSyntax)
    if (Array.isArray(value)) return value.some(containsLiquidSyntax)
    return false
}

/**
 * InputsSerializer.run_child_validation: iterates the (raw) schema, not the inputs; inputs not in the schema are
 * dropped; a required input with a default and no value gets the default; `order` is the schema order (site
 * functions record no input dependencies). Returns `{ value }` or `{ error }` (the `inputs` field's errors); throws
 * ApiError 500 where PostHog's code raises a Python error.
 * @returns {{ value?: Record<string, any>, error?: any }}
 */
function validateInputs(rawInputs, rawSchema, functionType, existingInputs) {
    if (!isPlainObject(rawInputs)) return { error: [fail(`Expected a dictionary of items but got type "${pyType(rawInputs)}".`, 'not_a_dict')] }
    // PostHog iterates the raw schema: anything but a list of objects with `key` and `type` raises a Python error, a 500.
    if (!Array.isArray(rawSchema)) throw serverError()
    /** @type {Record<string, any>} */
    const result = {}
    /** @type {Record<string, any>} */
    const errors = {}
    for (const schema of rawSchema) {
        // PostHog indexes schema["key"] and schema["type"] unguarded: a KeyError there is a 500.
        if (!isPlainObject(schema) || !('key' in schema) || !('type' in schema)) throw serverError()
        const key = String(schema.key)
        let value = rawInputs[key]
        if (pyFalsy(value)) value = {}
        if (schema.secret) {
            const masked = isPlainObject(value) && !!value.secret && (!('value' in value) || value.value === '********')
            if (masked || (isPlainObject(value) && Object.keys(value).length === 0)) {
                const existing = existingInputs?.[key]
                if (existing) value = existing
                else if (masked) {
                    errors[key] = 'No value is saved for this secret input. Enter the value again.'
                    continue
                }
            }
        }
        if (isPlainObject(value) && Object.keys(value).length === 0 && schema.required && schema.default !== undefined && schema.default !== null) {
            value = { value: schema.default }
        }
        if ('templating' in schema) {
            const t = schema.templating
            if (typeof t !== 'boolean' || t) {
                if (!isPlainObject(value)) throw serverError() // value["templating"] = ... on a non-dict
                value = { ...value, templating: typeof t === 'boolean' ? 'hog' : t }
            }
        }
        const checked = validateInputItem(value, schema, functionType)
        if (checked.error) {
            errors[key] = checked.error.input ?? checked.error
            continue
        }
        if (!('value' in checked.value)) continue
        result[key] = checked.value
    }
    if (Object.keys(errors).length) {
        return { error: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, typeof v === 'string' ? [fail(v)] : v])) }
    }
    Object.keys(result).forEach((key, i) => (result[key].order = i))
    return { value: result }
}

/** Filters for a site function: HogFunctionFiltersSerializer, transpiled as PostHog does for site types. */
function validateSiteFilters(raw) {
    if (!isPlainObject(raw)) return { error: { non_field_errors: [fail(`Invalid data. Expected a dictionary, but got ${pyType(raw)}.`)] } }
    for (const key of ['events', 'actions', 'properties', 'data_warehouse']) {
        if (key in raw && !(Array.isArray(raw[key]) && raw[key].length === 0)) {
            // STRICTER than PostHog: the stand-in does not compile filters (site apps run on every page).
            return { error: { [key]: [fail('(stand-in) filters are not supported for site functions; leave them empty')] } }
        }
    }
    if (raw.filter_test_accounts === true) return { error: { filter_test_accounts: [fail('(stand-in) filters are not supported for site functions')] } }
    const source = choiceField(raw.source ?? 'events', ['events', 'person-updates', 'data-warehouse-table', 'data-warehouse-view'])
    if (source.error) return { error: { source: source.error } }
    /** @type {Record<string, any>} */
    const out = { source: source.value }
    for (const key of ['events', 'actions', 'properties', 'filter_test_accounts']) if (key in raw) out[key] = raw[key]
    if (out.source === 'events') delete out.data_warehouse
    out.transpiled = { lang: 'ts', code: 'true', stl: [] }
    return { value: out }
}

// ---------------------------------------------------------------------------------------------------------------
// Insight query check. PostHog's InsightSerializer only checks that `query` is a JSON object (QueryFieldSerializer:
// "Query must be a valid JSON object"). STRICTER: the stand-in also checks what the query runner would need, per
// posthog/schema.py (InsightVizNode.source, FunnelsQuery.series of EventsNode/ActionsNode, BreakdownFilter), so a
// deploy that saves an insight PostHog could not compute fails here instead of later.
// ---------------------------------------------------------------------------------------------------------------

const INSIGHT_VIZ_SOURCES = ['TrendsQuery', 'FunnelsQuery', 'RetentionQuery', 'PathsQuery', 'StickinessQuery', 'LifecycleQuery']
const QUERY_KINDS = ['InsightVizNode', 'DataTableNode', 'DataVisualizationNode', 'HogQuery']
const BREAKDOWN_TYPES = ['cohort', 'person', 'event', 'event_metadata', 'group', 'session', 'hogql', 'data_warehouse', 'data_warehouse_person_property', 'revenue_analytics']

/** @returns {string | null} why PostHog could not compute this query, or null */
export function insightQueryProblem(query) {
    if (!isPlainObject(query)) return 'query must be an object'
    if (!QUERY_KINDS.includes(query.kind)) return `query.kind must be one of ${QUERY_KINDS.join(', ')}`
    if (query.kind !== 'InsightVizNode') return null
    const source = query.source
    if (!isPlainObject(source)) return 'query.source must be an object'
    if (!INSIGHT_VIZ_SOURCES.includes(source.kind)) return `query.source.kind must be one of ${INSIGHT_VIZ_SOURCES.join(', ')}`
    if (['TrendsQuery', 'FunnelsQuery', 'StickinessQuery'].includes(source.kind)) {
        if (!Array.isArray(source.series)) return 'query.source.series must be a list'
        if (source.kind === 'FunnelsQuery' && source.series.length < 2) return 'a FunnelsQuery needs at least 2 steps in series'
        for (const [i, node] of source.series.entries()) {
            if (!isPlainObject(node)) return `query.source.series[${i}] must be an object`
            if (node.kind === 'EventsNode') {
                if (!(typeof node.event === 'string' || node.event === null || node.event === undefined)) return `query.source.series[${i}].event must be a string or null`
            } else if (node.kind === 'ActionsNode') {
                if (typeof node.id !== 'number') return `query.source.series[${i}].id must be a number`
            } else if (node.kind !== 'DataWarehouseNode') return `query.source.series[${i}].kind must be EventsNode, ActionsNode or DataWarehouseNode`
        }
    }
    if ('breakdownFilter' in source && source.breakdownFilter !== null) {
        const b = source.breakdownFilter
        if (!isPlainObject(b)) return 'query.source.breakdownFilter must be an object'
        if (b.breakdown_type != null && !BREAKDOWN_TYPES.includes(b.breakdown_type)) return `breakdownFilter.breakdown_type must be one of ${BREAKDOWN_TYPES.join(', ')}`
    }
    for (const key of ['funnelsFilter', 'dateRange', 'trendsFilter']) {
        if (key in source && source[key] !== null && !isPlainObject(source[key])) return `query.source.${key} must be an object`
    }
    if (isPlainObject(source.dateRange)) {
        for (const key of ['date_from', 'date_to']) {
            const v = source.dateRange[key]
            if (v !== undefined && v !== null && typeof v !== 'string') return `query.source.dateRange.${key} must be a string or null`
        }
    }
    return null
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
        templating: options.templating ?? 'honour',
    }
    if (!DELIVERIES.includes(initial.delivery)) throw new Error(`delivery must be one of ${DELIVERIES.join(', ')}, got ${initial.delivery}`)
    if (initial.templating !== 'honour' && initial.templating !== 'ignore') throw new Error(`templating must be 'honour' or 'ignore', got ${initial.templating}`)

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
    /** @type {import('./posthog-standin.d.mts').Delivery} */
    let delivery = initial.delivery
    /** Which PostHog get_transpiled_function emulates: 'honour' `templating: false` (newest) or 'ignore' it (older). */
    let templating = initial.templating
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
            'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
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
        return c && DELIVERIES.includes(c) ? /** @type {import('./posthog-standin.d.mts').Delivery} */ (c) : delivery
    }

    // ---- PostHog REST API: hog functions and insights ----------------------------------------------------------
    // Follows products/cdp/backend/api/hog_function.py (HogFunctionSerializer, HogFunctionViewSet), posthog/api/
    // insight.py (InsightSerializer), posthog/permissions.py (APIScopePermission), posthog/auth.py
    // (PersonalAPIKeyAuthentication), posthog/api/forbid_destroy_model.py and drf-exceptions-hog's error bodies.
    const projectId = options.projectId ?? 1
    /** @type {Record<string, string[] | { scopes: string[], scopedTeams?: number[] }>} */
    const personalApiKeys = options.personalApiKeys ?? { [DEFAULT_PERSONAL_API_KEY]: [...DEFAULT_PERSONAL_API_KEY_SCOPES] }
    /** A key's scopes and scoped teams (PersonalAPIKey.scopes, .scoped_teams), or undefined for an unknown key. */
    function personalApiKey(key) {
        if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(personalApiKeys, key)) return undefined
        const entry = personalApiKeys[key]
        if (Array.isArray(entry)) return { scopes: entry, scopedTeams: [] }
        if (!entry || !Array.isArray(entry.scopes)) return undefined
        return { scopes: entry.scopes, scopedTeams: Array.isArray(entry.scopedTeams) ? entry.scopedTeams : [] }
    }
    const apiStartedAt = new Date().toISOString()
    const hogFunctionPath = options.hogFunctionPath ?? join(root, 'dist', 'hog-function.json')
    /** @type {Map<string, Record<string, any>>} id -> stored HogFunction (what PostHog's row holds) */
    let hogFunctions = new Map()
    /** @type {Map<number, Record<string, any>>} */
    let insights = new Map()
    let nextInsightId = 1
    const standInUser = {
        id: 1,
        uuid: '0191c1d0-0000-7000-8000-000000000001',
        distinct_id: 'standin-user',
        first_name: 'Stand-in',
        last_name: '',
        email: 'standin@example.com',
        is_email_verified: true,
        hedgehog_config: null,
        role_at_organization: null,
    }

    function templatingFor(req) {
        const c = req ? cookie(req, 'standin_templating') : undefined
        return c === 'honour' || c === 'ignore' ? c : templating
    }

    /** Python-side `get_transpiled_function` for a stored function, cached (Babel takes a while on the app). */
    const compileCache = new Map()
    function compileSiteFunction(fn, mode) {
        const key = createHash('sha256')
            .update(mode)
            .update('\0')
            .update(fn.hog ?? '')
            .update('\0')
            .update(JSON.stringify(fn.inputs ?? {}))
            .update('\0')
            .update(JSON.stringify(fn.inputs_schema ?? []))
            .digest('hex')
        if (!compileCache.has(key)) {
            if (compileCache.size > 50) compileCache.delete(compileCache.keys().next().value)
            compileCache.set(key, transpileSiteFunction(fn, { honourTemplatingFalse: mode === 'honour' }))
        }
        return compileCache.get(key)
    }

    /** @type {{ key: string, fn: any } | undefined} */
    let builtFunctionCache
    /** dist/hog-function.json as the team would install it: the settings as its inputs, validated as PostHog does. */
    async function implicitSiteFunction() {
        const st = await stat(hogFunctionPath).catch(() => undefined)
        if (!st) {
            log(`[standin] no site function: ${hogFunctionPath} is missing (run npm run build)`)
            return undefined
        }
        const key = `${st.mtimeMs}:${st.size}:${JSON.stringify(settings)}`
        if (builtFunctionCache?.key === key) return builtFunctionCache.fn
        let fn
        try {
            const built = JSON.parse(await readFile(hogFunctionPath, 'utf8'))
            const schema = []
            for (const item of built.inputs_schema ?? []) {
                const checked = validateSchemaItem(item)
                if (checked.error) throw new Error(`inputs_schema item ${JSON.stringify(item?.key)}: ${JSON.stringify(validationErrorBody(checked.error))}`)
                schema.push(checked.value)
            }
            const { inputs: raw, problems } = inputsFromSettings(schema, settings)
            for (const problem of problems) log(`[standin] setting left out of the site function's inputs: ${problem}`)
            const inputs = validateInputs(raw, built.inputs_schema ?? [], built.type ?? 'site_app', undefined)
            if (inputs.error) throw new Error(`PostHog would refuse these inputs: ${JSON.stringify(validationErrorBody({ inputs: inputs.error }))}`)
            fn = {
                id: IMPLICIT_SITE_FUNCTION_ID,
                type: built.type ?? 'site_app',
                name: built.name ?? null,
                enabled: true,
                deleted: false,
                hog: String(built.hog ?? '').trim(),
                inputs_schema: jsonbOrder(schema),
                inputs: jsonbOrder(inputs.value),
            }
        } catch (e) {
            log(`[standin] no site function from ${hogFunctionPath}: ${e instanceof Error ? e.message : e}`)
            fn = undefined
        }
        builtFunctionCache = { key, fn }
        return fn
    }

    /** config.js's site function entries: every enabled site function, as remote_config.py builds them. */
    async function siteFunctionLoaders(mode) {
        const stored = [...hogFunctions.values()]
        const serve = stored.filter((f) => f.enabled && !f.deleted && SITE_FUNCTION_TYPES.includes(f.type))
        if (!stored.some((f) => !f.deleted && f.type === 'site_app')) {
            const implicit = await implicitSiteFunction()
            if (implicit) serve.push(implicit)
        }
        const loaders = []
        for (const fn of serve) {
            try {
                loaders.push(siteFunctionLoader(fn.id, compileSiteFunction(fn, mode)))
            } catch (e) {
                // remote_config.py: `except Exception: logger.exception(...)`, and the function is left out.
                log(`[standin] Failed to build JS for site function ${fn.id}: ${e instanceof Error ? e.message : e}`)
            }
        }
        return loaders
    }

    // -- bodies ---------------------------------------------------------------------------------------------------
    const MINIMAL_FIELDS = ['id', 'type', 'name', 'description', 'created_at', 'created_by', 'updated_at', 'enabled', 'hog', 'filters', 'icon_url', 'template', 'status', 'execution_order', 'search_match_type', 'draft_updated_at']
    const FULL_FIELDS = ['id', 'type', 'name', 'description', 'created_at', 'created_by', 'updated_at', 'enabled', 'hog', 'bytecode', 'transpiled', 'inputs_schema', 'inputs', 'filters', 'masking', 'mappings', 'icon_url', 'template', 'status', 'execution_order', 'batch_export_id', 'search_match_type', 'version', 'draft', 'draft_updated_at']

    /** HogFunctionSerializer / HogFunctionMinimalSerializer `to_representation` (`deleted` is write-only). */
    function hogFunctionBody(fn, full = true) {
        /** @type {Record<string, any>} */
        const view = { ...structuredClone(fn), created_by: standInUser, template: null, status: { state: 0, tokens: 0 }, search_match_type: null, draft: null, draft_updated_at: null }
        /** @type {Record<string, any>} */
        const inputs = {}
        for (const [key, input] of Object.entries(view.inputs ?? {})) {
            inputs[key] = isPlainObject(input) ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) : input
        }
        for (const schema of view.inputs_schema ?? []) if (schema.secret && inputs[schema.key]) inputs[schema.key] = { secret: true }
        view.inputs = inputs
        return Object.fromEntries((full ? FULL_FIELDS : MINIMAL_FIELDS).map((k) => [k, view[k] ?? null]))
    }

    const INSIGHT_FIELDS = ['id', 'short_id', 'name', 'derived_name', 'filters', 'query', 'order', 'deleted', 'dashboards', 'dashboard_tiles', 'last_refresh', 'cache_target_age', 'next_allowed_client_refresh', 'result', 'hasMore', 'columns', 'created_at', 'created_by', 'description', 'updated_at', 'tags', 'favorited', 'saved', 'last_modified_at', 'last_modified_by', 'is_sample', 'effective_restriction_level', 'effective_privilege_level', 'user_access_level', 'timezone', 'is_cached', 'query_status', 'hogql', 'types', 'resolved_date_range', 'alerts', 'last_viewed_at']
    function insightBody(insight) {
        const view = {
            ...structuredClone(insight),
            dashboards: [],
            dashboard_tiles: [],
            tags: [],
            created_by: standInUser,
            last_modified_by: standInUser,
            is_sample: false,
            effective_restriction_level: 21,
            effective_privilege_level: 37,
            user_access_level: 'editor',
            timezone: 'UTC',
            is_cached: false,
            alerts: [],
        }
        return Object.fromEntries(INSIGHT_FIELDS.map((k) => [k, /** @type {any} */ (view)[k] ?? null]))
    }

    // -- hog function validation (HogFunctionSerializer.to_internal_value + validate) -----------------------------
    /**
     * Validates a create (`instance` undefined) or an update, and returns the row as it would be saved.
     * @param {Record<string, any>} body @param {Record<string, any> | undefined} instance @param {'honour'|'ignore'} mode
     */
    function validateHogFunction(body, instance, mode) {
        const isCreate = !instance
        const data = { ...body }
        data.type = 'type' in data ? data.type : instance ? instance.type : 'destination'
        data.inputs_schema = 'inputs_schema' in data ? data.inputs_schema : instance ? instance.inputs_schema : []
        data.inputs = 'inputs' in data ? data.inputs : instance ? instance.inputs : {}
        data.filters = ('filters' in data ? data.filters : instance ? instance.filters : {}) || {}
        if (isCreate) {
            data.inputs_schema = pyFalsy(data.inputs_schema) ? [] : data.inputs_schema
            data.inputs = pyFalsy(data.inputs) ? {} : data.inputs
            data.mappings = pyFalsy(data.mappings) ? null : data.mappings
        }
        /** @type {Record<string, any>} */
        const errors = {}
        /** @type {Record<string, any>} */
        const attrs = {}
        const take = (key, result) => {
            if (result.error) errors[key] = result.error
            else attrs[key] = result.value
        }
        // Field order is HogFunctionSerializer.Meta.fields': the first error reported is the first field's.
        const type = choiceField(data.type, HOG_FUNCTION_TYPES, { allowNull: true })
        if (type.error) errors.type = type.error
        else if (type.value === 'warehouse_source_webhook') errors.type = [fail('Cannot create or modify warehouse source webhook functions via this API.')]
        else if (!isCreate && instance.type !== type.value) errors.type = [fail('Cannot modify the type of an existing function')]
        else if (!SITE_FUNCTION_TYPES.includes(type.value)) {
            // STRICTER than PostHog: other types hold Hog compiled to bytecode, which the stand-in cannot compile.
            errors.type = [fail('(stand-in) only site_app and site_destination functions are supported')]
        } else attrs.type = type.value
        if ('name' in data) take('name', charField(data.name, { allowNull: true, allowBlank: true, maxLength: 400 }))
        if ('description' in data) take('description', charField(data.description, { allowBlank: true }))
        if ('enabled' in data) take('enabled', booleanField(data.enabled))
        if ('deleted' in data) take('deleted', booleanField(data.deleted))
        if ('hog' in data) take('hog', charField(data.hog))
        if (!Array.isArray(data.inputs_schema)) {
            errors.inputs_schema = data.inputs_schema === null ? [fail('This field may not be null.', 'null')] : [fail(`Expected a list of items but got type "${pyType(data.inputs_schema)}".`, 'not_a_list')]
        } else {
            /** @type {Record<number, any>} */
            const itemErrors = {}
            const schema = []
            data.inputs_schema.forEach((item, i) => {
                const checked = validateSchemaItem(item)
                if (checked.error) itemErrors[i] = checked.error
                else schema.push(checked.value)
            })
            if (Object.keys(itemErrors).length) errors.inputs_schema = itemErrors
            else attrs.inputs_schema = schema
        }
        const functionType = attrs.type ?? data.type
        take('inputs', validateInputs(data.inputs, data.inputs_schema, functionType, instance?.inputs))
        if (SITE_FUNCTION_TYPES.includes(functionType)) take('filters', validateSiteFilters(data.filters))
        if ('mappings' in data) {
            if (data.mappings !== null && !Array.isArray(data.mappings)) errors.mappings = [fail(`Expected a list of items but got type "${pyType(data.mappings)}".`, 'not_a_list')]
            else attrs.mappings = data.mappings
        }
        if ('icon_url' in data) take('icon_url', charField(data.icon_url, { allowNull: true, allowBlank: true }))
        if (Object.keys(errors).length) throw validationError(errors)

        // HogFunctionSerializer.validate
        if (attrs.mappings !== undefined && attrs.mappings !== null) {
            if (!['site_destination', 'destination'].includes(attrs.type)) throw validationError({ mappings: [fail('Mappings are only allowed for destinations.')] })
            throw validationError({ mappings: [fail('(stand-in) mappings are not supported')] })
        }
        if ('hog' in attrs) {
            if (Buffer.byteLength(attrs.hog, 'utf8') > MAX_HOG_CODE_SIZE_BYTES) {
                throw validationError({
                    hog: [fail(`HOG code exceeds maximum size of ${MAX_HOG_CODE_SIZE_BYTES / 1024}KB. Please simplify your code or contact support if you need this limit increased.`)],
                })
            }
            try {
                // get_transpiled_function(HogFunction(team, hog, filters, inputs)): the stand-in also passes the schema,
                // which is how the emulated newest version knows an input says `templating: false`.
                attrs.transpiled = transpileSiteFunction({ hog: attrs.hog, inputs: attrs.inputs, inputs_schema: attrs.inputs_schema }, { honourTemplatingFalse: mode === 'honour' })
            } catch (e) {
                if (e instanceof HogTemplateError) throw serverError() // not a TranspilerError: it escapes the view
                throw validationError({ hog: [fail('Error in TypeScript code')] })
            }
            attrs.bytecode = null
        }
        if (isCreate && !attrs.hog) throw validationError({ hog: [fail('Required.')] })
        return attrs
    }

    function saveHogFunction(body, instance, mode) {
        const attrs = validateHogFunction(body, instance, mode)
        const now = drfNow()
        for (const key of ['inputs_schema', 'inputs', 'filters', 'mappings']) if (key in attrs && attrs[key] !== null) attrs[key] = jsonbOrder(attrs[key])
        if (!instance) {
            const fn = {
                id: randomUUID(),
                type: attrs.type,
                name: null,
                description: '',
                created_at: now,
                updated_at: now,
                enabled: false,
                deleted: false,
                hog: '',
                bytecode: null,
                transpiled: null,
                inputs_schema: [],
                inputs: {},
                filters: {},
                masking: null,
                mappings: null,
                icon_url: null,
                execution_order: null,
                batch_export_id: null,
                version: 1,
                ...attrs,
            }
            hogFunctions.set(fn.id, fn)
            return fn
        }
        const changed = ['hog', 'inputs_schema', 'inputs', 'filters', 'mappings', 'masking'].some(
            (k) => k in attrs && JSON.stringify(attrs[k]) !== JSON.stringify(instance[k]),
        )
        Object.assign(instance, attrs, { updated_at: now, version: instance.version + (changed ? 1 : 0) })
        return instance
    }

    // -- insights (InsightSerializer) -----------------------------------------------------------------------------
    const SHORT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    function saveInsight(body, instance) {
        /** @type {Record<string, any>} */
        const errors = {}
        /** @type {Record<string, any>} */
        const attrs = {}
        const take = (key, result) => {
            if (result.error) errors[key] = result.error
            else attrs[key] = result.value
        }
        if ('name' in body) take('name', charField(body.name, { allowNull: true, allowBlank: true, maxLength: 400 }))
        if ('derived_name' in body) take('derived_name', charField(body.derived_name, { allowNull: true, allowBlank: true, maxLength: 400 }))
        if ('filters' in body) {
            if (!isPlainObject(body.filters)) errors.filters = [fail('Value must be valid JSON.')]
            else attrs.filters = body.filters
        }
        if ('query' in body) {
            if (body.query !== null && !isPlainObject(body.query)) errors.query = [fail('Query must be a valid JSON object')]
            else attrs.query = body.query
        }
        if ('order' in body) {
            if (body.order !== null && !Number.isInteger(body.order)) errors.order = [fail('A valid integer is required.')]
            else attrs.order = body.order
        }
        if ('deleted' in body) take('deleted', booleanField(body.deleted))
        if ('dashboards' in body) {
            if (!Array.isArray(body.dashboards)) errors.dashboards = [fail(`Expected a list of items but got type "${pyType(body.dashboards)}".`, 'not_a_list')]
            else if (body.dashboards.length) errors.dashboards = [fail(`Invalid pk "${body.dashboards[0]}" - object does not exist.`, 'does_not_exist')]
        }
        if ('description' in body) take('description', charField(body.description, { allowNull: true, allowBlank: true, maxLength: 400 }))
        if ('favorited' in body) take('favorited', booleanField(body.favorited))
        if ('saved' in body) take('saved', booleanField(body.saved))
        if (Object.keys(errors).length) throw validationError(errors)
        if (attrs.query !== undefined && attrs.query !== null) {
            const problem = insightQueryProblem(attrs.query)
            if (problem) throw validationError({ query: [fail(`(stand-in) ${problem}`)] })
        }
        const filters = attrs.filters ?? instance?.filters ?? {}
        const query = 'query' in attrs ? attrs.query : instance?.query
        if (Object.keys(filters).length && (query === null || query === undefined || (isPlainObject(query) && !Object.keys(query).length))) {
            // STRICTER than PostHog, which may still save legacy `filters` insights for some users.
            throw validationError({ filters: [fail('(stand-in) legacy insight filters are not supported; send a query')] })
        }
        for (const key of ['query', 'filters']) if (attrs[key]) attrs[key] = jsonbOrder(attrs[key])
        const now = drfNow()
        if (!instance) {
            let shortId = ''
            do shortId = Array.from({ length: 8 }, () => SHORT_ID_ALPHABET[Math.floor(Math.random() * SHORT_ID_ALPHABET.length)]).join('')
            while ([...insights.values()].some((i) => i.short_id === shortId))
            const insight = {
                id: nextInsightId++,
                short_id: shortId,
                name: null,
                derived_name: null,
                filters: {},
                query: null,
                order: null,
                deleted: false,
                description: null,
                favorited: false,
                saved: false,
                created_at: now,
                updated_at: now,
                last_modified_at: now,
                ...attrs,
            }
            insights.set(insight.id, insight)
            return insight
        }
        // InsightSerializer.update: `saved` defaults to true on every update; material changes stamp last_modified_at.
        if (!('saved' in attrs)) attrs.saved = true
        const material = ['name', 'description', 'derived_name', 'filters', 'query', 'deleted'].some((k) => k in attrs)
        Object.assign(instance, attrs, { updated_at: now }, material ? { last_modified_at: now } : {})
        return instance
    }

    // -- routing, authentication, scopes --------------------------------------------------------------------------
    const apiError = (status, type, code, detail) => new ApiError(status, { type, code, detail, attr: null })

    /**
     * PersonalAPIKeyAuthentication + APIScopePermission, in DRF's order: 401, then 403, then (in the view) 404. DRF's
     * `initial()` checks permissions before the handler looks anything up, so a PATCH of an id that does not exist is
     * a 403 without the scope and a 404 only with it. `project`: the project in the path, for a project-based endpoint
     * (check_team_and_org_permissions checks a key's scoped teams before its scopes); undefined for other endpoints.
     * @returns {{ key: string, scopes: string[], scopedTeams: number[] }}
     */
    function authorize(req, url, data, scopeObject, action, project) {
        let key
        let source
        const header = req.headers.authorization
        const bearer = header ? /^Bearer\s+(\S.+)$/.exec(header) : null
        if (bearer) {
            key = bearer[1].trim()
            source = 'Authorization header'
        } else if (isPlainObject(data) && 'personal_api_key' in data) {
            key = data.personal_api_key
            source = 'body'
        } else if (url.searchParams.has('personal_api_key')) {
            key = url.searchParams.get('personal_api_key')
            source = 'query string'
        }
        if (key === undefined) throw apiError(401, 'authentication_error', 'not_authenticated', 'Authentication credentials were not provided.')
        const found = personalApiKey(key)
        if (!found) throw apiError(401, 'authentication_error', 'authentication_failed', `Personal API key found in request ${source} is invalid.`)
        const { scopes, scopedTeams } = found
        const write = ['create', 'update', 'partial_update', 'destroy'].includes(action)
        const read = ['list', 'retrieve'].includes(action)
        if (!write && !read) throw apiError(403, 'authentication_error', 'permission_denied', 'This action does not support personal API key access')
        if (scopedTeams.length) {
            if (project === undefined) throw apiError(403, 'authentication_error', 'permission_denied', 'API keys with scoped projects are only supported on project-based endpoints.')
            // view.team: an unknown project is the mixin's 404 before any scope is looked at.
            if (!isKnownProject(project)) throw projectNotFound()
            if (!scopedTeams.includes(projectId)) throw apiError(403, 'authentication_error', 'permission_denied', `API key does not have access to the requested project: ID ${projectId}.`)
        }
        const result = { key: /** @type {string} */ (key), scopes, scopedTeams }
        if (scopes.includes('*')) return result
        const required = `${scopeObject}:${write ? 'write' : 'read'}`
        const valid = write ? [required] : [required, `${scopeObject}:write`]
        if (!valid.some((s) => scopes.includes(s))) throw apiError(403, 'authentication_error', 'permission_denied', `API key missing required scope '${required}'`)
        return result
    }
    const isKnownProject = (project) => project === String(projectId) || project === '@current'
    const projectNotFound = () => apiError(404, 'invalid_request', 'not_found', 'Project not found.')

    /** DRF LimitOffsetPagination (PostHog's default, PAGE_SIZE 100): `{ count, next, previous, results }`. */
    function paginate(req, url, items) {
        const limitParam = Number.parseInt(url.searchParams.get('limit') ?? '', 10)
        const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : 100
        const offsetParam = Number.parseInt(url.searchParams.get('offset') ?? '', 10)
        const offset = Number.isInteger(offsetParam) && offsetParam > 0 ? offsetParam : 0
        const base = `http://${req.headers.host || `127.0.0.1:${port}`}${url.pathname}`
        const link = (params) => {
            const q = new URLSearchParams(url.search)
            for (const [k, v] of Object.entries(params)) {
                if (v === null) q.delete(k)
                else q.set(k, String(v))
            }
            const qs = q.toString()
            return qs ? `${base}?${qs}` : base
        }
        return {
            count: items.length,
            next: offset + limit < items.length ? link({ limit, offset: offset + limit }) : null,
            previous: offset > 0 ? link(offset - limit <= 0 ? { limit, offset: null } : { limit, offset: offset - limit }) : null,
            results: items.slice(offset, offset + limit),
        }
    }

    const API_PATH = /^\/api\/(projects|environments)\/([^/]+)\/(hog_functions|insights)(?:\/([^/]+))?\/?$/

    async function api(req, res, url) {
        const m = API_PATH.exec(url.pathname)
        if (!m) return sendJson(req, res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
        const [, , project, resource, id] = m
        const method = req.method || 'GET'
        let data = {}
        if (method !== 'GET' && method !== 'HEAD') {
            const raw = (await readBody(req)).toString('utf8')
            if (raw.trim()) {
                try {
                    data = JSON.parse(raw)
                } catch (e) {
                    requests.push({ method, path: url.pathname + url.search, at: Date.now(), body: raw })
                    return sendJson(req, res, 400, { type: 'invalid_request', code: 'parse_error', detail: `JSON parse error - ${e instanceof Error ? e.message : e}`, attr: null })
                }
            }
        }
        requests.push({ method, path: url.pathname + url.search, at: Date.now(), body: data })
        const action = id
            ? { GET: 'retrieve', HEAD: 'retrieve', PATCH: 'partial_update', PUT: 'update', DELETE: 'destroy' }[method]
            : { GET: 'list', HEAD: 'list', POST: 'create' }[method]
        try {
            authorize(req, url, data, resource === 'hog_functions' ? 'hog_function' : 'insight', action, project)
            if (!isKnownProject(project)) throw projectNotFound()
            if (action === 'destroy') return send(req, res, 405, '', 'application/json') // ForbidDestroyModel: soft-delete with PATCH
            // A create's body is checked here; an update's once its object is found (get_object, then the serializer).
            if (action === 'create') requireDictionary(data)
            return resource === 'hog_functions' ? hogFunctionsApi(req, res, url, action, id, data) : insightsApi(req, res, url, action, id, data)
        } catch (e) {
            if (e instanceof ApiError) {
                return sendJson(req, res, e.status, e.body, e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="api"' } : undefined)
            }
            throw e
        }
    }

    const notFound = () => apiError(404, 'invalid_request', 'not_found', 'Not found.')
    function requireDictionary(data) {
        if (!isPlainObject(data)) throw validationError({ non_field_errors: [fail(`Invalid data. Expected a dictionary, but got ${pyType(data)}.`)] })
    }

    /** posthog/api/personal_api_key.py PersonalAPIKeyViewSet: `@current` is the key that authenticated the request. */
    async function personalApiKeysApi(req, res, url) {
        const m = /^\/api\/personal_api_keys\/(?:([^/]+)\/?)?$/.exec(url.pathname)
        const method = req.method || 'GET'
        let data = {}
        if (method !== 'GET' && method !== 'HEAD') {
            const raw = (await readBody(req)).toString('utf8')
            try {
                data = raw.trim() ? JSON.parse(raw) : {}
            } catch {
                data = raw
            }
        }
        requests.push({ method, path: url.pathname + url.search, at: Date.now(), ...(method !== 'GET' && method !== 'HEAD' ? { body: data } : {}) })
        if (!m) return sendJson(req, res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
        const id = m[1]
        const action = id
            ? { GET: 'retrieve', HEAD: 'retrieve', PATCH: 'partial_update', PUT: 'update', DELETE: 'destroy' }[method]
            : { GET: 'list', HEAD: 'list', POST: 'create' }[method]
        try {
            const { key, scopes, scopedTeams } = authorize(req, url, data, 'personal_api_key', action, undefined)
            // Only reading the key in use is modelled; the stand-in keeps no other keys to list, create or change.
            if (id !== '@current') throw notFound()
            if (action !== 'retrieve') return sendJson(req, res, 405, { type: 'invalid_request', code: 'method_not_allowed', detail: `Method "${method}" not allowed.`, attr: null })
            const hash = createHash('sha256').update(key).digest('hex')
            return sendJson(req, res, 200, {
                id: `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`,
                label: 'stand-in key',
                value: null,
                mask_value: key.length < 8 ? '...' : `${key.slice(0, 4)}...${key.slice(-4)}`,
                created_at: apiStartedAt,
                last_used_at: apiStartedAt,
                user_id: standInUser.id,
                scopes: scopes.length ? [...scopes] : ['*'], // to_representation: `ret["scopes"] or ["*"]`
                scoped_teams: [...scopedTeams],
                scoped_organizations: [],
            })
        } catch (e) {
            if (e instanceof ApiError) {
                return sendJson(req, res, e.status, e.body, e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="api"' } : undefined)
            }
            throw e
        }
    }

    function hogFunctionsApi(req, res, url, action, id, data) {
        const mode = templatingFor(req)
        if (action === 'list') {
            const types = url.searchParams.get('type')
            const enabled = url.searchParams.get('enabled')
            const search = (url.searchParams.get('search') ?? '').toLowerCase()
            let list = [...hogFunctions.values()].filter((f) => !f.deleted)
            if (types !== null) list = list.filter((f) => types.split(',').includes(f.type))
            if (enabled !== null) list = list.filter((f) => String(f.enabled) === enabled.toLowerCase())
            if (search) list = list.filter((f) => `${f.name ?? ''} ${f.description ?? ''}`.toLowerCase().includes(search))
            // order_by("execution_order", "-updated_at"): Postgres puts NULL execution orders last.
            list.sort((a, b) => (a.execution_order ?? Infinity) - (b.execution_order ?? Infinity) || (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0))
            const full = url.searchParams.get('full') === 'true'
            return sendJson(req, res, 200, paginate(req, url, list.map((f) => hogFunctionBody(f, full))))
        }
        if (action === 'create') return sendJson(req, res, 201, hogFunctionBody(saveHogFunction(data, undefined, mode)))
        const fn = id ? hogFunctions.get(id) : undefined
        // safely_get_queryset: deleted functions are found only by a PATCH that undeletes them.
        const undeleting = action === 'partial_update' && isPlainObject(data) && data.deleted === false
        if (!fn || (fn.deleted && !undeleting)) throw notFound()
        if (action === 'retrieve') return sendJson(req, res, 200, hogFunctionBody(fn))
        requireDictionary(data)
        return sendJson(req, res, 200, hogFunctionBody(saveHogFunction(data, fn, mode)))
    }

    function insightsApi(req, res, url, action, id, data) {
        if (action === 'list') {
            let list = [...insights.values()].filter((i) => !i.deleted)
            const shortId = url.searchParams.get('short_id')
            const saved = url.searchParams.get('saved')
            const search = (url.searchParams.get('search') ?? '').toLowerCase()
            if (shortId !== null) list = list.filter((i) => i.short_id === shortId)
            if (saved !== null) list = list.filter((i) => String(i.saved) === saved.toLowerCase())
            if (search) list = list.filter((i) => [i.name, i.derived_name, i.description].some((t) => (t ?? '').toLowerCase().includes(search)))
            list.sort((a, b) => (a.last_modified_at < b.last_modified_at ? 1 : a.last_modified_at > b.last_modified_at ? -1 : b.id - a.id))
            return sendJson(req, res, 200, paginate(req, url, list.map(insightBody)))
        }
        if (action === 'create') return sendJson(req, res, 201, insightBody(saveInsight(data, undefined)))
        const insight = id && /^\d+$/.test(id) ? insights.get(Number(id)) : undefined
        const undeleting = action === 'partial_update' && isPlainObject(data) && data.deleted === false
        if (!insight || (insight.deleted && !undeleting)) throw notFound()
        if (action === 'retrieve') return sendJson(req, res, 200, insightBody(insight))
        requireDictionary(data)
        return sendJson(req, res, 200, insightBody(saveInsight(data, insight)))
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

    const TEST_FLAGS = new Set(['delivery', 'templating', 'init', 'csp', 'hostile', 'blockStorage', 'bundle'])

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
                // 'hog': the app is a site function, which only config.js carries; no plugin is installed.
                if (mode === 'hog') return sendJson(req, res, 200, remoteConfig([]), { Vary: 'Origin, Referer' })
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
            if (mode === 'hog') {
                loaders = (await siteFunctionLoaders(templatingFor(req))).join(',')
            } else {
                try {
                    loaders = inlineSiteAppLoader(await siteAppSource(), siteConfig(), SITE_APP_ID)
                } catch (e) {
                    log(String(e))
                }
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
            if (csp === 'report-only') headers['Content-Security-Policy-Report-Only'] = CSP_STRICT
            else if (csp) headers['Content-Security-Policy'] = csp === 'scripts' ? CSP_SCRIPTS : CSP_STRICT
            const d = url.searchParams.get('delivery')
            const t = url.searchParams.get('templating')
            const cookies = []
            if (d && DELIVERIES.includes(d)) cookies.push(`standin_delivery=${d}; Path=/; SameSite=Lax`)
            if (t === 'honour' || t === 'ignore') cookies.push(`standin_templating=${t}; Path=/; SameSite=Lax`)
            if (cookies.length) headers['Set-Cookie'] = cookies
            return send(req, res, 200, testPage(url), 'text/html; charset=utf-8', headers)
        }
        if (path.startsWith(`${PRIVATE}/public/`)) return serveFile(req, res, publicDir, path.slice(`${PRIVATE}/public/`.length))
        if (path === '/favicon.ico') return send(req, res, 204, '', 'image/x-icon')
        // Imitation booking pages (dev/booking-pages.mjs), also routed from calendly.com and app.cal.com in the e2e tests.
        if (path.startsWith(`${PRIVATE}/booking/`)) {
            const page = bookingPageFor(path.slice(`${PRIVATE}/booking/`.length), url)
            return page ? send(req, res, 200, page, 'text/html; charset=utf-8') : send(req, res, 404, 'no such page', 'text/plain')
        }

        // Control endpoints for the demo page.
        if (path.startsWith(`${PRIVATE}/`)) return control(req, res, url)

        // PostHog's REST API (the parts `npm run deploy` uses).
        if (path.startsWith('/api/projects/') || path.startsWith('/api/environments/')) return api(req, res, url)
        if (path === '/api/personal_api_keys' || path.startsWith('/api/personal_api_keys/')) return personalApiKeysApi(req, res, url)

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
                templating,
                projectId,
                hogFunctions: handle_.hogFunctions(),
                insights: handle_.insights(),
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
            if (!DELIVERIES.includes(body.delivery)) return sendJson(req, res, 400, { error: `delivery must be one of ${DELIVERIES.join(', ')}` })
            handle_.setDelivery(body.delivery)
            return sendJson(req, res, 200, { ok: true, delivery })
        }
        if (path === '/templating') {
            if (body.templating !== 'honour' && body.templating !== 'ignore') return sendJson(req, res, 400, { error: "templating must be 'honour' or 'ignore'" })
            handle_.setTemplating(body.templating)
            return sendJson(req, res, 200, { ok: true, templating })
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
            if (!DELIVERIES.includes(mode)) throw new Error(`delivery must be one of ${DELIVERIES.join(', ')}, got ${mode}`)
            delivery = mode
        },
        setTemplating(mode) {
            if (mode !== 'honour' && mode !== 'ignore') throw new Error(`templating must be 'honour' or 'ignore', got ${mode}`)
            templating = mode
        },
        templating() {
            return templating
        },
        projectId,
        personalApiKey: Object.keys(personalApiKeys)[0],
        hogFunctions() {
            return [...hogFunctions.values()].map((f) => structuredClone(f))
        },
        insights() {
            return [...insights.values()].map((i) => structuredClone(i))
        },
        createHogFunction(body) {
            return hogFunctionBody(saveHogFunction(body, undefined, templating))
        },
        async siteFunctionsJs() {
            return siteFunctionLoaders(templating)
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
            templating = initial.templating
            hogFunctions = new Map()
            insights = new Map()
            nextInsightId = 1
        },
        testPageUrl(opts = {}) {
            const base = opts.host === 'localhost' ? handle_.localhostUrl : handle_.url
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
