// @vitest-environment node
// `npm run deploy` in-process: scripts/deploy.mjs's main() against a fake fetch that answers like PostHog's REST API
// (posthog/api/hog_function.py, insight.py, personal_api_key.py; errors as drf-exceptions-hog writes them).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM JavaScript without types
import * as deploy from '../../scripts/deploy.mjs'
import { APP_DESCRIPTION, APP_NAME, inputsSchema } from '../../src/settings-fields'
import { fakePostHog, json, KEY, NIL_UUID } from './fake-posthog-api'

const HOST = 'https://ph.example.test'
const HOG = 'export function onLoad() { /* HOG_SOURCE_MARKER */ dispatchEvent(new Event("PHUserInterviewBoxOpened")) }'
const INSIGHT_NAME = 'User Interviewer: shown → clicked → booked'
const CONFIGS = 'user-interview=https://cal.com/team/30min'
const APP_PROBE = `PATCH /api/projects/1/hog_functions/${NIL_UUID}/`
const FLAG_PROBE = 'PATCH /api/projects/1/feature_flags/0/'
const INSIGHT_PROBE = 'PATCH /api/projects/1/insights/0/'

let dir = ''
let buildFile = ''
const schema = inputsSchema()

beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deploy-unit-'))
    buildFile = join(dir, 'hog-function.json')
    writeFileSync(buildFile, JSON.stringify({ name: APP_NAME, description: APP_DESCRIPTION, type: 'site_app', hog: HOG, inputs_schema: schema }))
})

function settingsFile(settings: unknown, name = `s${Math.random().toString(36).slice(2)}.json`) {
    const file = join(dir, name)
    writeFileSync(file, typeof settings === 'string' ? settings : JSON.stringify(settings))
    return file
}

// ---------------------------------------------------------------------------------------------------------- running

interface Run {
    code: number
    stdout: string
    stderr: string
}
const allOutput: string[] = []

async function run(argv: string[], { fetch, env = { POSTHOG_PERSONAL_API_KEY: KEY } }: { fetch?: any; env?: Record<string, string> } = {}): Promise<Run> {
    let stdout = ''
    let stderr = ''
    const fetchImpl =
        fetch ??
        (async () => {
            throw new Error('fetch must not be called')
        })
    const code = await deploy.main(argv, env, {
        fetch: fetchImpl,
        buildFile,
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
    })
    allOutput.push(stdout, stderr)
    return { code, stdout, stderr }
}

const last = <T>(items: T[]): T => items[items.length - 1]
const base = (...more: string[]) => ['--host', HOST, '--project', '1', ...more]

/** A failure: exit 1, nothing on stdout, exactly one `deploy:` line on stderr. */
function expectFailure(result: Run, pattern: RegExp) {
    expectFailures(result, [pattern])
}

/** A failure of several problems: exit 1, nothing on stdout, one `deploy:` line per pattern, in order. */
function expectFailures(result: Run, patterns: RegExp[]) {
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    const lines = result.stderr.split('\n').filter(Boolean)
    expect(lines, result.stderr).toHaveLength(patterns.length)
    patterns.forEach((pattern, i) => {
        expect(lines[i]).toMatch(/^deploy: /)
        expect(lines[i]).toMatch(pattern)
    })
}


// ---------------------------------------------------------------------------------------------------------- tests

