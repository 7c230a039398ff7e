// `/api/projects/{id}/insights/`: posthog/api/insight.py (InsightSerializer: fields, `saved` on update,
// last_modified_at on material changes; list filters `short_id`, `saved`, `search`; soft delete via `deleted`).
import { sendJson } from '../http.mjs'
import { STANDIN_USER } from './auth.mjs'
import { booleanField, charField, drfNow, fail, isPlainObject, jsonbOrder, notFound, pyType, requireDictionary, validationError } from './errors.mjs'
import { paginate } from './pagination.mjs'

// Insight query check. PostHog's InsightSerializer only checks that `query` is a JSON object (QueryFieldSerializer:
// "Query must be a valid JSON object"). STRICTER: the stand-in also checks what the query runner would need, per
// posthog/schema.py (InsightVizNode.source, FunnelsQuery.series of EventsNode/ActionsNode, BreakdownFilter), so a
// deploy that saves an insight PostHog could not compute fails here instead of later.

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

const INSIGHT_FIELDS = ['id', 'short_id', 'name', 'derived_name', 'filters', 'query', 'order', 'deleted', 'dashboards', 'dashboard_tiles', 'last_refresh', 'cache_target_age', 'next_allowed_client_refresh', 'result', 'hasMore', 'columns', 'created_at', 'created_by', 'description', 'updated_at', 'tags', 'favorited', 'saved', 'last_modified_at', 'last_modified_by', 'is_sample', 'effective_restriction_level', 'effective_privilege_level', 'user_access_level', 'timezone', 'is_cached', 'query_status', 'hogql', 'types', 'resolved_date_range', 'alerts', 'last_viewed_at']
export function insightBody(insight) {
    const view = {
        ...structuredClone(insight),
        dashboards: [],
        dashboard_tiles: [],
        tags: [],
        created_by: STANDIN_USER,
        last_modified_by: STANDIN_USER,
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

// -- insights (InsightSerializer) -----------------------------------------------------------------------------
const SHORT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
/** @param {import('../state.mjs').StandInState} state */
export function saveInsight(state, body, instance) {
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
        while ([...state.insights.values()].some((i) => i.short_id === shortId))
        const insight = {
            id: state.nextInsightId++,
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
        state.insights.set(insight.id, insight)
        return insight
    }
    // InsightSerializer.update: `saved` defaults to true on every update; material changes stamp last_modified_at.
    if (!('saved' in attrs)) attrs.saved = true
    const material = ['name', 'description', 'derived_name', 'filters', 'query', 'deleted'].some((k) => k in attrs)
    Object.assign(instance, attrs, { updated_at: now }, material ? { last_modified_at: now } : {})
    return instance
}

/** @param {import('../state.mjs').StandInState} state */
export function insightsApi(state, req, res, url, action, id, data) {
    if (action === 'list') {
        let list = [...state.insights.values()].filter((i) => !i.deleted)
        const shortId = url.searchParams.get('short_id')
        const saved = url.searchParams.get('saved')
        const search = (url.searchParams.get('search') ?? '').toLowerCase()
        if (shortId !== null) list = list.filter((i) => i.short_id === shortId)
        if (saved !== null) list = list.filter((i) => String(i.saved) === saved.toLowerCase())
        if (search) list = list.filter((i) => [i.name, i.derived_name, i.description].some((t) => (t ?? '').toLowerCase().includes(search)))
        list.sort((a, b) => (a.last_modified_at < b.last_modified_at ? 1 : a.last_modified_at > b.last_modified_at ? -1 : b.id - a.id))
        return sendJson(req, res, 200, paginate(state, req, url, list.map(insightBody)))
    }
    if (action === 'create') return sendJson(req, res, 201, insightBody(saveInsight(state, data, undefined)))
    const insight = id && /^\d+$/.test(id) ? state.insights.get(Number(id)) : undefined
    const undeleting = action === 'partial_update' && isPlainObject(data) && data.deleted === false
    if (!insight || (insight.deleted && !undeleting)) throw notFound()
    if (action === 'retrieve') return sendJson(req, res, 200, insightBody(insight))
    requireDictionary(data)
    return sendJson(req, res, 200, insightBody(saveInsight(state, data, insight)))
}

