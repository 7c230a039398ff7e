// PostHog's REST API error bodies and the DRF field semantics the stand-in's serializers use.
// Error bodies: drf-exceptions-hog (exceptions_hog/handler.py) `{ type, code, detail, attr }`; fields:
// rest_framework/fields.py (BooleanField, CharField, ChoiceField); key order: Postgres jsonb, which PostHog's
// JSONFields come back in; timestamps: DRF DateTimeField output.

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** A DRF error detail: message and code (`invalid` is reported as `invalid_input`). */
export const fail = (message, code = 'invalid') => ({ message, code })

/** Python's `type(x).__name__` for a JSON value. */
export function pyType(v) {
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

export class ApiError extends Error {
    /** @param {number} status @param {any} body */
    constructor(status, body) {
        super(typeof body === 'object' && body ? String(body.detail) : `HTTP ${status}`)
        this.status = status
        this.body = body
    }
}
export const validationError = (errors) => new ApiError(400, validationErrorBody(errors))
/** What PostHog answers when a Python exception escapes a view (not DEBUG): exceptions_hog's server_error. */
export const serverError = () => new ApiError(500, { type: 'server_error', code: 'error', detail: 'A server error occurred.', attr: null })

// DRF field semantics (rest_framework/fields.py), for the fields these endpoints read.
export const TRUE_VALUES = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1', 1, true])
export const FALSE_VALUES = new Set(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0', 0, 0.0, false])

/** @returns {{ value?: any, error?: any }} */
export function booleanField(v, { allowNull = false } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    if (TRUE_VALUES.has(v)) return { value: true }
    if (FALSE_VALUES.has(v)) return { value: false }
    return { error: [fail('Must be a valid boolean.')] }
}

export function charField(v, { allowNull = false, allowBlank = false, maxLength = Infinity, trim = true } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    if (typeof v === 'boolean' || (typeof v === 'object' && v !== null)) return { error: [fail('Not a valid string.')] }
    let s = String(v)
    if (s === '' || (trim && s.trim() === '')) return allowBlank ? { value: '' } : { error: [fail('This field may not be blank.', 'blank')] }
    if (trim) s = s.trim()
    if ([...s].length > maxLength) return { error: [fail(`Ensure this field has no more than ${maxLength} characters.`, 'max_length')] }
    return { value: s }
}

export function choiceField(v, choices, { allowNull = false } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    const asText = typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'object' ? JSON.stringify(v) : String(v)
    for (const choice of choices) {
        const choiceText = typeof choice === 'boolean' ? (choice ? 'True' : 'False') : String(choice)
        if (choiceText === asText) return { value: choice }
    }
    return { error: [fail(`"${asText}" is not a valid choice.`, 'invalid_choice')] }
}

/** Python's truthiness of a JSON value (`if not value`). */
export const pyFalsy = (v) =>
    v === null || v === undefined || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0)

/**
 * Postgres jsonb's key order, which PostHog's JSONFields come back in: shorter keys first, then bytewise.
 * @template T @param {T} value @returns {T}
 */
export function jsonbOrder(value) {
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
export const drfNow = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

/** An error with the status and body PostHog answers. */
export const apiError = (status, type, code, detail) => new ApiError(status, { type, code, detail, attr: null })
export const notFound = () => apiError(404, 'invalid_request', 'not_found', 'Not found.')
export function requireDictionary(data) {
    if (!isPlainObject(data)) throw validationError({ non_field_errors: [fail(`Invalid data. Expected a dictionary, but got ${pyType(data)}.`)] })
}
