// @vitest-environment node
// The campaign around the popup, in-process against the fake PostHog API: deploy's flags (made once, with the seen
// condition in every group; an edited flag kept), the key's protection (https only, redacted before any cut), and
// `npm run status` (the funnel, the bookers, the target, --stop-at-target at the target and not before, --json).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM JavaScript without types
import * as deploy from '../../scripts/deploy.mjs'
// @ts-expect-error plain ESM JavaScript without types
import * as status from '../../scripts/status.mjs'
// @ts-expect-error plain ESM JavaScript without types
import { postHogClient } from '../../scripts/lib/posthog-api.mjs'
import { APP_DESCRIPTION, APP_NAME, inputsSchema } from '../../src/settings-fields'
import { fakePostHog, json, KEY } from './fake-posthog-api'

const HOST = 'https://ph.example.test'
const HOG = 'export function onLoad() { dispatchEvent(new Event("PHUserInterviewBoxOpened")) }'
const SEEN = 'Seen User Interview Invitation'
const base = (...more: string[]) => ['--host', HOST, '--project', '1', ...more]
const schema = inputsSchema()
let dir = ''
let buildFile = ''
const outputs: string[] = []

beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'campaign-unit-'))
    buildFile = join(dir, 'hog-function.json')
    writeFileSync(buildFile, JSON.stringify({ name: APP_NAME, description: APP_DESCRIPTION, type: 'site_app', hog: HOG, inputs_schema: schema }))
})

function settingsFile(settings: unknown) {
    const file = join(dir, `s${Math.random().toString(36).slice(2)}.json`)
    writeFileSync(file, JSON.stringify(settings))
    return file
}

async function run(command: 'deploy' | 'status', argv: string[], fetch: any, key = KEY) {
    let stdout = ''
    let stderr = ''
    const main = command === 'deploy' ? deploy.main : status.main
    const code = await main(argv, { POSTHOG_PERSONAL_API_KEY: key }, { fetch, buildFile, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } })
    outputs.push(stdout, stderr)
    return { code, stdout, stderr }
}

const seenFilter = (flag: string) => ({ key: `${SEEN} - ${flag}`, type: 'person', operator: 'is_not_set', value: 'is_not_set' })

