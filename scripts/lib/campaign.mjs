// The campaign's numbers, for `npm run status`: which interviews there are, the two queries that count them, and the
// report (text or JSON). Pure but for nothing: every input is passed in.
//
// The query API (posthog/api/query.py: `POST /api/projects/{id}/query/` with `{ query }`, scope `query:read`: its
// viewset counts `create` among the reads) runs an `EventsQuery` (frontend/src/queries/schema: `select` of HogQL
// expressions, where an aggregate such as `count()` groups by the other columns; `event`, `properties`, `after`,
// `orderBy`, `limit`), answering `{ columns, results: rows in select order, hasMore }`. Without `after` PostHog looks
// at the last 24 hours only, so status always says from when.
import { flagPayload } from './flags.mjs'

/** Columns of the bookers' query, in order. */
export const BOOKER_COLUMNS = ['timestamp', 'distinct_id', 'properties.featureFlagName', 'properties.bookingTool', 'properties.bookingId']
const BOOKERS_LIMIT = 1000

/** The count query: how many of each event carrying a featureFlagName, per event and flag. */
export function countsQuery(after) {
    return {
        kind: 'EventsQuery',
        select: ['event', 'properties.featureFlagName', 'count()'],
        properties: [{ key: 'featureFlagName', type: 'event', operator: 'is_set', value: 'is_set' }],
        after,
        limit: 10000,
    }
}

/** The bookers' query: every booked event, oldest first. */
export function bookersQuery(bookedEvent, after) {
    return { kind: 'EventsQuery', select: BOOKER_COLUMNS, event: bookedEvent, after, orderBy: ['timestamp ASC'], limit: BOOKERS_LIMIT }
}

/** A whole number of bookings from a setting or payload (a number or its text); 0 for none or anything else. */
export function targetOf(raw) {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : NaN
    return Number.isInteger(n) && n > 0 ? n : 0
}

/**
 * The interviews, in the app's order: the interviewConfigs flags, then the prefix flags whose payload has a
 * bookingLink (as the app picks candidates: src/candidates.ts). Each with its flag (or null: none in PostHog) and its
 * target: the flag payload's targetBookings, else the setting's.
 * @param {string[]} configured the interviewConfigs flags
 * @param {{ flagStartsWith?: string, targetBookings?: unknown }} settings the app's values
 * @param {any[]} flags every live flag of the project
 */
export function interviewsOf(configured, settings, flags) {
    const byKey = new Map(flags.filter((f) => f && typeof f.key === 'string').map((f) => [f.key, f]))
    const prefix = typeof settings.flagStartsWith === 'string' ? settings.flagStartsWith.trim() : ''
    const keys = [...configured]
    if (prefix) for (const flag of flags) if (flag.key.startsWith(prefix) && flagPayload(flag).bookingLink && !keys.includes(flag.key)) keys.push(flag.key)
    return keys.map((key) => {
        const flag = byKey.get(key) ?? null
        const payload = flag ? flagPayload(flag) : {}
        return { key, flag, target: targetOf(payload.targetBookings ?? settings.targetBookings) }
    })
}

/** The earliest creation of the interviews' flags, ISO; '-90d' when none says (PostHog's relative dates). */
export function since(interviews) {
    const times = interviews.map((i) => Date.parse(i.flag?.created_at ?? '')).filter((t) => !Number.isNaN(t))
    return times.length ? new Date(Math.min(...times)).toISOString() : '-90d'
}

/** Rows of an EventsQuery answer, checked: an array of arrays, else null. */
export function rowsOf(answer) {
    return answer && typeof answer === 'object' && Array.isArray(answer.results) && answer.results.every(Array.isArray) ? answer.results : null
}

/**
 * The report: per interview, the funnel, the bookers and the target.
 * @param {{ host: string, project: number, after: string, interviews: ReturnType<typeof interviewsOf>, events: { shown: string, clicked: string, booked: string }, counts: any[][], bookers: any[][] }} input
 */
export function buildReport({ host, project, after, interviews, events, counts, bookers }) {
    const count = (event, flag) => counts.filter((row) => row[0] === event && row[1] === flag).reduce((sum, row) => sum + (Number(row[2]) || 0), 0)
    return {
        project,
        since: after,
        interviews: interviews.map(({ key, flag, target }) => {
            const booked = count(events.booked, key)
            return {
                flag: key,
                flagId: flag?.id ?? null,
                active: flag ? flag.active !== false : null,
                shown: count(events.shown, key),
                clicked: count(events.clicked, key),
                booked,
                target,
                remaining: target ? Math.max(0, target - booked) : null,
                reached: target > 0 && booked >= target,
                stopped: false,
                bookers: bookers
                    .filter((row) => row[2] === key)
                    .map(([timestamp, distinctId, , tool, bookingId]) => ({
                        timestamp: String(timestamp ?? ''),
                        distinctId: String(distinctId ?? ''),
                        tool: tool ? String(tool) : null,
                        bookingId: bookingId ? String(bookingId) : null,
                        person: `${host}/project/${project}/person/${encodeURIComponent(String(distinctId ?? ''))}`,
                    })),
            }
        }),
    }
}

/** The report as text lines. */
export function reportLines(report) {
    const lines = [`Project ${report.project}, events since ${report.since}:`]
    if (!report.interviews.length) lines.push('  No interview: interviewConfigs is empty.')
    for (const i of report.interviews) {
        const state = i.flagId === null ? 'no flag in PostHog (npm run deploy makes it)' : i.active ? `flag on (id ${i.flagId})` : `flag off (id ${i.flagId})`
        lines.push('', `${i.flag}: ${state}`)
        lines.push(`  shown ${i.shown}, clicked ${i.clicked}, booked ${i.booked}`)
        if (i.target) lines.push(`  target ${i.target}: ${i.reached ? `reached (${i.booked} of ${i.target})` : `${i.remaining} to go (${i.booked} of ${i.target})`}`)
        else lines.push('  no target (set targetBookings in the settings or the flag payload)')
        if (i.stopped) lines.push(`  Switched the flag off: ${i.booked} bookings reached the target of ${i.target}.`)
        for (const b of i.bookers) {
            const tool = b.tool ? `${b.tool}${b.bookingId ? ` booking ${b.bookingId}` : ''}` : 'booking redirect'
            lines.push(`  booked ${b.timestamp}  ${tool}  ${b.person}`)
        }
        if (i.booked > i.bookers.length && i.bookers.length >= BOOKERS_LIMIT) lines.push(`  (the first ${BOOKERS_LIMIT} bookers shown)`)
    }
    return lines
}
