// @vitest-environment node
// The stand-in's feature flags API (dev/standin/api/feature-flags.mjs) and how the flags it stores drive /flags
// (dev/standin/flag-matching.mjs): shapes, refusals, scopes, and PostHog's rollout hash and property matching.
import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { evaluateFlag, flagHash, matchPersonProperty, startStandIn, type StandIn } from '../../dev/posthog-standin.mjs'

const SEEN = 'Seen User Interview Invitation - user-interview'
const READ_ONLY = 'phx_flag_reader'
const NO_FLAGS = 'phx_insights_only'
let standIn: StandIn

beforeAll(async () => {
    standIn = await startStandIn({
        log: () => {},
        flags: { 'option-flag': true, 'user-interview': false },
        personalApiKeys: {
            phx_standin_personal_key: ['feature_flag:write'],
            [READ_ONLY]: ['feature_flag:read'],
            [NO_FLAGS]: ['insight:write'],
        },
    })
})
afterEach(() => standIn.reset())
afterAll(() => standIn.close())

async function api(method: string, path: string, body?: unknown, key = standIn.personalApiKey): Promise<{ status: number; body: any }> {
    const res = await fetch(`${standIn.url}/api/projects/${standIn.projectId}/feature_flags/${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function flagsFor(distinctId: string, personProperties: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const res = await fetch(`${standIn.url}/flags/?v=2`, { method: 'POST', body: JSON.stringify({ token: standIn.token, distinct_id: distinctId, person_properties: personProperties }) })
    return (await res.json()).flags
}

/** The flag `npm run deploy` creates: on for people who have not answered its invitation. */
const interviewFlag = (extra: Record<string, unknown> = {}) => ({
    key: 'user-interview',
    name: 'User interview',
    active: true,
    filters: { groups: [{ properties: [{ key: SEEN, type: 'person', operator: 'is_not_set', value: 'is_not_set' }], rollout_percentage: 100 }], payloads: {}, multivariate: null },
    ...extra,
})

describe('the rollout hash (flag_matching.py get_hash)', () => {
    it('is sha1 of "{key}.{distinct_id}{salt}", its first 15 hex digits over 0xFFFFFFFFFFFFFFF', () => {
        for (const [key, id, salt] of [['beta', 'user-1', ''], ['user-interview', 'anon-42', 'variant'], ['é', 'ü', '']]) {
            const hex = createHash('sha1').update(`${key}.${id}${salt}`).digest('hex').slice(0, 15)
            expect(flagHash(key, id, salt)).toBe(parseInt(hex, 16) / 0xfffffffffffffff)
        }
        expect(flagHash('beta', 'user-1')).not.toBe(flagHash('beta', 'user-2'))
    })

    it('puts a person in a partial rollout exactly when their hash is within it', () => {
        const flag = { key: 'half', active: true, filters: { groups: [{ properties: [], rollout_percentage: 50 }] } }
        let enabled = 0
        for (let i = 0; i < 400; i++) {
            const id = `person-${i}`
            const result = evaluateFlag(flag, id, {})
            expect(result.enabled).toBe(flagHash('half', id) <= 0.5)
            if (!result.enabled) expect(result.reason.code).toBe('out_of_rollout_bound')
            enabled += Number(result.enabled)
        }
        expect(enabled).toBeGreaterThan(150)
        expect(enabled).toBeLessThan(250)
    })

    it('picks variants from the lookup table on the "variant" salt, and honours a condition\'s override first', () => {
        const variants = [
            { key: 'a', rollout_percentage: 30 },
            { key: 'b', rollout_percentage: 70 },
        ]
        const flag = { key: 'mv', active: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }], multivariate: { variants } } }
        for (let i = 0; i < 50; i++) {
            const id = `p${i}`
            expect(evaluateFlag(flag, id, {}).variant).toBe(flagHash('mv', id, 'variant') < 0.3 ? 'a' : 'b')
        }
        const overridden = { ...flag, filters: { ...flag.filters, groups: [{ properties: [], rollout_percentage: 100 }, { properties: [{ key: 'plan', type: 'person', operator: 'exact', value: ['pro'] }], variant: 'a' }] } }
        const result = evaluateFlag(overridden, 'p1', { plan: 'PRO' })
        expect(result).toMatchObject({ enabled: true, variant: 'a', reason: { condition_index: 1 } })
    })
})

describe('person property matching (the flags service, full person properties)', () => {
    it('is_set and is_not_set look at the key only; a missing key matches only negative operators', () => {
        expect(matchPersonProperty({ key: SEEN, operator: 'is_not_set', value: 'is_not_set' }, {})).toBe(true)
        expect(matchPersonProperty({ key: SEEN, operator: 'is_not_set', value: 'is_not_set' }, { [SEEN]: null })).toBe(false)
        expect(matchPersonProperty({ key: SEEN, operator: 'is_set', value: 'is_set' }, { [SEEN]: '2026-01-01' })).toBe(true)
        expect(matchPersonProperty({ key: 'plan', operator: 'exact', value: 'pro' }, {})).toBe(false)
        expect(matchPersonProperty({ key: 'plan', operator: 'is_not', value: 'pro' }, {})).toBe(true)
        expect(matchPersonProperty({ key: 'plan', operator: 'not_icontains', value: 'pro' }, {})).toBe(true)
    })

    it('compares exact values case-insensitively, "true"/"false" as booleans, lists as any-of, numbers by value', () => {
        expect(matchPersonProperty({ key: 'plan', value: 'Pro' }, { plan: 'pro' })).toBe(true)
        expect(matchPersonProperty({ key: 'beta', operator: 'exact', value: 'true' }, { beta: true })).toBe(true)
        expect(matchPersonProperty({ key: 'beta', operator: 'exact', value: ['true'] }, { beta: false })).toBe(false)
        expect(matchPersonProperty({ key: 'plan', operator: 'exact', value: ['free', 'pro'] }, { plan: 'PRO' })).toBe(true)
        expect(matchPersonProperty({ key: 'seats', operator: 'gt', value: '10' }, { seats: 12 })).toBe(true)
        expect(matchPersonProperty({ key: 'seats', operator: 'lt', value: '10' }, { seats: 'many' })).toBe(false)
        expect(matchPersonProperty({ key: 'email', operator: 'regex', value: '@example\\.com$' }, { email: 'a@example.com' })).toBe(true)
    })
})

describe('/api/projects/{id}/feature_flags/', () => {
    it('creates a flag with FeatureFlagSerializer\'s fields, version 1, and lists it with search and pagination', async () => {
        const created = await api('POST', '', interviewFlag())
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({ id: expect.any(Number), key: 'user-interview', name: 'User interview', active: true, deleted: false, version: 1, created_by: { email: 'standin@example.com' } })
        expect(created.body.filters.groups[0].properties[0]).toEqual({ key: SEEN, type: 'person', value: 'is_not_set', operator: 'is_not_set' })
        for (const key of ['ensure_experience_continuity', 'experiment_set', 'tags', 'evaluation_tags', 'status', 'evaluation_runtime', 'can_edit']) {
            expect(created.body).toHaveProperty(key)
        }
        await api('POST', '', interviewFlag({ key: 'interview-high-icp', name: 'High ICP' }))
        await api('POST', '', interviewFlag({ key: 'unrelated', name: 'Other' }))
        const found = await api('GET', '?search=INTERVIEW')
        expect(found.body.count).toBe(2)
        expect(found.body.results.map((f: any) => f.key)).toEqual(['interview-high-icp', 'user-interview']) // -created_at
        const page = await api('GET', '?limit=1')
        expect(page.body).toMatchObject({ count: 3, previous: null, results: [expect.anything()] })
        expect(page.body.next).toContain('offset=1')
        expect((await api('GET', `${created.body.id}/`)).body.key).toBe('user-interview')
    })

    it('refuses a duplicate key and a malformed key with PostHog\'s codes and messages', async () => {
        await api('POST', '', interviewFlag())
        expect(await api('POST', '', interviewFlag())).toEqual({ status: 400, body: { type: 'validation_error', code: 'unique', detail: 'There is already a feature flag with this key.', attr: 'key' } })
        expect((await api('POST', '', interviewFlag({ key: 'user interview' }))).body).toEqual({
            type: 'validation_error',
            code: 'invalid_key',
            detail: 'Only letters, numbers, hyphens (-) & underscores (_) are allowed.',
            attr: 'key',
        })
        expect((await api('POST', '', { filters: interviewFlag().filters })).body).toMatchObject({ code: 'required', attr: 'key' })
    })

    it('refuses filters PostHog refuses: no group, event properties, bad payloads, variants that do not sum to 100', async () => {
        const refuse = async (filters: unknown) => (await api('POST', '', interviewFlag({ filters }))).body
        expect(await refuse({ groups: [] })).toMatchObject({ attr: 'filters', detail: 'Feature flags must have at least one condition set (group).' })
        expect(await refuse({ groups: [{ properties: [{ key: '$browser', value: 'Chrome' }] }] })).toMatchObject({ detail: 'Filters are not valid (can only use person, cohort, and flag properties)' })
        expect(await refuse({ groups: [{ properties: [{ key: 'x', type: 'cohort', value: 3 }] }] })).toMatchObject({ code: 'cohort_does_not_exist' })
        expect(await refuse({ groups: [{ properties: [{ key: 'n', type: 'person', operator: 'gt', value: 5 }] }] })).toMatchObject({ code: 'invalid_value', detail: 'Invalid value for operator gt: 5' })
        expect(await refuse({ groups: [{ properties: [] }], payloads: { true: '{not json' } })).toMatchObject({ detail: 'Payload value is not valid JSON' })
        expect(await refuse({ groups: [{ properties: [] }], payloads: { yes: '1' } })).toMatchObject({ detail: "Payload keys must be 'true' for boolean flags" })
        expect(await refuse({ groups: [{}], multivariate: { variants: [{ key: 'a', rollout_percentage: 60 }] } })).toMatchObject({ detail: 'Invalid variant definitions: Variant rollout percentages must sum to 100.' })
        expect(await refuse('groups')).toMatchObject({ code: 'not_a_dict' })
    })

    it('updates with PATCH (version + 1, filters kept without groups), soft-deletes with deleted: true, refuses DELETE', async () => {
        const { body: flag } = await api('POST', '', interviewFlag())
        const off = await api('PATCH', `${flag.id}/`, { active: false })
        expect(off.body).toMatchObject({ active: false, version: 2, filters: flag.filters })
        expect((await api('PATCH', `${flag.id}/`, { filters: { payloads: {} } })).body.filters).toEqual(flag.filters)
        expect((await api('DELETE', `${flag.id}/`)).status).toBe(405)
        expect((await api('PATCH', `${flag.id}/`, { deleted: true })).body.deleted).toBe(true)
        expect((await api('GET', '')).body.count).toBe(0)
        expect((await api('GET', `${flag.id}/`)).body.deleted).toBe(true) // retrieve still finds it, as PostHog's does
        const again = await api('POST', '', interviewFlag())
        expect(again.status).toBe(201) // the deleted flag with that key is removed first
        expect(standIn.featureFlags().map((f) => f.id)).toEqual([again.body.id])
    })

    it('checks feature_flag scopes before looking anything up', async () => {
        expect((await api('PATCH', '0/', {})).status).toBe(404)
        expect(await api('PATCH', '0/', {}, READ_ONLY)).toEqual({ status: 403, body: { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'feature_flag:write'", attr: null } })
        expect((await api('GET', '', undefined, READ_ONLY)).status).toBe(200)
        expect((await api('GET', '', undefined, NO_FLAGS)).body.detail).toBe("API key missing required scope 'feature_flag:read'")
    })
})

describe('/flags for flags made through the API', () => {
    it('turns the interview flag off once the person has the seen property, from ingestion or from the request', async () => {
        await api('POST', '', interviewFlag())
        expect((await flagsFor('visitor'))['user-interview']).toMatchObject({ enabled: true, reason: { code: 'condition_match' } })
        expect((await flagsFor('visitor', { [SEEN]: '2026-12-01' }))['user-interview'].enabled).toBe(false)
        await fetch(`${standIn.url}/i/v0/e/`, { method: 'POST', body: JSON.stringify({ batch: [{ event: 'x', distinct_id: 'visitor', properties: { $set: { [SEEN]: '2026-12-01' } } }] }) })
        expect((await flagsFor('visitor'))['user-interview'].enabled).toBe(false)
        expect((await flagsFor('someone-else'))['user-interview'].enabled).toBe(true)
        // The option flags still answer as given; the API flag won over the option flag with its key.
        expect((await flagsFor('visitor'))['option-flag'].enabled).toBe(true)
    })

    it('sends the payload of the matched variant as JSON text, and nothing for an inactive flag', async () => {
        const { body } = await api('POST', '', interviewFlag({ filters: { groups: [{ properties: [] }], payloads: { true: { bookingLink: 'https://cal.com/x' } } } }))
        expect(body.filters.payloads.true).toBe('{"bookingLink": "https://cal.com/x"}') // json.dumps, as PostHog stores it
        const on = (await flagsFor('v'))['user-interview']
        expect(JSON.parse(on.metadata.payload)).toEqual({ bookingLink: 'https://cal.com/x' })
        expect(on.metadata).toMatchObject({ id: body.id, version: 1 })
        await api('PATCH', `${body.id}/`, { active: false })
        const off = (await flagsFor('v'))['user-interview']
        expect(off).toMatchObject({ enabled: false, reason: { code: 'flag_disabled' }, metadata: { version: 2 } })
        expect(off.metadata.payload).toBeUndefined()
    })
})
