// Evaluating a feature flag's release conditions for one person, as PostHog's flags service does for person flags:
// posthog/models/feature_flag/flag_matching.py (FeatureFlagMatcher: `get_hash` = sha1 of `{key}.{distinct_id}{salt}`,
// first 15 hex digits / 0xFFFFFFFFFFFFFFF; conditions with a variant override first; rollout bound `hash >
// rollout_percentage / 100`; variant lookup table on the `variant` salt) and the Rust service's matcher
// (rust/feature-flags/src/properties/property_matching.rs `match_property` with full person properties: `is_set` /
// `is_not_set` on the key's presence, a missing key matches only the negative operators, `exact` with `"true"` /
// `"false"` compared as booleans, case-insensitive string equality, arrays as "any of").
import { createHash } from 'node:crypto'

const LONG_SCALE = 0xfffffffffffffff

/** The person-property operators the stand-in evaluates (a flag with any other is refused when it is saved). */
export const SUPPORTED_OPERATORS = Object.freeze([
    'exact', 'is_not', 'is_set', 'is_not_set', 'icontains', 'not_icontains', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte',
])

/** flag_matching.py `get_hash`: a float in [0, 1) for this flag, identifier and salt. */
export function flagHash(key, distinctId, salt = '') {
    const hex = createHash('sha1').update(`${key}.${distinctId}${salt}`, 'utf8').digest('hex').slice(0, 15)
    return Number.parseInt(hex, 16) / LONG_SCALE
}

/** property_matching.rs `to_string_representation`: strings as they are, anything else as JSON. */
const asText = (v) => (typeof v === 'string' ? v : JSON.stringify(v))
const isTruthyOrFalsy = (v) => typeof v === 'boolean' || (typeof v === 'string' && ['true', 'false'].includes(v.toLowerCase()))
const isTruthy = (v) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true')

function exactMatch(value, actual) {
    if (isTruthyOrFalsy(value)) return isTruthy(actual) === isTruthy(value)
    if (Array.isArray(value)) return value.some((v) => asText(v).toLowerCase() === asText(actual).toLowerCase())
    return asText(value).toLowerCase() === asText(actual).toLowerCase()
}

function compare(actual, value, operator) {
    const a = Number(typeof actual === 'string' ? actual.trim() : actual)
    const b = Number(typeof value === 'string' ? value.trim() : value)
    if (actual === null || actual === '' || Number.isNaN(a) || Number.isNaN(b)) return false // "value is not a number": no match
    return operator === 'gt' ? a > b : operator === 'gte' ? a >= b : operator === 'lt' ? a < b : a <= b
}

/**
 * One person-property filter against the person's properties (a plain object).
 * @param {{ key: string, operator?: string | null, value?: unknown }} property
 * @param {Record<string, unknown>} properties
 */
export function matchPersonProperty(property, properties) {
    const { key } = property
    const operator = property.operator ?? 'exact'
    const has = Object.prototype.hasOwnProperty.call(properties, key)
    if (operator === 'is_set') return has
    if (operator === 'is_not_set') return !has
    const value = property.value
    if (value === undefined || value === null) return false
    const negative = ['is_not', 'not_icontains', 'not_regex'].includes(operator)
    if (!has) return negative
    const actual = properties[key]
    switch (operator) {
        case 'exact':
            return exactMatch(value, actual)
        case 'is_not':
            return !exactMatch(value, actual)
        case 'icontains':
        case 'not_icontains': {
            const contained = asText(actual).toLowerCase().includes(asText(value).toLowerCase())
            return operator === 'icontains' ? contained : !contained
        }
        case 'regex':
        case 'not_regex': {
            let re
            try {
                re = new RegExp(asText(value))
            } catch {
                return false // an invalid pattern matches nothing, either way
            }
            const found = re.test(asText(actual))
            return operator === 'regex' ? found : !found
        }
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
            return compare(actual, value, operator)
        default:
            return false
    }
}

function variantFor(flag, distinctId) {
    const variants = flag.filters?.multivariate?.variants ?? []
    const hash = flagHash(flag.key, distinctId, 'variant')
    let min = 0
    for (const variant of variants) {
        const max = min + variant.rollout_percentage / 100
        if (hash >= min && hash < max) return variant.key
        min = max
    }
    return null
}

/**
 * A stored flag for one distinct id and the person's properties: `{ enabled, variant, reason }` in /flags v2 terms.
 * @param {{ key: string, active: boolean, filters: Record<string, any> }} flag
 * @param {string} distinctId
 * @param {Record<string, unknown>} properties
 */
export function evaluateFlag(flag, distinctId, properties) {
    if (!flag.active) return { enabled: false, variant: null, reason: { code: 'flag_disabled', condition_index: null, description: 'Feature flag is disabled' } }
    const groups = Array.isArray(flag.filters?.groups) ? flag.filters.groups : []
    const variantKeys = (flag.filters?.multivariate?.variants ?? []).map((v) => v.key)
    // Stable sort: conditions with a variant override first, as flag_matching.py does.
    const order = groups.map((group, index) => ({ group, index })).sort((a, b) => (a.group.variant ? 0 : 1) - (b.group.variant ? 0 : 1))
    let best = { code: 'no_condition_match', index: 0 }
    for (const { group, index } of order) {
        const props = Array.isArray(group.properties) ? group.properties : []
        if (!props.every((p) => matchPersonProperty(p, properties))) continue
        const rollout = group.rollout_percentage
        if (rollout !== undefined && rollout !== null && flagHash(flag.key, distinctId) > rollout / 100) {
            if (best.code === 'no_condition_match') best = { code: 'out_of_rollout_bound', index }
            continue
        }
        const variant = group.variant && variantKeys.includes(group.variant) ? group.variant : variantKeys.length ? variantFor(flag, distinctId) : null
        return { enabled: true, variant, reason: { code: 'condition_match', condition_index: index, description: `Matched condition set ${index + 1}` } }
    }
    const description = best.code === 'out_of_rollout_bound' ? 'Out of rollout bound' : 'No matching condition set'
    return { enabled: false, variant: null, reason: { code: best.code, condition_index: best.index, description } }
}
