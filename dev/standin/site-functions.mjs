// Site functions: HogFunctions of type `site_app` (and `site_destination`) as config.js serves them.
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
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { importStlFunctions, pyJsonDumps, transpileTemplateCode } from '../hog-template.mjs'
import { inputsFromSettings } from '../../scripts/hog-inputs.mjs'
import { isPlainObject, jsonbOrder, validationErrorBody } from './api/errors.mjs'
import { validateInputs, validateSchemaItem } from './api/hog-function-validation.mjs'
import { transpileSiteApp } from './site-app.mjs'


/** The id config.js gives the implicit site function the stand-in serves when none was created through the API. */
export const IMPLICIT_SITE_FUNCTION_ID = 'standin-site-app'

export const SITE_FUNCTION_TYPES = ['site_destination', 'site_app']

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

/**
 * Python-side `get_transpiled_function` for a stored function, cached (Babel takes a while on the app).
 * @param {import('./state.mjs').StandInState} state @param {Record<string, any>} fn @param {'honour'|'ignore'} mode
 */
function compileSiteFunction(state, fn, mode) {
    const cache = state.caches.compile
    const key = createHash('sha256')
        .update(mode)
        .update('\0')
        .update(fn.hog ?? '')
        .update('\0')
        .update(JSON.stringify(fn.inputs ?? {}))
        .update('\0')
        .update(JSON.stringify(fn.inputs_schema ?? []))
        .digest('hex')
    if (!cache.has(key)) {
        if (cache.size > 50) cache.delete(/** @type {string} */ (cache.keys().next().value))
        cache.set(key, transpileSiteFunction(fn, { honourTemplatingFalse: mode === 'honour' }))
    }
    return /** @type {string} */ (cache.get(key))
}

/**
 * dist/hog-function.json as the team would install it: the settings as its inputs, validated as PostHog does.
 * @param {import('./state.mjs').StandInState} state
 */
async function implicitSiteFunction(state) {
    const path = state.hogFunctionPath
    const st = await stat(path).catch(() => undefined)
    if (!st) {
        state.log(`[standin] no site function: ${path} is missing (run npm run build)`)
        return undefined
    }
    const key = `${st.mtimeMs}:${st.size}:${JSON.stringify(state.settings)}`
    if (state.caches.builtFunction?.key === key) return state.caches.builtFunction.fn
    let fn
    try {
        const built = JSON.parse(await readFile(path, 'utf8'))
        const schema = []
        for (const item of built.inputs_schema ?? []) {
            const checked = validateSchemaItem(item)
            if (checked.error) throw new Error(`inputs_schema item ${JSON.stringify(item?.key)}: ${JSON.stringify(validationErrorBody(checked.error))}`)
            schema.push(checked.value)
        }
        const { inputs: raw, problems } = inputsFromSettings(schema, state.settings)
        for (const problem of problems) state.log(`[standin] setting left out of the site function's inputs: ${problem}`)
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
        state.log(`[standin] no site function from ${path}: ${e instanceof Error ? e.message : e}`)
        fn = undefined
    }
    state.caches.builtFunction = { key, fn }
    return fn
}

/**
 * config.js's site function entries: every enabled site function, as remote_config.py builds them.
 * @param {import('./state.mjs').StandInState} state @param {'honour'|'ignore'} mode
 */
export async function siteFunctionLoaders(state, mode) {
    const stored = [...state.hogFunctions.values()]
    const serve = stored.filter((f) => f.enabled && !f.deleted && SITE_FUNCTION_TYPES.includes(f.type))
    if (!stored.some((f) => !f.deleted && f.type === 'site_app')) {
        const implicit = await implicitSiteFunction(state)
        if (implicit) serve.push(implicit)
    }
    const loaders = []
    for (const fn of serve) {
        try {
            loaders.push(siteFunctionLoader(fn.id, compileSiteFunction(state, fn, mode)))
        } catch (e) {
            // remote_config.py: `except Exception: logger.exception(...)`, and the function is left out.
            state.log(`[standin] Failed to build JS for site function ${fn.id}: ${e instanceof Error ? e.message : e}`)
        }
    }
    return loaders
}
