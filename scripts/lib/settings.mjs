// The build and the settings on the scripts' side: reading dist/hog-function.json and --settings, checking the settings
// with the app's own parser (src/settings-check.ts, built to dist/settings-check.mjs: the rules live there only), and
// turning them into the HogFunction's typed inputs (scripts/hog-inputs.mjs).
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { inputsFromSettings } from '../hog-inputs.mjs'
import { CliError, oneLine } from './cli.mjs'
import { isColour } from './colours.mjs'

export const DEFAULT_BUILD_FILE = fileURLToPath(new URL('../../dist/hog-function.json', import.meta.url))
const CHECK_MODULE = new URL('../../dist/settings-check.mjs', import.meta.url).href

/** @typedef {{ key: string, type: string, label?: string, required?: boolean, default?: unknown, secret?: boolean, choices?: Array<{ label?: string, value: unknown }> }} SchemaField */
/** @typedef {{ name: string, description: string, type: string, hog: string, inputs_schema: SchemaField[] }} Build */
/** @typedef {Record<string, { value?: unknown, secret?: boolean }>} Inputs */

/**
 * `dist/hog-function.json`: the create body less `inputs`.
 * @returns {Promise<Build>}
 */
export async function loadBuild(file = DEFAULT_BUILD_FILE) {
    let text
    try {
        text = await readFile(file, 'utf8')
    } catch {
        throw new CliError(`${file} is missing: run npm run build first`)
    }
    let build
    try {
        build = JSON.parse(text)
    } catch {
        throw new CliError(`${file} is not JSON: run npm run build again`)
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
    if (!valid) throw new CliError(`${file} is not a site app build (name, type site_app, hog, inputs_schema): run npm run build again`)
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
        throw new CliError(`--settings ${file}: cannot read it`)
    }
    let settings
    try {
        settings = JSON.parse(text)
    } catch (error) {
        throw new CliError(`--settings ${file} is not JSON (${oneLine(error instanceof Error ? error.message : String(error))})`)
    }
    if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
        throw new CliError(`--settings ${file} must hold a JSON object keyed like plugin.json, e.g. {"interviewConfigs": "flag=https://..."}`)
    }
    return settings
}

/** The app's settings check (dist/settings-check.mjs), loaded once. */
let checker
export async function loadChecker() {
    if (!checker) {
        try {
            checker = await import(CHECK_MODULE)
        } catch {
            throw new CliError('dist/settings-check.mjs is missing: run npm run build first')
        }
    }
    return checker
}

/**
 * --settings as typed inputs, after the app's own parser accepted every value; else a CliError with one line per
 * problem (`more`: problems the caller found, such as flag keys PostHog refuses) and nothing is sent.
 * @param {SchemaField[]} schema
 * @param {Record<string, unknown>} settings
 * @param {string} file
 * @param {string[]} [more]
 * @returns {Promise<Inputs>}
 */
export async function checkedInputs(schema, settings, file, more = []) {
    const { checkSettings, problemLine } = await loadChecker()
    const lines = checkSettings(settings, isColour).map(problemLine)
    // What the schema cannot carry (a key the HogFunction form has no input for), after the app's own verdict.
    const { inputs, problems } = lines.length ? { inputs: {}, problems: [] } : inputsFromSettings(schema, settings)
    const all = [...lines, ...problems, ...more]
    if (all.length) {
        throw new CliError(`--settings ${file}`, [
            ...all.map((line) => `--settings ${file}: ${line}`),
            `${all.length} problem${all.length > 1 ? 's' : ''} in --settings ${file}: nothing was sent`,
        ])
    }
    return inputs
}

/** Warnings on settings that pass (a low-contrast book button), one line each. */
export async function settingsWarnings(settings) {
    const check = await loadChecker()
    return check.settingsWarnings(settings, isColour)
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
            throw new CliError(
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
        throw new CliError(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required: pass ${missing.length > 1 ? 'them' : 'it'} in --settings${example} (nothing was sent)`)
    }
}

/** A setting's effective text value: given, else the schema default, else `fallback`. */
export function settingValue(schema, inputs, key, fallback) {
    const value = inputs[key]?.value
    if (typeof value === 'string' && value.trim()) return value
    const field = schema.find((f) => f.key === key)
    return typeof field?.default === 'string' && field.default.trim() ? field.default : fallback
}

/** The interview flags of an interviewConfigs value, in order, each once (the app's own split: src/settings.ts). */
export async function interviewFlags(configs) {
    const { interviewConfigsOf } = await loadChecker()
    return interviewConfigsOf(typeof configs === 'string' ? configs : '')
}