describe('arguments', () => {
    it('with neither --host nor --project, both are named at once', async () => {
        const posthog = fakePostHog()
        expectFailures(await run([], { fetch: posthog.fetch }), [/--host is required/, /--project is required/])
        expect(posthog.calls).toHaveLength(0)
    })

    it.each([
        [['--host', HOST], /--project is required/],
        [['--host', 'ftp://ph.example.test', '--project', '1'], /must be an https URL/],
        [['--host', 'http://ph.example.test', '--project', '1'], /plain http: the key would travel in clear; use https:\/\//],
        [['--host', 'http://10.0.0.5:8000', '--project', '1'], /plain http/],
        [['--host', HOST, '--project', '1', '--rollout', '101'], /--rollout must be a whole percentage from 0 to 100/],
        [['--host', HOST, '--project', '1', '--rollout', '2.5'], /--rollout must be a whole percentage/],
        [['--host', 'not a url', '--project', '1'], /not a URL/],
        [['--host', 'https://user:pw@ph.example.test', '--project', '1'], /credentials/],
        [['--host', HOST, '--project', '0'], /positive integer/],
        [['--host', HOST, '--project', '-3'], /positive integer|argument/],
        [['--host', HOST, '--project', '1.5'], /positive integer/],
        [['--host', HOST, '--project', 'abc'], /positive integer/],
        [['--host', HOST, '--project', '1', '--bogus'], /bogus/],
    ])('%j fails before anything is sent', async (argv, pattern) => {
        const posthog = fakePostHog()
        expectFailure(await run(argv as string[], { fetch: posthog.fetch }), pattern)
        expect(posthog.calls).toHaveLength(0)
    })

    it('strips a trailing slash from --host', () => {
        expect(deploy.parseHost('https://eu.posthog.com/')).toBe('https://eu.posthog.com')
        expect(deploy.parseHost('http://localhost:8000//')).toBe('http://localhost:8000')
        expect(deploy.parseHost('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000')
        expect(deploy.parseHost('http://[::1]:8000')).toBe('http://[::1]:8000')
        expect(deploy.parseArguments(['--host', 'https://x.test/', '--project', '42']).project).toBe(42)
    })

    it('--help prints the usage and exits 0', async () => {
        const result = await run(['--help'])
        expect(result.code).toBe(0)
        expect(result.stdout).toContain('Usage: npm run deploy -- --host <PostHog URL> --project <project id>')
        expect(result.stdout).toContain('--dry-run')
    })
})

describe('settings', () => {
    it('unknown keys and bad values: one line each, all at once, then the count, before anything is sent', async () => {
        const posthog = fakePostHog()
        const file = settingsFile({ interviewConfigs: CONFIGS, colour: 'red', zIndex: 'high', position: 'top', thme: 'dark' })
        const result = await run(base('--settings', file), { fetch: posthog.fetch })
        expectFailures(result, [
            /: colour: "red": no such setting \(see plugin.json/,
            /: zIndex: "high": not a whole number; accepted: a whole number from -2147483647 to 2147483647$/,
            /: position: "top": the app would ignore it .*accepted: one of bottom-right, bottom-left, center$/,
            /: thme: "dark": no such setting: did you mean theme\?$/,
            /4 problems in --settings .*: nothing was sent$/,
        ])
        expect(posthog.calls).toHaveLength(0)
    })

    it("a flag key PostHog refuses is named with the settings' problems, unless --no-flags", async () => {
        const posthog = fakePostHog()
        const file = settingsFile({ interviewConfigs: 'pro users=https://cal.com/a/b', maxShows: -3 })
        expectFailures(await run(base('--settings', file), { fetch: posthog.fetch }), [/maxShows: -3: out of range/, /flag "pro users": PostHog's flag keys take only letters, digits, - and _ \(rename it, e.g. "pro-users"/, /2 problems/])
        expect(posthog.calls).toHaveLength(0)
        const fine = settingsFile({ interviewConfigs: 'pro users=https://cal.com/a/b' })
        expect((await run(base('--no-flags', '--settings', fine), { fetch: posthog.fetch })).code).toBe(0)
        expect(posthog.flags).toHaveLength(0)
    })

    it.each([
        ['{ not json', /is not JSON/],
        ['["interviewConfigs"]', /JSON object/],
        ['"text"', /JSON object/],
    ])('a settings file holding %j fails', async (text, pattern) => {
        const posthog = fakePostHog()
        expectFailure(await run(base('--settings', settingsFile(text)), { fetch: posthog.fetch }), pattern)
        expect(posthog.calls).toHaveLength(0)
    })

    it('a missing settings file or build fails in one line', async () => {
        expectFailure(await run(base('--settings', join(dir, 'nope.json'))), /cannot read/)
        let stderr = ''
        const code = await deploy.main(base(), { POSTHOG_PERSONAL_API_KEY: KEY }, { buildFile: join(dir, 'missing.json'), stdout: { write() {} }, stderr: { write: (s: string) => (stderr += s) } })
        expect(code).toBe(1)
        expect(stderr).toMatch(/^deploy: .*missing\.json is missing: run npm run build first\n$/)
    })
})

describe('create', () => {
    it('creates the app with the --settings values converted, enabled, and prints where it is', async () => {
        const posthog = fakePostHog()
        const file = settingsFile({ interviewConfigs: CONFIGS, zIndex: '1000', position: 'Center', minDaysSinceLastSeenPopUp: '30' })
        const result = await run(base('--settings', file), { fetch: posthog.fetch })
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
            'GET /api/personal_api_keys/@current/',
            APP_PROBE,
            FLAG_PROBE,
            'GET /api/projects/1/hog_functions/',
            'GET /api/projects/1/feature_flags/',
            'POST /api/projects/1/hog_functions/',
            'POST /api/projects/1/feature_flags/',
        ])
        expect(posthog.calls[3].url).toBe(`${HOST}/api/projects/1/hog_functions/?type=site_app`)
        expect(posthog.calls.every((c) => c.auth === `Bearer ${KEY}`)).toBe(true)
        expect(posthog.calls[5].body).toEqual({
            type: 'site_app',
            name: APP_NAME,
            description: APP_DESCRIPTION,
            hog: HOG,
            inputs_schema: schema,
            inputs: { interviewConfigs: { value: CONFIGS }, zIndex: { value: 1000 }, position: { value: 'center' }, minDaysSinceLastSeenPopUp: { value: 30 } },
            enabled: true,
        })
        expect(posthog.apps).toHaveLength(1)
        const id = posthog.apps[0].id
        expect(result.stdout).toContain(`Created the site app "User Interviewer" (id ${id}) in project 1.`)
        expect(result.stdout).toContain(`${HOST}/project/1/functions/${id}`)
        expect(result.stdout).toContain('What is left to do:')
        expect(result.stdout).toContain('Created the flag "user-interview"')
        expect(result.stdout).toContain('20% of people whose "Seen User Interview Invitation - user-interview" is not set')
        expect(result.stdout).toContain('opt_in_site_apps: true')
        expect(result.stdout).toContain('?userInterviewPreview=user-interview')
    })

    it('with --no-flags, names every flag to make and the condition in what is left to do', async () => {
        const posthog = fakePostHog()
        const file = settingsFile({ interviewConfigs: `a-flag=https://x.test/a,b-flag=https://x.test/b`, userPropertyNameSeenUserInterview: 'Invited' })
        const result = await run(base('--no-flags', '--settings', file), { fetch: posthog.fetch })
        expect(result.code).toBe(0)
        expect(posthog.flags).toHaveLength(0)
        expect(posthog.calls.some((c) => c.path.includes('feature_flags'))).toBe(false)
        expect(result.stdout).toContain('(a-flag, b-flag)')
        expect(result.stdout).toContain('"{seen property} - {flag}" is not set')
        expect(result.stdout).toContain('?userInterviewPreview=a-flag')
    })

    it('without interviewConfigs it fails in one line saying to pass it in --settings, and writes nothing', async () => {
        for (const argv of [base(), base('--settings', settingsFile({ zIndex: '5' })), base('--settings', settingsFile({ interviewConfigs: '' }))]) {
            const posthog = fakePostHog()
            expectFailure(await run(argv, { fetch: posthog.fetch }), /interviewConfigs is required: pass it in --settings/)
            expect(posthog.writes()).toHaveLength(0)
        }
    })

    it('a second run updates the same app: never a second one', async () => {
        const posthog = fakePostHog()
        expect((await run(base('--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })).code).toBe(0)
        const second = await run(base('--settings', settingsFile({ invitationTitle: 'Talk to us' })), { fetch: posthog.fetch })
        expect(second.code).toBe(0)
        expect(posthog.apps).toHaveLength(1)
        expect(posthog.writes().map((c) => `${c.method} ${c.path}`)).toEqual([
            'POST /api/projects/1/hog_functions/',
            'POST /api/projects/1/feature_flags/',
            `PATCH /api/projects/1/hog_functions/${posthog.apps[0].id}/`,
        ])
        expect(posthog.flags).toHaveLength(1)
        expect(second.stdout).toContain('Kept the flag "user-interview" as it is')
        expect(second.stdout).toContain(`Updated the site app "User Interviewer" (id ${posthog.apps[0].id})`)
        expect(posthog.apps[0].inputs.interviewConfigs.value).toBe(CONFIGS)
        expect(posthog.apps[0].inputs.invitationTitle.value).toBe('Talk to us')
    })
})

describe('update', () => {
    const teamApp = () => ({
        id: '0190-team-app',
        team: 1,
        type: 'site_app',
        name: 'User Interviewer',
        description: 'old',
        enabled: false,
        hog: 'old source, dispatching PHUserInterviewBoxOpened',
        inputs_schema: [...schema, { key: 'removedSetting', type: 'string', required: false }],
        inputs: {
            interviewConfigs: { value: 'old-flag=https://cal.com/old', order: 0, transpiled: { lang: 'ts', code: '"x"' } },
            invitationTitle: { value: 'Our own title', order: 1 },
            zIndex: { value: '5000', order: 2 },
            removedSetting: { value: 'gone', order: 3 },
        },
    })

    it("replaces code and schema, keeps the team's name, description and values, replaces only --settings keys, drops keys the schema lost", async () => {
        const posthog = fakePostHog({ apps: [teamApp(), { id: 'other', team: 1, type: 'site_app', name: 'Another app', hog: 'x', inputs: {}, inputs_schema: [] }] })
        const result = await run(base('--no-flags', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })
        expect(result.stderr).toBe('')
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
            'GET /api/personal_api_keys/@current/',
            APP_PROBE,
            'GET /api/projects/1/hog_functions/',
            'GET /api/projects/1/hog_functions/0190-team-app/',
            'PATCH /api/projects/1/hog_functions/0190-team-app/',
        ])
        const patch = posthog.calls[4].body
        expect(patch).toEqual({
            hog: HOG,
            inputs_schema: schema,
            inputs: { interviewConfigs: { value: CONFIGS }, invitationTitle: { value: 'Our own title' }, zIndex: { value: 5000 } },
        })
        expect('enabled' in patch).toBe(false) // the team's on/off is theirs
        expect(posthog.apps[0].enabled).toBe(false)
        expect(result.stdout).toContain('Updated the site app "User Interviewer" (id 0190-team-app) in project 1: code and schema replaced, your values kept except interviewConfigs.')
        expect(result.stdout).toContain(`${HOST}/project/1/functions/0190-team-app`)
        expect(result.stdout).toContain("Dropped the app's values of removedSetting: it is no longer a setting of this app.")
    })

    it('without --settings it keeps every value the team set', async () => {
        const posthog = fakePostHog({ apps: [teamApp()] })
        const result = await run(base('--no-flags'), { fetch: posthog.fetch })
        expect(result.code).toBe(0)
        expect(last(posthog.calls).body.inputs).toEqual({
            interviewConfigs: { value: 'old-flag=https://cal.com/old' },
            invitationTitle: { value: 'Our own title' },
            zIndex: { value: 5000 },
        })
    })

    it('a team value the new schema cannot take fails before any write', async () => {
        const app = teamApp()
        app.inputs.zIndex = { value: 'on top', order: 2 }
        const posthog = fakePostHog({ apps: [app] })
        expectFailure(await run(base(), { fetch: posthog.fetch }), /current zIndex \("on top"\) is not a number .*pass zIndex in --settings/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('refuses when several site apps are this app, writing nothing', async () => {
        const posthog = fakePostHog({ apps: [teamApp(), { ...teamApp(), id: '0190-copy', name: 'Copy' }] })
        expectFailure(await run(base('--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch }), /2 site apps in project 1 are User Interviewer \("User Interviewer" \(id 0190-team-app\), "Copy" \(id 0190-copy\)\)/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('finds the app on a later page, following `next` on the --host origin only', async () => {
        const others = Array.from({ length: 5 }, (_, i) => ({ id: `o${i}`, team: 1, type: 'site_app', name: `Other ${i}`, inputs: {}, inputs_schema: [] }))
        const posthog = fakePostHog({ apps: [...others, teamApp()], pageSize: 2, nextOrigin: 'https://elsewhere.example.test' })
        const result = await run(base('--no-flags'), { fetch: posthog.fetch })
        expect(result.stderr).toBe('')
        expect(posthog.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/hog_functions/'))).toHaveLength(3)
        expect(posthog.calls.every((c) => c.url.startsWith(HOST))).toBe(true)
        expect(posthog.writes().map((c) => `${c.method} ${c.path}`)).toEqual(['PATCH /api/projects/1/hog_functions/0190-team-app/'])
    })

    it('finds the app again after the team renamed it (by its source), and updates it in place under its new name', async () => {
        const renamed = { ...teamApp(), name: 'Recruiting popup', description: 'Ours now' }
        const posthog = fakePostHog({
            apps: [
                renamed,
                { ...teamApp(), type: 'destination', id: 'dest' },
                { id: 'namesake', team: 1, type: 'site_app', name: 'User Interviewer', hog: 'someone else\'s app', inputs: {}, inputs_schema: [] },
            ],
        })
        const result = await run(base('--no-flags', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })
        expect(result.stderr).toBe('')
        expect(posthog.writes().map((c) => `${c.method} ${c.path}`)).toEqual(['PATCH /api/projects/1/hog_functions/0190-team-app/'])
        expect(posthog.apps.filter((a) => a.type === 'site_app')).toHaveLength(2)
        expect(posthog.apps[0]).toMatchObject({ name: 'Recruiting popup', description: 'Ours now', hog: HOG })
        expect(posthog.apps[2]).toMatchObject({ name: 'User Interviewer', hog: "someone else's app" })
        expect(result.stdout).toContain('Updated the site app "Recruiting popup" (id 0190-team-app)')
    })

    it('never takes a namesake without its source for this app: one made by hand gets a new one', async () => {
        const posthog = fakePostHog({ apps: [{ id: 'namesake', team: 1, type: 'site_app', name: 'User Interviewer', hog: 'other code', inputs: {}, inputs_schema: [] }] })
        expect((await run(base('--no-flags', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })).code).toBe(0)
        expect(posthog.writes().map((c) => c.method)).toEqual(['POST'])
    })
})

describe('insight', () => {
    const expectedQuery = (events: string[]) => ({
        kind: 'InsightVizNode',
        source: {
            kind: 'FunnelsQuery',
            series: events.map((event) => ({ kind: 'EventsNode', event, name: event })),
            funnelsFilter: { funnelVizType: 'steps', funnelOrderType: 'ordered', funnelWindowInterval: 14, funnelWindowIntervalUnit: 'day' },
            breakdownFilter: { breakdown_type: 'event', breakdown: 'featureFlagName' },
            dateRange: { date_from: '-30d' },
        },
    })

    it('creates the funnel insight with the exact query, then a second run updates it', async () => {
        const posthog = fakePostHog()
        const first = await run(base('--no-flags', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })
        expect(first.stderr).toBe('')
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
            'GET /api/personal_api_keys/@current/',
            APP_PROBE,
            INSIGHT_PROBE,
            'GET /api/projects/1/hog_functions/',
            'GET /api/projects/1/insights/',
            'POST /api/projects/1/hog_functions/',
            'POST /api/projects/1/insights/',
        ])
        expect(posthog.calls[4].url).toBe(`${HOST}/api/projects/1/insights/?basic=true&search=User%20Interviewer`)
        const post = posthog.calls[6].body
        expect(post).toEqual({
            name: INSIGHT_NAME,
            description: expect.stringContaining('User Interviewer'),
            query: expectedQuery(['User Interview Shown Pop Up', 'User Interview Clicked Book Button', 'User Interview Booked']),
            saved: true,
        })
        expect(first.stdout).toContain(`Created the insight "${INSIGHT_NAME}".`)
        expect(first.stdout).toContain(`${HOST}/project/1/insights/${posthog.insights[0].short_id}`)

        const second = await run(base('--no-flags', '--insight', '--settings', settingsFile({ clickBookButtonEvent: 'Clicked Book' })), { fetch: posthog.fetch })
        expect(second.stderr).toBe('')
        expect(posthog.insights).toHaveLength(1)
        expect(posthog.apps).toHaveLength(1)
        const patch = last(posthog.calls)
        expect(`${patch.method} ${patch.path}`).toBe(`PATCH /api/projects/1/insights/${posthog.insights[0].id}/`)
        expect(patch.body.query).toEqual(expectedQuery(['User Interview Shown Pop Up', 'Clicked Book', 'User Interview Booked']))
        expect(second.stdout).toContain(`Updated the insight "${INSIGHT_NAME}".`)
    })

    it("uses the team's renamed events: --settings first, then the app's values", async () => {
        const posthog = fakePostHog({
            apps: [{ id: 'a1', team: 1, type: 'site_app', name: APP_NAME, hog: HOG, inputs_schema: schema, inputs: { interviewConfigs: { value: CONFIGS }, shownUserInterviewPopupEvent: { value: 'Saw invite' } } }],
        })
        const result = await run(base('--no-flags', '--insight', '--settings', settingsFile({ bookedUserInterviewEvent: 'Booked call' })), { fetch: posthog.fetch })
        expect(result.code).toBe(0)
        expect(last(posthog.calls).body.query).toEqual(expectedQuery(['Saw invite', 'User Interview Clicked Book Button', 'Booked call']))
    })

    it('compares the name exactly: a similar name is another insight', async () => {
        const posthog = fakePostHog({ insights: [{ id: 7, short_id: 'near', team: 1, name: `${INSIGHT_NAME} (copy)` }] })
        const result = await run(base('--no-flags', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })
        expect(result.code).toBe(0)
        expect(posthog.writes().map((c) => `${c.method} ${c.path}`)).toContain('POST /api/projects/1/insights/')
        expect(posthog.insights).toHaveLength(2)
    })

    it('refuses when several insights have the name, before any write', async () => {
        const posthog = fakePostHog({ insights: [1, 2].map((id) => ({ id, short_id: `s${id}`, team: 1, name: INSIGHT_NAME })) })
        expectFailure(await run(base('--no-flags', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch }), /2 insights are named/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('a key without insight:write that may read its scopes fails at @current, with no write check', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['personal_api_key:read', 'hog_function:write', 'feature_flag:write', 'insight:read'] } } })
        expectFailure(
            await run(base('--no-flags', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch }),
            /the key lacks scope insight:write \(it has personal_api_key:read, hog_function:write, feature_flag:write, insight:read\): .*\(nothing was changed\)$/,
        )
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/personal_api_keys/@current/'])
    })

    it('a key without insight:write nor personal_api_key:read: the insight write check (403) fails before any write', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['hog_function:write', 'feature_flag:write', 'insight:read'] } } })
        expectFailure(
            await run(base('--no-flags', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch }),
            /^deploy: the key lacks scope insight:write \(PostHog: API key missing required scope 'insight:write'\): give it hog_function:write and insight:write in PostHog \(nothing was changed\)$/,
        )
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/personal_api_keys/@current/', APP_PROBE, INSIGHT_PROBE])
        expect(posthog.writes()).toHaveLength(0)
        expect(posthog.apps).toHaveLength(0)
        expect(posthog.insights).toHaveLength(0)
    })

    it('without the key-check endpoint (404), the insight write check fails before the site app is written', async () => {
        const posthog = fakePostHog({ current: false, keys: { [KEY]: { scopes: ['hog_function:write', 'feature_flag:write'] } } })
        expectFailure(await run(base('--no-flags', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch }), /the key lacks scope insight:write .*\(nothing was changed\)$/)
        expect(posthog.probes()).toHaveLength(2)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('funnelQuery is the FunnelsQuery in an InsightVizNode', () => {
        expect(deploy.funnelQuery(['a', 'b', 'c'])).toEqual(expectedQuery(['a', 'b', 'c']))
    })
})

describe('the key check, before any write', () => {
    const withInsight = () => base('--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS }))

    it.each([
        ['personal_api_key:read and the scopes needed', ['personal_api_key:read', 'hog_function:write', 'feature_flag:write', 'insight:write']],
        ['personal_api_key:write and the scopes needed', ['personal_api_key:write', 'hog_function:write', 'feature_flag:write', 'insight:write']],
        ['every scope (*)', ['*']],
    ])('a key that may read its scopes (%s): @current only, no write checks', async (_name, scopes) => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes } } })
        const result = await run(withInsight(), { fetch: posthog.fetch })
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(posthog.probes()).toHaveLength(0)
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
            'GET /api/personal_api_keys/@current/',
            'GET /api/projects/1/hog_functions/',
            'GET /api/projects/1/feature_flags/',
            'GET /api/projects/1/insights/',
            'POST /api/projects/1/hog_functions/',
            'POST /api/projects/1/feature_flags/',
            'POST /api/projects/1/insights/',
        ])
    })

    it('the usual key (403 on @current): a PATCH of {} to no app, no flag and no insight, each 404, then the reads and writes', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['hog_function:write', 'feature_flag:write', 'insight:write'] } } })
        const result = await run(withInsight(), { fetch: posthog.fetch })
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(posthog.calls.slice(0, 4).map((c) => [c.method, c.url, c.body])).toEqual([
            ['GET', `${HOST}/api/personal_api_keys/@current/`, undefined],
            ['PATCH', `${HOST}/api/projects/1/hog_functions/${NIL_UUID}/`, {}],
            ['PATCH', `${HOST}/api/projects/1/feature_flags/0/`, {}],
            ['PATCH', `${HOST}/api/projects/1/insights/0/`, {}],
        ])
        expect(posthog.writes().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/projects/1/hog_functions/', 'POST /api/projects/1/feature_flags/', 'POST /api/projects/1/insights/'])
        expect(posthog.apps).toHaveLength(1)
        expect(posthog.insights).toHaveLength(1)
    })

    it('without --insight, the app and the flags are checked; with --no-flags, the app alone', async () => {
        const posthog = fakePostHog({ current: false })
        expect((await run(base('--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch })).code).toBe(0)
        expect(posthog.probes().map((c) => `${c.method} ${c.path}`)).toEqual([APP_PROBE, FLAG_PROBE])
        const alone = fakePostHog({ current: false })
        expect((await run(base('--no-flags', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: alone.fetch })).code).toBe(0)
        expect(alone.probes().map((c) => `${c.method} ${c.path}`)).toEqual([APP_PROBE])
    })

    it('a key without feature_flag:write fails at its write check, before the app is written', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['hog_function:write', 'feature_flag:read'] } } })
        expectFailure(await run(base('--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch: posthog.fetch }), /the key lacks scope feature_flag:write .*give it hog_function:write and feature_flag:write in PostHog \(nothing was changed\)$/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('the insight check refused (403): exit 1 before any POST or PATCH of a real object, an existing app untouched', async () => {
        const app = { id: '0190-team-app', team: 1, type: 'site_app', name: APP_NAME, hog: 'old PHUserInterviewBoxOpened', inputs_schema: schema, inputs: { interviewConfigs: { value: CONFIGS } } }
        const posthog = fakePostHog({ apps: [app], insights: [{ id: 5, short_id: 'old5', team: 1, name: INSIGHT_NAME }], keys: { [KEY]: { scopes: ['hog_function:write', 'feature_flag:write', 'insight:read'] } } })
        expectFailure(await run(base('--insight'), { fetch: posthog.fetch }), /the key lacks scope insight:write .*\(nothing was changed\)$/)
        expect(posthog.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual([APP_PROBE, FLAG_PROBE, INSIGHT_PROBE])
        expect(posthog.apps[0].hog).toBe('old PHUserInterviewBoxOpened')
    })
})

describe('failures: one line, exit 1, nothing written', () => {
    const settings = () => base('--settings', settingsFile({ interviewConfigs: CONFIGS }))

    it('no key', async () => {
        const posthog = fakePostHog()
        expectFailure(await run(settings(), { fetch: posthog.fetch, env: {} }), /POSTHOG_PERSONAL_API_KEY is not set/)
        expect(posthog.calls).toHaveLength(0)
    })

    it('a key with characters no key has, without echoing it', async () => {
        const posthog = fakePostHog()
        const result = await run(settings(), { fetch: posthog.fetch, env: { POSTHOG_PERSONAL_API_KEY: 'phx_secret with space' } })
        expectFailure(result, /holds spaces or characters no PostHog key has/)
        expect(result.stderr).not.toContain('secret')
        expect(posthog.calls).toHaveLength(0)
    })

    it('a key PostHog rejects (401)', async () => {
        const posthog = fakePostHog({ keys: {} })
        expectFailure(await run(settings(), { fetch: posthog.fetch }), /PostHog rejected the key in POSTHOG_PERSONAL_API_KEY \(401/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('a key without hog_function:write, seen by the key check', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['hog_function:read', 'insight:write', 'personal_api_key:read'] } } })
        expectFailure(await run(settings(), { fetch: posthog.fetch }), /the key lacks scope hog_function:write and feature_flag:write \(it has hog_function:read, insight:write, personal_api_key:read\)/)
        expect(posthog.calls).toHaveLength(1)
    })

    it('a key without hog_function scopes nor personal_api_key:read: the write check (403) names the scope', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['insight:read'] } } })
        expectFailure(await run(settings(), { fetch: posthog.fetch }), /the key lacks scope hog_function:write \(PostHog: API key missing required scope 'hog_function:write'\): give it hog_function:write and feature_flag:write in PostHog \(nothing was changed\)$/)
        expect(posthog.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/personal_api_keys/@current/', APP_PROBE])
    })

    it('a key with read but not write, on a PostHog without the key check: the write check refuses it in one line', async () => {
        const posthog = fakePostHog({ current: false, keys: { [KEY]: { scopes: ['hog_function:read'] } } })
        expectFailure(await run(settings(), { fetch: posthog.fetch }), /the key lacks scope hog_function:write/)
        expect(posthog.calls.map((c) => c.method)).toEqual(['GET', 'PATCH'])
        expect(posthog.apps).toHaveLength(0)
    })

    it('a key limited to other projects: @current refuses it, the write check names the project', async () => {
        const posthog = fakePostHog({ keys: { [KEY]: { scopes: ['*'], scoped_teams: [2, 3] } } })
        expectFailure(await run(settings(), { fetch: posthog.fetch }), /PostHog refused the hog_function:write check .*\(403: API key does not have access to the requested project: ID 1\.\) \(nothing was changed\)$/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it.each([
        [200, { id: NIL_UUID }, /did not answer like PostHog \(HTTP 200 for the hog_function:write check/],
        [500, { type: 'server_error', code: 'error', detail: 'A server error occurred.', attr: null }, /PostHog answered HTTP 500 for the hog_function:write check .*: A server error occurred\./],
        [400, { type: 'validation_error', code: 'invalid', detail: 'Bad.', attr: null }, /PostHog refused the hog_function:write check .*: Bad\./],
    ])('a write check answered %i (not 404 or 403) is one line, and nothing else is sent', async (status, body, pattern) => {
        const posthog = fakePostHog()
        const fetch = async (url: string, init: RequestInit = {}) => (init.method === 'PATCH' ? json(status, body) : posthog.fetch(url, init))
        expectFailure(await run(settings(), { fetch }), pattern)
        expect(posthog.calls.map((c) => c.method)).toEqual(['GET'])
    })

    it('@current answering other than 200, 403 or 404 is one line, before anything else', async () => {
        const posthog = fakePostHog()
        const fetch = async (url: string, init: RequestInit = {}) =>
            url.includes('@current') ? json(502, { type: 'server_error', code: 'bad_gateway', detail: 'Upstream down.', attr: null }) : posthog.fetch(url, init)
        expectFailure(await run(settings(), { fetch }), /PostHog answered HTTP 502 for the key check: Upstream down\./)
        expect(posthog.calls).toHaveLength(0)
    })

    it('a wrong project (404)', async () => {
        const posthog = fakePostHog({ projects: [2] })
        expectFailure(await run(settings(), { fetch: posthog.fetch }), /project not found at https:\/\/ph\.example\.test, or not accessible with this key \(404/)
        expect(posthog.writes()).toHaveLength(0)
    })

    it('an unreachable host', async () => {
        const fetch = async () => {
            throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) })
        }
        expectFailure(await run(settings(), { fetch }), /^deploy: cannot reach https:\/\/ph\.example\.test \(ECONNREFUSED\)$/)
    })

    it('a host that answers an HTML page', async () => {
        const calls: string[] = []
        const fetch = async (url: string, init: RequestInit = {}) => {
            calls.push(`${init.method} ${url}`)
            return new Response('<!doctype html><title>Welcome</title>', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } })
        }
        expectFailure(await run(settings(), { fetch }), /ph\.example\.test did not answer like PostHog \(HTTP 200, text\/html/)
        expect(calls.every((c) => c.startsWith('GET'))).toBe(true)
    })

    it('a host that answers JSON of another shape', async () => {
        const fetch = async (url: string, init: RequestInit = {}) =>
            url.includes('@current') || init.method === 'PATCH' ? json(404, { error: 'nope' }) : json(200, { hello: 'world' })
        expectFailure(await run(settings(), { fetch }), /did not answer like PostHog \(no results list/)
    })

    it('a host that answers 404 HTML everywhere is not PostHog', async () => {
        const fetch = async () => new Response('<html>Not Found</html>', { status: 404, headers: { 'content-type': 'text/html' } })
        expectFailure(await run(settings(), { fetch }), /did not answer like PostHog \(HTTP 404, text\/html/)
    })

    it('a redirect is not followed (the key stays on --host)', async () => {
        const fetch = async () => new Response(null, { status: 301, headers: { location: 'https://other.example.test/' } })
        expectFailure(await run(settings(), { fetch }), /redirected .* to https:\/\/other\.example\.test\/: pass PostHog's own address/)
    })

    it("PostHog's validation message (400), condensed to one line", async () => {
        const posthog = fakePostHog()
        const fetch = async (url: string, init: RequestInit = {}) =>
            init.method === 'POST'
                ? json(400, { type: 'validation_error', code: 'invalid_input', detail: 'Error in\n TypeScript   code', attr: 'hog' })
                : posthog.fetch(url, init)
        expectFailure(await run(settings(), { fetch }), /PostHog refused the new site app: hog: Error in TypeScript code$/)
        expect(deploy.errorDetail({ type: 'validation_error', detail: 'This field is required.', attr: 'inputs__interviewConfigs' })).toBe('inputs.interviewConfigs: This field is required.')
        expect(deploy.errorDetail({ inputs: { zIndex: ['Value must be a number.'] } })).toBe('inputs.zIndex: Value must be a number.')
    })

    it('a failing insight write after the app says what was made', async () => {
        const posthog = fakePostHog()
        const fetch = async (url: string, init: RequestInit = {}) =>
            init.method === 'POST' && url.endsWith('/insights/') ? json(400, { type: 'validation_error', code: 'parse_error', detail: 'bad query', attr: null }) : posthog.fetch(url, init)
        expectFailure(await run(base('--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS })), { fetch }), /the site app is created \(https:\/\/ph\.example\.test\/project\/1\/functions\/0190-app-1\), the flag "user-interview" created, but then: PostHog refused the new insight: bad query/)
    })

    it('an unexpected exception is still one line', async () => {
        const fetch = async () => json(200, null)
        const result = await run(settings(), { fetch })
        expect(result.code).toBe(1)
        expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    })
})

describe('dry run', () => {
    it('prints each request with the hog length, not its source, and sends nothing, without a key', async () => {
        const result = await run(base('--dry-run', '--insight', '--settings', settingsFile({ interviewConfigs: CONFIGS, zIndex: '10' })), { env: {} })
        expect(result.code).toBe(0)
        expect(result.stderr).toBe('')
        expect(result.stdout).toContain('POSTHOG_PERSONAL_API_KEY is not set: not needed for a dry run')
        expect(result.stdout).toContain(`GET   ${HOST}/api/projects/1/hog_functions/?type=site_app`)
        expect(result.stdout).toContain(`POST  ${HOST}/api/projects/1/hog_functions/`)
        expect(result.stdout).toContain(`PATCH ${HOST}/api/projects/1/hog_functions/{id}/`)
        expect(result.stdout).toContain(`GET   ${HOST}/api/personal_api_keys/@current/`)
        expect(result.stdout).toContain(`PATCH ${HOST}/api/projects/1/hog_functions/${NIL_UUID}/  (body {}: 404 if the key has hog_function:write, 403 if not)`)
        expect(result.stdout).toContain(`PATCH ${HOST}/api/projects/1/insights/0/  (body {}: 404 if the key has insight:write, 403 if not)`)
        expect(result.stdout).toContain(`hog: ${HOG.length} chars`)
        expect(result.stdout).toContain('inputs: interviewConfigs, zIndex')
        expect(result.stdout).toContain('with interviewConfigs, zIndex replaced')
        expect(result.stdout).toContain(`POST  ${HOST}/api/projects/1/insights/`)
        expect(result.stdout).toContain('"breakdown":"featureFlagName"')
        expect(result.stdout).not.toContain('HOG_SOURCE_MARKER')
        expect(result.stdout).toContain('What is left to do:')
    })

    it('with a key, still sends nothing and never prints the key', async () => {
        const posthog = fakePostHog()
        const result = await run(base('--dry-run'), { fetch: posthog.fetch })
        expect(result.code).toBe(0)
        expect(posthog.calls).toHaveLength(0)
        expect(result.stdout).not.toContain(KEY)
        expect(result.stdout).toContain('interviewConfigs is required to create the app')
    })

    it('still checks the settings', async () => {
        expectFailures(await run(base('--dry-run', '--settings', settingsFile({ nope: 1 })), { env: {} }), [/nope: 1: no such setting/, /1 problem in --settings/])
    })
})

describe('the key', () => {
    it('is redacted even when a server echoes it back', async () => {
        const fetch = async (_url: string, init: RequestInit = {}) => {
            const auth = new Headers(init.headers).get('authorization')
            return json(403, { type: 'authentication_error', code: 'permission_denied', detail: `key ${auth} is not welcome`, attr: null })
        }
        const result = await run(base(), { fetch })
        expect(result.code).toBe(1)
        expect(result.stderr).toContain('[key]')
        expect(result.stderr).not.toContain(KEY)
    })

    it('never appears in any output of this file', () => {
        expect(allOutput.length).toBeGreaterThan(20)
        for (const text of allOutput) expect(text).not.toContain(KEY)
        for (const text of allOutput) expect(text).not.toContain(KEY.slice(4, 20))
    })
})
