// Settings keyed like plugin.json (what a team typed into the plugin form: strings), turned into the HogFunction's
// typed `inputs` (`{ key: { value } }`) under its `inputs_schema`. Used by `npm run deploy --settings` and by the
// stand-in's default site function, so that both hand PostHog exactly what its input validation accepts
// (posthog/cdp/validation.py: a `number` input must be an int or float, a `boolean` a bool, a `string` a str).

/**
 * @param {Array<{ key: string, type: string, choices?: Array<{ value: unknown }> }>} schema the HogFunction's inputs_schema
 * @param {Record<string, unknown>} settings e.g. `{ interviewConfigs: 'flag=https://…', minDaysSinceLastSeenPopUp: '30' }`
 * @returns {{ inputs: Record<string, { value: unknown }>, problems: string[] }} problems: one line per setting left out
 */
export function inputsFromSettings(schema, settings) {
    /** @type {Record<string, { value: unknown }>} */
    const inputs = {}
    /** @type {string[]} */
    const problems = []
    const byKey = new Map(schema.map((field) => [field.key, field]))
    for (const [key, raw] of Object.entries(withInterviewConfigs(settings ?? {}))) {
        const field = byKey.get(key)
        if (!field) {
            problems.push(`${key}: not a setting of this app`)
            continue
        }
        // Left empty in the plugin form: no value, so the app's default applies (PostHog stores no input either).
        if (raw === null || raw === undefined || (field.type !== 'string' && typeof raw === 'string' && !raw.trim())) continue
        const value = typed(field, raw)
        if (value === undefined) problems.push(`${key}: ${JSON.stringify(raw).slice(0, 60)} is not a ${field.type}`)
        else inputs[key] = { value }
    }
    return { inputs, problems }
}

/**
 * The original app's 2022 settings, `featureFlagNames` + `bookButtonURLs` (two comma separated lists, paired in order),
 * as the one `interviewConfigs` the site app's schema requires (PostHog refuses a required input left empty, so the
 * HogFunction form has no fields for the old lists). The plugin form keeps them as fields; the app reads them the same
 * way when interviewConfigs is empty (src/settings.ts). A given interviewConfigs wins, and the lists are then dropped.
 * @param {Record<string, unknown>} settings
 */
export function withInterviewConfigs(settings) {
    const { featureFlagNames, bookButtonURLs, ...rest } = settings
    if (featureFlagNames === undefined && bookButtonURLs === undefined) return settings
    const configured = typeof rest.interviewConfigs === 'string' && rest.interviewConfigs.trim()
    if (configured || typeof featureFlagNames !== 'string') return rest
    const links = typeof bookButtonURLs === 'string' ? bookButtonURLs.split(',') : []
    const pairs = featureFlagNames.split(',').map((flag, i) => flag.trim() && `${flag.trim()}=${(links[i] ?? '').trim()}`)
    return { ...rest, interviewConfigs: pairs.filter(Boolean).join(',') }
}

/** `raw` as the schema's type wants it; undefined when it cannot be. */
function typed(field, raw) {
    const textValue = typeof raw === 'string' ? raw.trim() : raw
    switch (field.type) {
        case 'number': {
            if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined
            const n = typeof textValue === 'string' && textValue !== '' ? Number(textValue) : NaN
            return Number.isFinite(n) ? n : undefined
        }
        case 'boolean':
            if (typeof raw === 'boolean') return raw
            if (/^(true|yes|1|on)$/i.test(String(textValue))) return true
            if (/^(false|no|0|off|)$/i.test(String(textValue))) return false
            return undefined
        case 'choice': {
            const choice = String(textValue).toLowerCase()
            return (field.choices ?? []).some((c) => c.value === choice) ? choice : undefined
        }
        case 'string':
            return typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : undefined
        default:
            return raw
    }
}
