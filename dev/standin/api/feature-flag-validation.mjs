// FeatureFlagSerializer's validation (posthog/api/feature_flag.py): the fields in Meta.fields' order (exceptions_hog
// reports the first error), `validate_key` (unique among the project's flags that are not deleted, code "unique";
// then `^[a-zA-Z0-9_-]+$`, code "invalid_key") and `validate_filters` (at least one group on create; person, cohort
// and flag properties only without `aggregation_group_type_index`; variant sums and overrides; operators that need
// string values; payloads that are JSON, dicts stored as their `json.dumps`, keyed "true" or by variant).
import { pyJsonDumps } from '../../hog-template.mjs'
import { SUPPORTED_OPERATORS } from '../flag-matching.mjs'
import { booleanField, charField, choiceField, fail, isPlainObject, pyType, serverError, validationError } from './errors.mjs'

/** posthog/models/property/property.py PropertyOperator values the serializer lets through. */
const STRING_VALUE_OPERATORS = ['regex', 'icontains', 'not_regex', 'not_icontains', 'gte', 'lte', 'gt', 'lt']
const BOOLEAN_FIELDS = ['deleted', 'active', 'ensure_experience_continuity', 'performed_rollback', 'has_enriched_analytics', 'is_remote_configuration', 'has_encrypted_payloads']
const CREATION_CONTEXTS = ['feature_flags', 'experiments', 'surveys', 'early_access_features', 'web_experiments', 'product_tours']

/** validate_filters' errors are raised one at a time; this is the first. */
const filtersError = (message, code = 'invalid') => validationError({ filters: [fail(message, code)] })

/** One condition's property filter, as Property(**property) and the serializer's checks see it. */
function checkProperty(property, stateHasCohort) {
    // Property(**property): a non-dict or a filter without `key` raises a Python error, PostHog's 500.
    if (!isPlainObject(property) || !('key' in property)) throw serverError()
    const type = property.type ?? 'event'
    if (!['person', 'cohort', 'flag'].includes(type)) throw filtersError('Filters are not valid (can only use person, cohort, and flag properties)')
    if (type === 'flag' && property.operator !== 'flag_evaluates_to') throw filtersError("Flag properties must use the 'flag_evaluates_to' operator")
    if (type === 'flag') throw filtersError('(stand-in) flag dependencies are not supported')
    if (Array.isArray(property.value) && property.value.length > 1000) {
        throw filtersError(`Property group expressions of type ${property.key} cannot contain more than 1000 values.`)
    }
    if (type === 'cohort' && !stateHasCohort(property.value)) {
        // The stand-in keeps no cohorts, so every cohort id is one that does not exist.
        throw filtersError(`Cohort with id ${property.value} does not exist`, 'cohort_does_not_exist')
    }
    const operator = property.operator ?? 'exact'
    if (STRING_VALUE_OPERATORS.includes(operator) && typeof property.value !== 'string') {
        throw filtersError(`Invalid value for operator ${operator}: ${pyRepr(property.value)}`, 'invalid_value')
    }
    if ((operator === 'in' || operator === 'not_in') && type !== 'cohort') {
        throw filtersError(`The '${operator}' operator is only valid for cohort properties, not '${type}' properties.`, 'invalid_operator')
    }
    if (!SUPPORTED_OPERATORS.includes(operator)) {
        throw filtersError(`(stand-in) operator '${operator}' is not evaluated by the stand-in; use one of ${SUPPORTED_OPERATORS.join(', ')}`)
    }
}

/** Python's str() of a JSON value, as f-strings print it. */
function pyRepr(v) {
    if (v === null || v === undefined) return 'None'
    if (v === true) return 'True'
    if (v === false) return 'False'
    if (typeof v === 'string') return v
    return pyJsonDumps(v).replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False').replace(/\bnull\b/g, 'None').replace(/"/g, "'")
}

/** validate_filters: the filters to store, or throws PostHog's 400 (or 500 where PostHog's code would raise). */
export function validateFilters(filters, { isCreate, isPatch, instance }) {
    if (!('groups' in filters) && isPatch) return instance.filters
    if (isCreate && pyFalsyList(filters.groups)) throw filtersError('Feature flags must have at least one condition set (group).')
    const groups = filters.groups
    if (!Array.isArray(groups) || groups.some((g) => !isPlainObject(g))) throw serverError() // iterating filters["groups"]
    if (filters.aggregation_group_type_index !== undefined && filters.aggregation_group_type_index !== null) {
        throw filtersError('(stand-in) group-based flags are not supported; the stand-in keeps no groups')
    }
    const multivariate = filters.multivariate
    const variantList = isPlainObject(multivariate) && Array.isArray(multivariate.variants) ? multivariate.variants : []
    if (variantList.some((v) => !isPlainObject(v) || !('key' in v))) throw serverError() // variant["key"]
    const variants = new Set(variantList.map((v) => v.key))
    if (variantList.length && variantList.reduce((sum, v) => sum + (v.rollout_percentage ?? 0), 0) !== 100) {
        throw filtersError('Invalid variant definitions: Variant rollout percentages must sum to 100.', 'invalid_input')
    }
    for (const group of groups) {
        const props = group.properties ?? []
        if (!Array.isArray(props)) throw serverError()
        for (const property of props) checkProperty(property, () => false)
    }
    for (const group of groups) {
        if (group.variant && !variants.has(group.variant)) throw filtersError('Filters are not valid (variant override does not exist)')
        const rollout = group.rollout_percentage
        if (rollout !== undefined && rollout !== null && typeof rollout !== 'number') throw serverError() // rollout_percentage / 100
    }
    const payloads = 'payloads' in filters ? filters.payloads : {}
    if (!isPlainObject(payloads)) throw filtersError('Payloads must be passed as a dictionary')
    const stored = { ...payloads }
    for (const [key, value] of Object.entries(payloads)) {
        if (isPlainObject(value)) stored[key] = pyJsonDumps(value) // "Normalize JSON object payloads ... to strings"
        else if (typeof value === 'string') {
            try {
                JSON.parse(value)
            } catch {
                throw filtersError('Payload value is not valid JSON')
            }
        }
    }
    if (!pyFalsyList(multivariate) && isPlainObject(multivariate) && Object.keys(multivariate).length) {
        if (!Object.keys(stored).every((k) => variants.has(k))) throw filtersError('Payload keys must match a variant key for multivariate flags')
    } else if (Object.keys(stored).length > 1 || Object.keys(stored).some((k) => k !== 'true')) {
        throw filtersError("Payload keys must be 'true' for boolean flags")
    }
    return 'payloads' in filters ? { ...filters, payloads: stored } : filters
}

