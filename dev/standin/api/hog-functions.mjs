// `/api/projects/{id}/hog_functions/`: products/cdp/backend/api/hog_function.py (HogFunctionSerializer,
// HogFunctionMinimalSerializer, HogFunctionViewSet: list filters `type`, `enabled`, `search`, ordering
// `execution_order, -updated_at`, soft delete via `deleted`, safely_get_queryset), versions bumped on material changes.
import { randomUUID } from 'node:crypto'
import { sendJson, templatingFor } from '../http.mjs'
import { STANDIN_USER } from './auth.mjs'
import { drfNow, isPlainObject, jsonbOrder, notFound, requireDictionary } from './errors.mjs'
import { validateHogFunction } from './hog-function-validation.mjs'
import { paginate } from './pagination.mjs'

const MINIMAL_FIELDS = ['id', 'type', 'name', 'description', 'created_at', 'created_by', 'updated_at', 'enabled', 'hog', 'filters', 'icon_url', 'template', 'status', 'execution_order', 'search_match_type', 'draft_updated_at']
const FULL_FIELDS = ['id', 'type', 'name', 'description', 'created_at', 'created_by', 'updated_at', 'enabled', 'hog', 'bytecode', 'transpiled', 'inputs_schema', 'inputs', 'filters', 'masking', 'mappings', 'icon_url', 'template', 'status', 'execution_order', 'batch_export_id', 'search_match_type', 'version', 'draft', 'draft_updated_at']

/** HogFunctionSerializer / HogFunctionMinimalSerializer `to_representation` (`deleted` is write-only). */
export function hogFunctionBody(fn, full = true) {
    /** @type {Record<string, any>} */
    const view = { ...structuredClone(fn), created_by: STANDIN_USER, template: null, status: { state: 0, tokens: 0 }, search_match_type: null, draft: null, draft_updated_at: null }
    /** @type {Record<string, any>} */
    const inputs = {}
    for (const [key, input] of Object.entries(view.inputs ?? {})) {
        inputs[key] = isPlainObject(input) ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) : input
    }
    for (const schema of view.inputs_schema ?? []) if (schema.secret && inputs[schema.key]) inputs[schema.key] = { secret: true }
    view.inputs = inputs
    return Object.fromEntries((full ? FULL_FIELDS : MINIMAL_FIELDS).map((k) => [k, view[k] ?? null]))
}

/** @param {import('../state.mjs').StandInState} state */
export function saveHogFunction(state, body, instance, mode) {
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
        state.hogFunctions.set(fn.id, fn)
        return fn
    }
    const changed = ['hog', 'inputs_schema', 'inputs', 'filters', 'mappings', 'masking'].some(
        (k) => k in attrs && JSON.stringify(attrs[k]) !== JSON.stringify(instance[k]),
    )
    Object.assign(instance, attrs, { updated_at: now, version: instance.version + (changed ? 1 : 0) })
    return instance
}

/** @param {import('../state.mjs').StandInState} state */
export function hogFunctionsApi(state, req, res, url, action, id, data) {
    const mode = templatingFor(state, req)
    if (action === 'list') {
        const types = url.searchParams.get('type')
        const enabled = url.searchParams.get('enabled')
        const search = (url.searchParams.get('search') ?? '').toLowerCase()
        let list = [...state.hogFunctions.values()].filter((f) => !f.deleted)
        if (types !== null) list = list.filter((f) => types.split(',').includes(f.type))
        if (enabled !== null) list = list.filter((f) => String(f.enabled) === enabled.toLowerCase())
        if (search) list = list.filter((f) => `${f.name ?? ''} ${f.description ?? ''}`.toLowerCase().includes(search))
        // order_by("execution_order", "-updated_at"): Postgres puts NULL execution orders last.
        list.sort((a, b) => (a.execution_order ?? Infinity) - (b.execution_order ?? Infinity) || (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0))
        const full = url.searchParams.get('full') === 'true'
        return sendJson(req, res, 200, paginate(state, req, url, list.map((f) => hogFunctionBody(f, full))))
    }
    if (action === 'create') return sendJson(req, res, 201, hogFunctionBody(saveHogFunction(state, data, undefined, mode)))
    const fn = id ? state.hogFunctions.get(id) : undefined
    // safely_get_queryset: deleted functions are found only by a PATCH that undeletes them.
    const undeleting = action === 'partial_update' && isPlainObject(data) && data.deleted === false
    if (!fn || (fn.deleted && !undeleting)) throw notFound()
    if (action === 'retrieve') return sendJson(req, res, 200, hogFunctionBody(fn))
    requireDictionary(data)
    return sendJson(req, res, 200, hogFunctionBody(saveHogFunction(state, data, fn, mode)))
}
