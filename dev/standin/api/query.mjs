// `POST /api/projects/{id}/query/`: posthog/api/query.py (QueryViewSet, scope_object "query" with create, retrieve,
// list and destroy all read actions, so `query:read`; the body parsed as posthog/schema.py QueryRequest by
// PydanticModelMixin.get_model, whose failures are DRF ParseErrors "JSON parse error - ..."; errors while running
// are ValidationErrors) answering an EventsQuery (posthog/schema.py EventsQuery, `extra="forbid"`) as
// CachedEventsQueryResponse.model_dump(by_alias=True): `columns`, `results`, `types`, `hasMore`, `limit`, `offset`,
// `nextCursor`, the cache fields, `hogql`, `timings`. The rows come from what the stand-in ingested, each event with
// its person's current UUID as `person_id` (persons merged by $identify share one). Only EventsQuery is answered:
// another kind is refused (STRICTER than PostHog, which would compute it) rather than answered approximately.
import { createHash } from 'node:crypto'
import { sendJson } from '../http.mjs'
import { ApiError, fail, isPlainObject, notFound, validationError } from './errors.mjs'
import { orjsonTimestamp, QueryError, runEventsQuery, stableUuid } from '../events-query.mjs'

/** QueryViewSet.scope_object_read_actions. */
export const QUERY_READ_ACTIONS = ['retrieve', 'create', 'list', 'destroy']

const REQUEST_FIELDS = ['query', 'async', 'client_query_id', 'filters_override', 'variables_override', 'name', 'refresh', 'limit_context']
const EVENTS_QUERY_FIELDS = [
    'kind', 'select', 'event', 'events', 'properties', 'fixedProperties', 'after', 'before', 'orderBy', 'limit', 'offset', 'where',
    'actionId', 'actionSteps', 'personId', 'filterTestAccounts', 'source', 'response', 'modifiers', 'tags', 'version',
]
const OPERATORS = [
    'exact', 'is_not', 'icontains', 'not_icontains', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set',
    'is_date_exact', 'is_date_before', 'is_date_after', 'between', 'not_between', 'min', 'max', 'in', 'not_in', 'is_cleaned_path_exact',
    'flag_evaluates_to', 'semver_eq', 'semver_neq', 'semver_gt', 'semver_gte', 'semver_lt', 'semver_lte', 'semver_tilde', 'semver_caret', 'semver_wildcard',
]

/** ParseError from a pydantic ValidationError (the stand-in's wording of pydantic's message). */
const parseError = (loc, message) =>
    new ApiError(400, { type: 'invalid_request', code: 'parse_error', detail: `JSON parse error - 1 validation error for QueryRequest\n${loc}\n  ${message}`, attr: null })

const isStringList = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string')