describe("deploy: each interview's flag", () => {
    it('creates a missing flag once, named for the interview, with the seen condition in every group and the --rollout share', async () => {
        const posthog = fakePostHog()
        const file = settingsFile({ interviewConfigs: 'pro-users=https://cal.com/a/30min,beta=https://calendly.com/b/20' })
        const first = await run('deploy', base('--rollout', '35', '--settings', file), posthog.fetch)
        expect(first.stderr).toBe('')
        expect(posthog.flags.map((f) => f.key)).toEqual(['pro-users', 'beta'])
        for (const flag of posthog.flags) {
            expect(flag.name).toContain(`"${flag.key}"`)
            expect(flag.active).toBe(true)
            expect(flag.filters.groups).toEqual([{ properties: [seenFilter(flag.key)], rollout_percentage: 35 }])
        }
        expect(first.stdout).toContain('Created the flag "pro-users"')
        expect(first.stdout).toContain(`${HOST}/project/1/feature_flags/${posthog.flags[0].id}`)

        const second = await run('deploy', base('--settings', file), posthog.fetch)
        expect(second.code).toBe(0)
        expect(posthog.flags).toHaveLength(2)
        expect(posthog.writes().filter((c) => c.path.endsWith('/feature_flags/'))).toHaveLength(2)
        expect(second.stdout).toContain('Kept the flag "pro-users" as it is')
        expect(second.stdout).not.toContain('lack')
    })

    it('uses the configured seen property name, and the default share of 20%', async () => {
        const posthog = fakePostHog()
        await run('deploy', base('--settings', settingsFile({ interviewConfigs: 'x=https://cal.com/a/b', userPropertyNameSeenUserInterview: 'Invited' })), posthog.fetch)
        expect(posthog.flags[0].filters.groups[0]).toEqual({ properties: [{ key: 'Invited - x', type: 'person', operator: 'is_not_set', value: 'is_not_set' }], rollout_percentage: 20 })
    })

    it('never changes a flag the team edited, and says which condition lacks the seen filter and how to fix it', async () => {
        const edited = {
            id: 41,
            team: 1,
            key: 'pro-users',
            name: 'Ours',
            active: false,
            filters: {
                groups: [
                    { properties: [seenFilter('pro-users'), { key: 'plan', type: 'person', operator: 'exact', value: ['pro'] }], rollout_percentage: 100 },
                    { properties: [{ key: 'email', type: 'person', operator: 'icontains', value: '@acme.com' }], rollout_percentage: 50 },
                ],
            },
        }
        const before = JSON.stringify(edited)
        const posthog = fakePostHog({ flags: [edited] })
        const result = await run('deploy', base('--settings', settingsFile({ interviewConfigs: 'pro-users=https://cal.com/a/30min' })), posthog.fetch)
        expect(result.stderr).toBe('')
        expect(JSON.stringify(posthog.flags[0])).toBe(before)
        expect(posthog.writes().filter((c) => c.path.includes('feature_flags'))).toEqual([])
        expect(result.stdout).toContain('Kept the flag "pro-users" as it is (id 41).')
        expect(result.stdout).toContain(`release condition 2 of 2 lacks the condition person property "${SEEN} - pro-users" is not set, so it would invite again people who already answered.`)
        expect(result.stdout).toContain(`Fix it in PostHog: Feature flags > pro-users > Release conditions > in each condition, add a person property filter "${SEEN} - pro-users" > is not set.`)
        expect(result.stdout).toContain('Flag "pro-users" is off')
    })

    it('with endDate, says the app ends the invitation and why the flag is not scheduled off', async () => {
        const posthog = fakePostHog()
        const result = await run('deploy', base('--settings', settingsFile({ interviewConfigs: 'x=https://cal.com/a/b', endDate: '2026-12-31' })), posthog.fetch)
        expect(result.code).toBe(0)
        expect(result.stdout).toContain('endDate 2026-12-31: the app stops inviting after that day')
        expect(result.stdout).toContain('do not accept personal API keys')
        expect(posthog.calls.some((c) => c.path.includes('scheduled_changes'))).toBe(false)
    })

    it('--dry-run prints the flag requests too, and sends nothing', async () => {
        const posthog = fakePostHog()
        const result = await run('deploy', base('--dry-run', '--rollout', '5', '--settings', settingsFile({ interviewConfigs: 'x=https://cal.com/a/b', endDate: '2026-12-31' })), posthog.fetch)
        expect(result.code).toBe(0)
        expect(posthog.calls).toHaveLength(0)
        expect(result.stdout).toContain(`PATCH ${HOST}/api/projects/1/feature_flags/0/  (body {}: 404 if the key has feature_flag:write`)
        expect(result.stdout).toContain(`GET   ${HOST}/api/projects/1/feature_flags/`)
        expect(result.stdout).toContain(`POST  ${HOST}/api/projects/1/feature_flags/  (if no flag "x": {"key":"x"`)
        expect(result.stdout).toContain('"rollout_percentage":5')
        expect(result.stdout).toContain('endDate 2026-12-31')
    })
})

describe('the key', () => {
    // 44 characters, like PostHog's: phx_ and 40 random letters and digits.
    const randomKey = () => `phx_${Array.from({ length: 40 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)]).join('')}`
    const pieces = (key: string) => Array.from({ length: key.length - 3 }, (_, i) => key.slice(i, i + 4)).filter((piece) => piece !== 'phx_')

    it.each([
        ['the whole key, late in a long message (a cut at 300 characters would leave a part of it)', (key: string) => `${'x'.repeat(270)} ${key} is not valid`],
        ['the key cut by the server to 40 characters', (key: string) => `token ${key.slice(0, 40)}... unknown`],
        ['the key in a field name', (key: string) => ({ [key]: ['bad'] })],
    ])('no piece of it (4+ characters) is printed when a server echoes %s', async (_what, echo) => {
        const key = randomKey()
        const fetch = async () => json(400, typeof echo(key) === 'string' ? { type: 'validation_error', code: 'invalid', detail: echo(key), attr: null } : echo(key))
        const result = await run('deploy', base('--settings', settingsFile({ interviewConfigs: 'x=https://cal.com/a/b' })), fetch, key)
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(/^deploy: PostHog refused the key check/)
        for (const piece of pieces(key)) expect(result.stdout + result.stderr).not.toContain(piece)
    })

    it('is never sent to a plain http host other than loopback: refused before any request', async () => {
        let calls = 0
        const fetch = async () => {
            calls++
            return json(200, {})
        }
        for (const command of ['deploy', 'status'] as const) {
            const result = await run(command, ['--host', 'http://ph.example.test', '--project', '1', ...(command === 'deploy' ? ['--settings', settingsFile({ interviewConfigs: 'x=https://cal.com/a/b' })] : [])], fetch)
            expect(result.code).toBe(1)
            expect(result.stderr).toMatch(/plain http: the key would travel in clear/)
        }
        expect(() => postHogClient({ host: 'http://ph.example.test', key: KEY, fetch })).toThrow(/not https/)
        expect(() => postHogClient({ host: 'http://127.0.0.1:8010', key: KEY, fetch })).not.toThrow()
        expect(calls).toBe(0)
    })
})

