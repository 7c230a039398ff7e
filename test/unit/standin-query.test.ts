// @vitest-environment node
// The stand-in's query API (dev/standin/api/query.mjs, dev/standin/events-query.mjs): EventsQuery over what it
// ingested, shaped as PostHog answers it, with grouping, ordering, filters, pagination and its refusals.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startStandIn, type StandIn } from '../../dev/posthog-standin.mjs'

const INSIGHTS_ONLY = 'phx_insights_only'
let standIn: StandIn

beforeAll(async () => {
    standIn = await startStandIn({ log: () => {}, personalApiKeys: { phx_query: ['query:read'], [INSIGHTS_ONLY]: ['insight:read'] } })
})
afterEach(() => standIn.reset())
afterAll(() => standIn.close())

async function query(body: unknown, key = standIn.personalApiKey): Promise<{ status: number; body: any }> {
    const res = await fetch(`${standIn.url}/api/projects/${standIn.projectId}/query/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString()

async function capture(events: Array<Record<string, unknown>>) {
    const res = await fetch(`${standIn.url}/batch/`, { method: 'POST', body: JSON.stringify({ api_key: standIn.token, batch: events }) })
    expect(res.status).toBe(200)
}

/** A small campaign: three shown, one dismissed, two booked (one by a visitor who then identified). */
async function campaign() {
    const ev = (event: string, distinct_id: string, minutes: number, properties: Record<string, unknown> = {}) => ({ event, distinct_id, timestamp: minutesAgo(minutes), properties })
    await capture([
        ev('User Interview Shown Pop Up', 'anon-1', 50, { featureFlagName: 'user-interview' }),
        ev('User Interview Shown Pop Up', 'anon-2', 40, { featureFlagName: 'user-interview' }),
        ev('User Interview Shown Pop Up', 'anon-3', 30, { featureFlagName: 'interview-high-icp' }),
        ev('User Interview Dismissed Pop Up', 'anon-2', 39, { featureFlagName: 'user-interview', $set: { 'Seen User Interview Invitation': 'x' } }),
        ev('$pageview', 'anon-1', 20),
        ev('User Interview Booked', 'anon-1', 20, { featureFlagName: 'user-interview', bookingTool: 'cal.com', bookingId: 'b1' }),
        ev('$identify', 'ada@example.com', 10, { $anon_distinct_id: 'anon-1' }),
        ev('User Interview Booked', 'anon-3', 5, { featureFlagName: 'interview-high-icp', bookingTool: 'calendly' }),
        ev('User Interview Booked', 'old', 60 * 24 * 100, { featureFlagName: 'user-interview' }),
    ])
}

describe('POST /api/projects/{id}/query/ with an EventsQuery', () => {
    it('counts per event and flag, grouping the columns that do not aggregate, largest count first', async () => {
        await campaign()
        const { status, body } = await query({
            query: {
                kind: 'EventsQuery',
                select: ['event', 'properties.featureFlagName', 'count()'],
                properties: [{ key: 'featureFlagName', type: 'event', operator: 'is_set', value: 'is_set' }],
                after: '-90d',
                limit: 10000,
            },
        })
        expect(status).toBe(200)
        expect(body.columns).toEqual(['event', 'properties.featureFlagName', 'count()'])
        expect(body.types).toEqual(['String', 'Nullable(String)', 'UInt64'])
        expect(body.results[0]).toEqual(['User Interview Shown Pop Up', 'user-interview', 2])
        expect(body.results).toHaveLength(5)
        expect(body.results).toContainEqual(['User Interview Booked', 'interview-high-icp', 1])
        expect(body.results).not.toContainEqual(expect.arrayContaining(['$pageview']))
        expect(body).toMatchObject({ hasMore: false, limit: 10000, offset: 0, is_cached: false, timezone: 'UTC' })
        // 100 days ago is outside -90d, and inside "all".
        const all = await query({ query: { kind: 'EventsQuery', select: ['count()'], event: 'User Interview Booked', after: 'all' } })
        expect(all.body.results).toEqual([[3]])
        const recent = await query({ query: { kind: 'EventsQuery', select: ['count()'], event: 'User Interview Booked' } })
        expect(recent.body.results).toEqual([[2]]) // after defaults to -24h
    })

    it('lists the bookings in select order, oldest first, with one person_id for a visitor who identified', async () => {
        await campaign()
        const { body } = await query({
            query: {
                kind: 'EventsQuery',
                select: ['timestamp', 'distinct_id', 'person_id', 'properties.featureFlagName', 'properties.bookingTool', 'properties.bookingId'],
                event: 'User Interview Booked',
                after: '-90d',
                orderBy: ['timestamp ASC'],
                limit: 1000,
            },
        })
        expect(body.types).toEqual(["DateTime64(6, 'UTC')", 'String', 'UUID', 'Nullable(String)', 'Nullable(String)', 'Nullable(String)'])
        expect(body.results.map((r: any[]) => [r[1], r[3], r[4], r[5]])).toEqual([
            ['anon-1', 'user-interview', 'cal.com', 'b1'],
            ['anon-3', 'interview-high-icp', 'calendly', null],
        ])
        expect(body.results[0][0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/)
        const byPerson = await query({ query: { kind: 'EventsQuery', select: ['distinct_id', 'person_id'], event: '$identify', after: '-1d' } })
        const [[, identifiedPerson]] = byPerson.body.results
        expect(body.results[0][2]).toBe(identifiedPerson) // anon-1 merged into ada@example.com
        expect(body.results[1][2]).not.toBe(identifiedPerson)
    })

    it('filters with exact, is_not and icontains, reads nested and object properties, and pages with hasMore', async () => {
        await campaign()
        const run = (extra: Record<string, unknown>) => query({ query: { kind: 'EventsQuery', select: ['distinct_id'], after: '-1d', ...extra } })
        expect((await run({ properties: [{ key: 'bookingTool', type: 'event', operator: 'exact', value: ['calendly'] }] })).body.results).toEqual([['anon-3']])
        expect((await run({ event: 'User Interview Booked', properties: [{ key: 'bookingTool', type: 'event', operator: 'is_not', value: 'calendly' }] })).body.results).toEqual([['anon-1']])
        expect((await run({ properties: [{ key: 'featureFlagName', type: 'event', operator: 'icontains', value: 'HIGH' }] })).body.results).toHaveLength(2)
        const set = await query({ query: { kind: 'EventsQuery', select: ['properties.$set', "properties.$set.`Seen User Interview Invitation`"], event: 'User Interview Dismissed Pop Up' } })
        expect(set.body.results).toEqual([['{"Seen User Interview Invitation":"x"}', 'x']])
        const first = await run({ limit: 3, orderBy: ['timestamp DESC'] })
        expect(first.body).toMatchObject({ hasMore: true, limit: 3 })
        expect(first.body.nextCursor).toEqual(expect.any(String))
        const second = await run({ limit: 3, offset: 3, orderBy: ['timestamp DESC'] })
        const last = await run({ limit: 3, offset: 6, orderBy: ['timestamp DESC'] })
        expect([second.body.hasMore, last.body.hasMore]).toEqual([true, false])
        const ids = [first, second, last].flatMap((page) => page.body.results.map((r: string[]) => r[0]))
        expect(ids).toEqual(['anon-3', 'ada@example.com', 'anon-1', 'anon-1', 'anon-3', 'anon-2', 'anon-2', 'anon-1'])
    })

    it('refuses what it cannot answer exactly, and bodies PostHog cannot parse', async () => {
        const refused = async (q: unknown) => (await query(q)).body
        expect(await refused({ query: { kind: 'EventsQuery', select: ['sum(properties.n)'] } })).toMatchObject({ type: 'validation_error', detail: expect.stringContaining('sum(properties.n)') })
        expect(await refused({ query: { kind: 'EventsQuery', select: ['event'], where: ["event = 'x'"] } })).toMatchObject({ type: 'validation_error' })
        expect(await refused({ query: { kind: 'HogQLQuery', query: 'select 1' } })).toMatchObject({ type: 'validation_error', detail: expect.stringContaining('EventsQuery') })
        expect(await refused({ query: { kind: 'EventsQuery', select: ['event'], orderBy: ['timestamp'], after: 'yesterday-ish' } })).toMatchObject({ type: 'validation_error' })
        expect(await refused({ query: { kind: 'EventsQuery', select: ['event', 'count()'], orderBy: ['timestamp DESC'] } })).toMatchObject({ type: 'validation_error' })
        expect(await refused({ query: { kind: 'EventsQuery' } })).toMatchObject({ type: 'invalid_request', code: 'parse_error', detail: expect.stringMatching(/^JSON parse error - .*select/s) })
        expect(await refused({ query: { kind: 'EventsQuery', select: ['event'], selct: [] } })).toMatchObject({ code: 'parse_error' })
        expect(await refused({})).toMatchObject({ code: 'parse_error' })
    })

    it('needs query:read, which a create of this view is', async () => {
        expect((await query({ query: { kind: 'EventsQuery', select: ['count()'] } }, 'phx_query')).status).toBe(200)
        expect(await query({ query: { kind: 'EventsQuery', select: ['count()'] } }, INSIGHTS_ONLY)).toEqual({
            status: 403,
            body: { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'query:read'", attr: null },
        })
    })
})