/** The pydantic checks on QueryRequest and EventsQuery the stand-in relies on. */
function parseRequest(data) {
    if (!isPlainObject(data)) throw parseError('', 'Input should be a valid dictionary')
    for (const key of Object.keys(data)) if (!REQUEST_FIELDS.includes(key)) throw parseError(key, 'Extra inputs are not permitted')
    if (!('query' in data)) throw parseError('query', 'Field required')
    const query = data.query
    if (!isPlainObject(query)) throw parseError('query', 'Input should be a valid dictionary or object to extract fields from')
    if (query.kind !== 'EventsQuery') {
        if (typeof query.kind === 'string') throw validationError([fail(`(stand-in) only EventsQuery is answered, not ${query.kind}`)])
        throw parseError('query', "Unable to extract tag using discriminator 'kind'")
    }
    for (const key of Object.keys(query)) if (!EVENTS_QUERY_FIELDS.includes(key)) throw parseError(`query.EventsQuery.${key}`, 'Extra inputs are not permitted')
    if (!('select' in query)) throw parseError('query.EventsQuery.select', 'Field required')
    for (const key of ['select', 'orderBy', 'where', 'events']) {
        if (key in query && query[key] !== null && !isStringList(query[key])) throw parseError(`query.EventsQuery.${key}`, 'Input should be a valid list of strings')
    }
    for (const key of ['event', 'after', 'before']) {
        if (key in query && query[key] !== null && typeof query[key] !== 'string') throw parseError(`query.EventsQuery.${key}`, 'Input should be a valid string')
    }
    for (const key of ['limit', 'offset']) {
        if (key in query && query[key] !== null && !Number.isInteger(query[key])) throw parseError(`query.EventsQuery.${key}`, 'Input should be a valid integer')
    }
    if ('properties' in query && query.properties !== null) {
        if (!Array.isArray(query.properties)) throw parseError('query.EventsQuery.properties', 'Input should be a valid list')
        query.properties.forEach((p, i) => {
            if (!isPlainObject(p) || typeof p.key !== 'string') throw parseError(`query.EventsQuery.properties.${i}`, 'Input should be a property filter with a string key')
            if (p.operator !== undefined && p.operator !== null && !OPERATORS.includes(p.operator)) throw parseError(`query.EventsQuery.properties.${i}.operator`, `Input should be one of ${OPERATORS.join(', ')}`)
        })
    }
    for (const key of ['actionId', 'actionSteps', 'personId', 'source', 'fixedProperties']) {
        if (query[key] !== undefined && query[key] !== null) throw validationError([fail(`(stand-in) EventsQuery.${key} is not supported`)])
    }
    if (query.filterTestAccounts === true) throw validationError([fail('(stand-in) EventsQuery.filterTestAccounts is not supported (the stand-in has no test account filters)')])
    return query
}

/** The events as ClickHouse's events table holds them for the query. @param {import('../state.mjs').StandInState} state */
function eventRows(state) {
    return state.events.map((ev, i) => {
        const person = state.persons.get(ev.distinct_id)
        const parsed = ev.timestamp ? Date.parse(ev.timestamp) : NaN
        return {
            uuid: ev.uuid ?? stableUuid(`event:${i}:${ev.receivedAt}`),
            event: ev.event,
            // PostHog also corrects the client's clock by `sent_at`; the stand-in keeps the client's timestamp.
            timestamp: Number.isNaN(parsed) ? Date.parse(ev.receivedAt) : parsed,
            distinct_id: ev.distinct_id,
            // A personless event's person_id is derived from its distinct id, as PostHog's ingestion does.
            person_id: person ? person.uuid : stableUuid(`person:${state.projectId}:${ev.distinct_id}`),
            properties: ev.properties,
        }
    })
}

/** A HogQL rendering of the query, for the response's `hogql` (informational). */
function hogqlOf(query) {
    const parts = [`SELECT ${query.select.join(', ')} FROM events`]
    if (query.event) parts.push(`WHERE event = '${query.event.replace(/'/g, "\\'")}'`)
    if (query.orderBy?.length) parts.push(`ORDER BY ${query.orderBy.join(', ')}`)
    return parts.join(' ')
}

/** @param {import('../state.mjs').StandInState} state */
export function queryApi(state, req, res, url, action, id, data) {
    if (action !== 'create') throw notFound() // no async queries to look up or cancel
    const query = parseRequest(data)
    const now = Date.now()
    let answer
    try {
        answer = runEventsQuery(query, eventRows(state), now)
    } catch (e) {
        if (e instanceof QueryError) throw validationError([fail(e.message)])
        throw e
    }
    const nowIso = orjsonTimestamp(now)
    return sendJson(req, res, 200, {
        cache_key: `cache_${createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 32)}`,
        cache_target_age: null,
        calculation_trigger: null,
        columns: answer.columns,
        error: null,
        hasMore: answer.hasMore,
        hogql: hogqlOf(query),
        is_cached: false,
        last_refresh: nowIso,
        limit: answer.limit,
        modifiers: {},
        next_allowed_client_refresh: nowIso,
        nextCursor: answer.nextCursor,
        offset: answer.offset,
        query_status: null,
        results: answer.results,
        timezone: 'UTC',
        timings: [],
        types: answer.types,
    })
}