// ------------------------------------------------------------------------------------------------------------ status

const app = (inputs: Record<string, unknown>) => ({
    id: '0190-app',
    team: 1,
    type: 'site_app',
    name: 'Renamed by the team',
    hog: HOG,
    inputs_schema: schema,
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, value]) => [k, { value }])),
})
const flag = (id: number, key: string, extra: Record<string, unknown> = {}) => ({ id, team: 1, key, active: true, created_at: '2026-11-01T00:00:00Z', filters: { groups: [{ properties: [seenFilter(key)], rollout_percentage: 20 }] }, ...extra })
const event = (name: string, flagName: string, distinct: string, at: string, more: Record<string, unknown> = {}) => ({ event: name, distinct_id: distinct, timestamp: at, properties: { featureFlagName: flagName, ...more } })
const SHOWN = 'User Interview Shown Pop Up'
const CLICKED = 'User Interview Clicked Book Button'
const BOOKED = 'User Interview Booked'

function campaign(targetBookings: number, bookings: number) {
    const events = [
        ...['a', 'b', 'c', 'd'].map((d, i) => event(SHOWN, 'pro-users', d, `2026-11-0${i + 2}T10:00:00Z`)),
        event(SHOWN, 'beta', 'e', '2026-11-03T10:00:00Z'),
        ...['a', 'b', 'c'].map((d) => event(CLICKED, 'pro-users', d, '2026-11-05T10:00:00Z')),
        ...['a', 'b', 'c'].slice(0, bookings).map((d, i) => event(BOOKED, 'pro-users', d, `2026-11-06T1${i}:00:00Z`, { bookingTool: 'cal.com', bookingId: `uid-${d}` })),
        event('$pageview', 'pro-users', 'a', '2026-11-06T10:00:00Z'),
        event(SHOWN, 'pro-users', 'old', '2026-10-01T10:00:00Z'),
    ]
    return fakePostHog({
        apps: [app({ interviewConfigs: 'pro-users=https://cal.com/a/30min,beta=https://cal.com/b/15min', targetBookings })],
        flags: [flag(11, 'pro-users'), flag(12, 'beta', { filters: { groups: [], payloads: { true: JSON.stringify({ targetBookings: 5 }) } } })],
        events,
    })
}

