// The plugin form of the site app, as PostHog serves it: `site.ts` transpiled with Babel (posthog/plugins/site.py
// `get_transpiled_site_source`, `transpile(code, 'site')`), its config from plugin.json's `site: true` fields
// (`get_site_config_from_schema`), inline in config.js (posthog/models/remote_config.py) or, legacy, as a script at
// `/site_app/{id}/{token}/{hash}/` (posthog/api/site_app.py).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The PluginConfig id PostHog would give the installed app; it names `window['__$$ph_site_app_' + id]`. */
export const SITE_APP_ID = 4242

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
export function legacySiteAppScript(source, config, id) {
    return `${source}().inject({config:${JSON.stringify(config)},posthog:window['__$$ph_site_app_${id}']})`
}

/** One inline loader as `config.js` carries it in `siteApps: [...]`. */
export function inlineSiteAppLoader(source, config, id) {
    return (
        `{\n      id: '${id}',\n      init: function(config) { return ${source}().inject({ config:${JSON.stringify(config)}, ` +
        `posthog:config.posthog, callback:config.callback }) }\n    }`
    )
}

/** The transpiled `site.ts`, re-read when its mtime or size changes. @param {import('./state.mjs').StandInState} state */
export async function siteAppSource(state) {
    const st = await stat(state.siteAppPath).catch(() => undefined)
    if (!st) throw new Error(`site app not built: ${state.siteAppPath} is missing (run npm run build)`)
    const key = `${st.mtimeMs}:${st.size}`
    if (state.caches.siteAppSource?.key !== key) {
        const code = await readFile(state.siteAppPath, 'utf8')
        state.caches.siteAppSource = { key, source: transpileSiteApp(code) }
    }
    return state.caches.siteAppSource.source
}

/** plugin.json's `config` schema. @param {import('./state.mjs').StandInState} state */
export function pluginSchema(state) {
    try {
        return JSON.parse(readFileSync(state.pluginJsonPath, 'utf8')).config ?? []
    } catch (e) {
        state.log(`[standin] cannot read ${state.pluginJsonPath}: ${e}`)
        return []
    }
}

/** The `config` the app receives. @param {import('./state.mjs').StandInState} state */
export function siteConfig(state) {
    return siteConfigFromSchema(pluginSchema(state), state.settings)
}

/** @param {import('./state.mjs').StandInState} state @param {string} source @param {unknown} config */
export function siteAppUrl(state, source, config) {
    const hash = createHash('md5').update(source).update(JSON.stringify(config)).digest('hex')
    return `/site_app/${SITE_APP_ID}/${state.token}/${hash}/`
}