const pyFalsyList = (v) => v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && !Object.keys(v).length)

/**
 * FeatureFlagSerializer.to_internal_value for a create (`instance` undefined), a PATCH or a PUT.
 * @param {Record<string, any>} body
 * @param {Record<string, any> | undefined} instance
 * @param {{ partial: boolean, keyTaken: (key: string) => boolean }} options
 * @returns {Record<string, any>} the validated attributes
 */
export function validateFeatureFlag(body, instance, { partial, keyTaken }) {
    const isCreate = !instance
    /** @type {Record<string, any>} */
    const errors = {}
    /** @type {Record<string, any>} */
    const attrs = {}
    const take = (key, result) => {
        if (result.error) errors[key] = result.error
        else attrs[key] = result.value
    }
    const required = (key) => (errors[key] = [fail('This field is required.', 'required')])
    if ('name' in body) take('name', charField(body.name, { allowBlank: true }))
    if ('key' in body) {
        const key = charField(body.key, { maxLength: 400 })
        if (key.error) errors.key = key.error
        else if (keyTaken(key.value)) errors.key = [fail('There is already a feature flag with this key.', 'unique')]
        else if (!/^[a-zA-Z0-9_-]+$/.test(key.value)) errors.key = [fail('Only letters, numbers, hyphens (-) & underscores (_) are allowed.', 'invalid_key')]
        else attrs.key = key.value
    } else if (isCreate || !partial) required('key')
    if ('filters' in body) {
        if (!isPlainObject(body.filters)) {
            errors.filters = [fail(`Expected a dictionary of items but got type "${pyType(body.filters)}".`, 'not_a_dict')]
        } else if (!Object.keys(errors).length) {
            // validate_filters raises; it runs in field order, so an earlier field's error is reported first.
            attrs.filters = validateFilters(body.filters, { isCreate, isPatch: partial && !isCreate, instance })
        } else {
            try {
                validateFilters(body.filters, { isCreate, isPatch: partial && !isCreate, instance })
            } catch (e) {
                // A ValidationError joins the others (the earlier field's is reported); a Python error is a 500 at once.
                if (e && /** @type {any} */ (e).status === 500) throw e
            }
        }
    }
    // No `filters` on a create: the field is optional, validate_filters does not run, and the model's default `{}`
    // is stored (get_filters then shows one condition for everyone).
    for (const key of BOOLEAN_FIELDS) {
        if (!(key in body)) continue
        const nullable = ['ensure_experience_continuity', 'has_enriched_analytics'].includes(key) // ClassicBehaviorBooleanFieldSerializer
        take(key, booleanField(body[key], { allowNull: nullable }))
    }
    if ('version' in body && body.version !== null && !Number.isInteger(Number(body.version))) errors.version = [fail('A valid integer is required.')]
    if ('tags' in body && !Array.isArray(body.tags)) errors.tags = [fail(`Expected a list of items but got type "${pyType(body.tags)}".`, 'not_a_list')]
    else if ('tags' in body) attrs.tags = body.tags.map(String)
    if ('analytics_dashboards' in body) {
        const d = body.analytics_dashboards
        if (!Array.isArray(d)) errors.analytics_dashboards = [fail(`Expected a list of items but got type "${pyType(d)}".`, 'not_a_list')]
        else if (d.length) errors.analytics_dashboards = [fail(`Invalid pk "${d[0]}" - object does not exist.`, 'does_not_exist')]
    }
    if ('creation_context' in body) {
        const c = choiceField(body.creation_context, CREATION_CONTEXTS)
        if (c.error) errors.creation_context = c.error
    }
    if ('evaluation_runtime' in body) take('evaluation_runtime', choiceField(body.evaluation_runtime, ['server', 'client', 'all']))
    if (Object.keys(errors).length) throw validationError(errors)
    if (attrs.has_encrypted_payloads) throw validationError({ has_encrypted_payloads: [fail('(stand-in) encrypted payloads are not supported')] })
    if ('rollback_conditions' in body) attrs.rollback_conditions = body.rollback_conditions
    return attrs
}