describe('status', () => {
    it('prints, per interview, shown / clicked / booked, the bookers with a link to each person, and the target', async () => {
        const posthog = campaign(3, 2)
        const result = await run('status', base(), posthog.fetch)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(result.stdout).toContain('Project 1, events since 2026-11-01T00:00:00.000Z:')
        expect(result.stdout).toContain('pro-users: flag on (id 11)\n  shown 4, clicked 3, booked 2\n  target 3: 1 to go (2 of 3)')
        expect(result.stdout).toContain(`  booked 2026-11-06T10:00:00Z  cal.com booking uid-a  ${HOST}/project/1/person/a`)
        expect(result.stdout).toContain(`  booked 2026-11-06T11:00:00Z  cal.com booking uid-b  ${HOST}/project/1/person/b`)
        expect(result.stdout).toContain('beta: flag on (id 12)\n  shown 1, clicked 0, booked 0\n  target 5: 5 to go (0 of 5)')
        // Reads only: no flag is touched without --stop-at-target, even at the target.
        expect(posthog.calls.every((c) => c.method === 'GET' || c.path.endsWith('/query/'))).toBe(true)
        const queries = posthog.calls.filter((c) => c.path.endsWith('/query/')).map((c) => c.body.query)
        expect(queries[0]).toMatchObject({ kind: 'EventsQuery', select: ['event', 'properties.featureFlagName', 'count()'], after: '2026-11-01T00:00:00.000Z' })
        expect(queries[1]).toMatchObject({ kind: 'EventsQuery', event: BOOKED, orderBy: ['timestamp ASC'] })
    })

    it('--stop-at-target leaves a flag below its target on, and says how far it is', async () => {
        const posthog = campaign(3, 2)
        const result = await run('status', base('--stop-at-target'), posthog.fetch)
        expect(result.code).toBe(0)
        expect(posthog.writes()).toEqual([])
        expect(posthog.flags[0].active).toBe(true)
        expect(result.stdout).toContain('1 to go')
    })

    it('--stop-at-target switches off the flag once its bookings reach the target, and says so; the others stay on', async () => {
        const posthog = campaign(3, 3)
        const result = await run('status', base('--stop-at-target'), posthog.fetch)
        expect(result.stderr).toBe('')
        expect(posthog.writes().map((c) => [c.method, c.path, c.body])).toEqual([['PATCH', '/api/projects/1/feature_flags/11/', { active: false }]])
        expect(posthog.probes()).toHaveLength(1) // feature_flag:write checked before the write
        expect(posthog.flags[0].active).toBe(false)
        expect(posthog.flags[1].active).toBe(true)
        expect(result.stdout).toContain('pro-users: flag off (id 11)')
        expect(result.stdout).toContain('target 3: reached (3 of 3)')
        expect(result.stdout).toContain('Switched the flag off: 3 bookings reached the target of 3.')
        // A second run: already off, nothing to do.
        await run('status', base('--stop-at-target'), posthog.fetch)
        expect(posthog.writes()).toHaveLength(1)
    })

    it('--stop-at-target with a key that may not write flags fails before any write', async () => {
        const posthog = campaign(3, 3)
        const keys = { [KEY]: { scopes: ['hog_function:read', 'feature_flag:read', 'query:read'] } }
        const limited = fakePostHog({ apps: posthog.apps, flags: posthog.flags, events: posthog.events, keys })
        const result = await run('status', base('--stop-at-target'), limited.fetch)
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(/^status: the key lacks scope feature_flag:write/)
        expect(limited.flags[0].active).toBe(true)
    })

    it('--json gives the same for scripts', async () => {
        const result = await run('status', base('--json'), campaign(3, 2).fetch)
        const report = JSON.parse(result.stdout)
        expect(report.interviews[0]).toMatchObject({ flag: 'pro-users', flagId: 11, active: true, shown: 4, clicked: 3, booked: 2, target: 3, remaining: 1, reached: false, stopped: false })
        expect(report.interviews[0].bookers[0]).toEqual({ timestamp: '2026-11-06T10:00:00Z', distinctId: 'a', tool: 'cal.com', bookingId: 'uid-a', person: `${HOST}/project/1/person/a` })
        expect(report.interviews[1]).toMatchObject({ flag: 'beta', target: 5, booked: 0 })
    })

    it('--since overrides where counting starts', async () => {
        const posthog = campaign(0, 0)
        const result = await run('status', base('--since', '2026-09-01'), posthog.fetch)
        expect(result.stdout).toContain('shown 5, clicked 3, booked 0')
        expect(result.stdout).toContain('no target')
    })

    it('a project without the app says to deploy first; a query the key may not run names query:read', async () => {
        expect((await run('status', base(), fakePostHog().fetch)).stderr).toMatch(/^status: this project has no User Interviewer site app: run npm run deploy first\n$/)
        const posthog = campaign(3, 2)
        const limited = fakePostHog({ apps: posthog.apps, flags: posthog.flags, keys: { [KEY]: { scopes: ['hog_function:read', 'feature_flag:read'] } } })
        expect((await run('status', base(), limited.fetch)).stderr).toMatch(/^status: the key lacks scope query:read/)
    })

    it('no output of this file holds the key', () => {
        expect(outputs.length).toBeGreaterThan(10)
        for (const text of outputs) expect(text).not.toContain(KEY)
    })
})
