// HogFunction validation: posthog/cdp/validation.py (InputsSchemaItemSerializer, InputsItemSerializer,
// InputsSerializer) and products/cdp/backend/api/hog_function.py (HogFunctionSerializer), newest stored copies.
import { HogTemplateError, transpileTemplateCode } from '../../hog-template.mjs'
import { SITE_FUNCTION_TYPES, transpileSiteFunction } from '../site-functions.mjs'
import { booleanField, charField, choiceField, fail, isPlainObject, pyFalsy, pyType, serverError, validationError } from './errors.mjs'

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
export function validateSchemaItem(item) {
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
export function validateInputs(rawInputs, rawSchema, functionType, existingInputs) {
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
export function validateSiteFilters(raw) {
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

/**
 * Validates a create (`instance` undefined) or an update, and returns the row as it would be saved.
 * @param {Record<string, any>} body @param {Record<string, any> | undefined} instance @param {'honour'|'ignore'} mode
 */
export function validateHogFunction(body, instance, mode) {
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
