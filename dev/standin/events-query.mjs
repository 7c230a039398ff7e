// EventsQuery over the stand-in's events, as posthog/hogql_queries/events_query_runner.py builds and runs it:
// `select` columns (a `-- label` after an expression is ignored), non-aggregate columns become GROUP BY once any
// column aggregates, `where`-list filters from `event` and `properties` (posthog/hogql/property.py
// property_to_expr), `timestamp > after` (default "-24h", "all" for none) and `timestamp < before` (default now +
// 5 s), ORDER BY `orderBy`, else `count() DESC`, else the first aggregate DESC, else `timestamp DESC`, else the
// first column ASC; LIMIT limit + 1 for `hasMore` (HogQLHasMorePaginator: default 100, at most 50000).
// Values as HogQL prints them: `properties.X` is `replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'X'),
// ''), 'null'), '^"|"$', '')`, a Nullable(String); timestamps are DateTime64(6, 'UTC'), answered by orjson with
// OPT_UTC_Z. Anything else is refused with the reason, never answered approximately.
import { createHash } from 'node:crypto'

/** A refusal the API answers as a 400. */
export class QueryError extends Error {}

const FIELD_TYPES = { event: 'String', timestamp: "DateTime64(6, 'UTC')", distinct_id: 'String', person_id: 'UUID', uuid: 'UUID' }
const SUPPORTED = 'event, timestamp, distinct_id, person_id, uuid, count(), properties.X (nested: properties.X.Y)'
const SEGMENT = /^(?:`((?:[^`\\]|\\.)*)`|([A-Za-z_$][A-Za-z0-9_$]*))/

/** Parses one column: `{ kind: 'field' | 'count' | 'json', ... }`, or throws QueryError. */
export function parseExpression(text) {
    const expr = String(text).split('--')[0].trim()
    if (/^count\(\s*\*?\s*\)$/i.test(expr)) return { kind: 'count', type: 'UInt64' }
    if (Object.prototype.hasOwnProperty.call(FIELD_TYPES, expr)) return { kind: 'field', name: expr, type: FIELD_TYPES[expr] }
    // Not person.properties.X: what it answers depends on the project's persons-on-events mode.
    if (expr.startsWith('properties.')) {
        let rest = expr.slice('properties.'.length)
        const path = []
        while (rest.length) {
            const m = SEGMENT.exec(rest)
            if (!m) break
            path.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2])
            rest = rest.slice(m[0].length)
            if (!rest.length) return { kind: 'json', path, type: 'Nullable(String)' }
            if (rest[0] !== '.') break
            rest = rest.slice(1)
        }
    }
    throw new QueryError(`(stand-in) unsupported expression in an EventsQuery: ${JSON.stringify(expr)}; supported: ${SUPPORTED}`)
}

/** JSONExtractRaw, then the nullIfs and the quote strip: what HogQL's `properties.X` prints. */
function jsonValue(object, path) {
    let v = object
    for (const key of path) {
        if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) return null
        v = v[key]
    }
    if (v === null || v === undefined) return null
    return JSON.stringify(v).replace(/^"|"$/g, '')
}

/** orjson's datetime with OPT_UTC_Z: microseconds only when there are some. */
export function orjsonTimestamp(ms) {
    const iso = new Date(ms).toISOString()
    return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z')
}

/** A UUID for a value that has none (an event without one, a personless distinct id), stable across calls. */
export function stableUuid(seed) {
    const h = createHash('sha1').update(seed).digest('hex')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The value of a non-aggregate column for one row. */
function valueOf(col, row) {
    if (col.kind === 'field') return col.name === 'timestamp' ? orjsonTimestamp(row.timestamp) : row[col.name]
    return jsonValue(row.properties, col.path)
}

/** posthog/utils.py relative_date_parse for the forms EventsQuery's after/before take. */
export function parseDate(text, now) {
    const m = /^-?(\d+)([hdwmqy])$/.exec(text)
    if (m) {
        const n = Number(m[1])
        const d = new Date(now)
        if (m[2] === 'h') d.setUTCHours(d.getUTCHours() - n)
        if (m[2] === 'd') d.setUTCDate(d.getUTCDate() - n)
        if (m[2] === 'w') d.setUTCDate(d.getUTCDate() - 7 * n)
        if (m[2] === 'm') d.setUTCMonth(d.getUTCMonth() - n)
        if (m[2] === 'q') d.setUTCMonth(d.getUTCMonth() - 3 * n)
        if (m[2] === 'y') d.setUTCFullYear(d.getUTCFullYear() - n)
        return d.getTime()
    }
    // ISO dates and datetimes; a time without a zone is in the project's timezone, UTC.
    const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text)
    if (iso) {
        const withZone = iso[1] ? (iso[4] ? text : `${text}Z`) : `${text}T00:00:00Z`
        const ms = Date.parse(withZone.replace(' ', 'T'))
        if (!Number.isNaN(ms)) return ms
    }
    throw new QueryError(`(stand-in) unsupported date: ${JSON.stringify(text)}; use an ISO 8601 date or time, "all", or a relative date such as "-24h" or "-90d"`)
}

/** property_to_expr for one event property filter, as a predicate on a row. */
function propertyPredicate(filter) {
    if ((filter.type ?? 'event') !== 'event') {
        throw new QueryError(`(stand-in) only event property filters are supported in an EventsQuery, not ${JSON.stringify(filter.type)}`)
    }
    const path = [String(filter.key)]
    const operator = filter.operator ?? 'exact'
    const values = Array.isArray(filter.value) ? filter.value.map(String) : [String(filter.value)]
    const get = (row) => jsonValue(row.properties, path)
    switch (operator) {
        case 'exact':
            return (row) => values.includes(get(row))
        case 'is_not':
            // HogQL's null-aware `!=`: a missing property is "not" any value.
            return (row) => !values.includes(get(row))
        case 'is_set':
            return (row) => get(row) !== null
        case 'is_not_set':
            return (row) => get(row) === null
        case 'icontains':
            return (row) => get(row) !== null && /** @type {string} */ (get(row)).toLowerCase().includes(values[0].toLowerCase())
        case 'not_icontains':
            return (row) => get(row) === null || !(/** @type {string} */ (get(row)).toLowerCase().includes(values[0].toLowerCase()))
        default:
            throw new QueryError(`(stand-in) unsupported property operator in an EventsQuery: ${operator}; supported: exact, is_not, is_set, is_not_set, icontains, not_icontains`)
    }
}

/** ClickHouse ordering: NULLs last, numbers by value, strings bytewise. */
function compareValues(a, b) {
    if (a === b) return 0
    if (a === null) return 1
    if (b === null) return -1
    if (typeof a === 'number' && typeof b === 'number') return a - b
    return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)))
}

/** The ORDER BY the runner derives, as `[{ index?, col, desc }]` over the select list. */
function orderFor(query, columns, aggregated) {
    const order = []
    if (Array.isArray(query.orderBy)) {
        for (const raw of query.orderBy) {
            const m = /^(.*?)(?:\s+(ASC|DESC))?$/i.exec(String(raw).split('--')[0].trim())
            const text = /** @type {RegExpExecArray} */ (m)[1].trim()
            const col = parseExpression(text)
            const index = columns.findIndex((c) => JSON.stringify(c) === JSON.stringify(col))
            if (aggregated && index < 0) throw new QueryError(`(stand-in) with an aggregate selected, orderBy may only use selected columns: ${JSON.stringify(text)}`)
            order.push({ index, col, desc: /desc/i.test(/** @type {RegExpExecArray} */ (m)[2] ?? '') })
        }
        return order
    }
    const count = columns.findIndex((c) => c.kind === 'count')
    if (count >= 0) return [{ index: count, col: columns[count], desc: true }]
    const ts = columns.findIndex((c) => c.kind === 'field' && c.name === 'timestamp')
    if (ts >= 0) return [{ index: ts, col: columns[ts], desc: true }]
    return columns.length ? [{ index: 0, col: columns[0], desc: false }] : []
}

/**
 * Runs a validated EventsQuery over rows `{ uuid, event, timestamp (ms), distinct_id, person_id, properties }`. Returns what EventsQueryResponse carries.
 * @param {Record<string, any>} query @param {any[]} rows @param {number} now
 */
export function runEventsQuery(query, rows, now) {
    const select = query.select.length ? query.select : ['*']
    if (select.includes('*')) throw new QueryError('(stand-in) unsupported expression in an EventsQuery: "*"; select the columns')
    const columns = select.map(parseExpression)
    if (Array.isArray(query.where) && query.where.length) throw new QueryError('(stand-in) HogQL `where` expressions are not supported; use `event`, `properties`, `after` and `before`')
    const aggregated = columns.some((c) => c.kind === 'count')
    const predicates = (query.properties ?? []).map(propertyPredicate)
    const before = query.before ? parseDate(query.before, now) : now + 5000
    const after = (query.after ?? '-24h') === 'all' ? -Infinity : parseDate(query.after ?? '-24h', now)
    const names = [query.event, ...(query.events ?? [])].filter(Boolean)
    const matching = rows.filter(
        (row) => (!names.length || names.includes(row.event)) && row.timestamp < before && row.timestamp > after && predicates.every((p) => p(row)),
    )
    let results
    if (aggregated) {
        /** @type {Map<string, { values: any[], count: number }>} */
        const groups = new Map()
        for (const row of matching) {
            const values = columns.map((c) => (c.kind === 'count' ? null : valueOf(c, row)))
            const key = JSON.stringify(values)
            const group = groups.get(key) ?? { values, count: 0 }
            group.count += 1
            groups.set(key, group)
        }
        // Only aggregates selected: ClickHouse answers one row even when nothing matched.
        if (!groups.size && columns.every((c) => c.kind === 'count')) groups.set('[]', { values: columns.map(() => null), count: 0 })
        results = [...groups.values()].map((g) => ({ values: columns.map((c, i) => (c.kind === 'count' ? g.count : g.values[i])), row: null }))
    } else {
        results = matching.map((row) => ({ values: columns.map((c) => valueOf(c, row)), row }))
    }
    const order = orderFor(query, columns, aggregated)
    const sortValue = (r, o) => {
        const v = o.index >= 0 ? r.values[o.index] : valueOf(o.col, r.row)
        return o.col.kind === 'field' && o.col.name === 'timestamp' && v !== null ? Date.parse(v) : v
    }
    results.sort((a, b) => {
        for (const o of order) {
            const c = compareValues(sortValue(a, o), sortValue(b, o))
            if (c) return o.desc ? -c : c
        }
        return 0
    })
    const limit = Math.min(50000, Number.isInteger(query.limit) && query.limit > 0 ? query.limit : 100)
    const offset = Number.isInteger(query.offset) && query.offset > 0 ? query.offset : 0
    const page = results.slice(offset, offset + limit + 1)
    const hasMore = page.length > limit
    const shown = page.slice(0, limit)
    const cursorEligible = !aggregated && order.length > 0 && order[0].col.kind === 'field' && order[0].col.name === 'timestamp'
    const last = shown[shown.length - 1]
    return {
        columns: select,
        types: columns.map((c) => c.type),
        results: shown.map((r) => r.values),
        hasMore,
        limit,
        offset,
        nextCursor: cursorEligible && hasMore && last?.row ? orjsonTimestamp(last.row.timestamp) : null,
    }
}
