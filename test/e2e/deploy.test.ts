// `npm run deploy`'s script as a team runs it: the real CLI (node scripts/deploy.mjs) in a child process, the key in
// its environment, against the stand-in's PostHog REST API (dev/posthog-standin.mjs: hog_functions and insights with
// PostHog's key, scope and input checks). Asserted on what the stand-in holds afterwards.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startStandIn, type StandIn, type StandInOptions } from '../../dev/posthog-standin.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const buildFile = join(root, 'dist/hog-function.json')
const INSIGHT_NAME = 'User Interviewer: shown → clicked → booked'
const FULL_KEY = 'phx_e2e_full_scopes_key_abcdef0123'
const NO_APP_SCOPE_KEY = 'phx_e2e_insight_only_key_abcdef0123'
const NO_INSIGHT_SCOPE_KEY = 'phx_e2e_app_only_key_abcdef0123'
const READ_ONLY_KEY = 'phx_e2e_read_only_key_abcdef0123'
const INSIGHT_READ_KEY = 'phx_e2e_app_write_insight_read_abcdef0123'
const SELF_READING_KEY = 'phx_e2e_self_reading_key_abcdef0123'
const OTHER_PROJECT_KEY = 'phx_e2e_other_project_key_abcdef0123'
const NO_FLAG_SCOPE_KEY = 'phx_e2e_no_flag_write_key_abcdef0123'
const KEYS = [FULL_KEY, NO_APP_SCOPE_KEY, NO_INSIGHT_SCOPE_KEY, READ_ONLY_KEY, INSIGHT_READ_KEY, SELF_READING_KEY, OTHER_PROJECT_KEY, NO_FLAG_SCOPE_KEY]
const NIL_UUID = '00000000-0000-0000-0000-000000000000'

let standIn: StandIn
let dir = ''
let build: { name: string; hog: string; inputs_schema: Array<{ key: string }> }
const outputs: string[] = []

beforeAll(async () => {
    if (!existsSync(buildFile)) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: root })
    build = JSON.parse(readFileSync(buildFile, 'utf8'))
    dir = mkdtempSync(join(tmpdir(), 'deploy-e2e-'))
    const options: StandInOptions = {
        log: () => {},
        personalApiKeys: {
            // Every scope deploy needs, but not personal_api_key:read: @current is a 403, the write checks decide.
            [FULL_KEY]: ['hog_function:write', 'feature_flag:write', 'insight:write'],
            [SELF_READING_KEY]: ['personal_api_key:read', 'hog_function:write', 'feature_flag:write', 'insight:write'],
            [INSIGHT_READ_KEY]: ['hog_function:write', 'feature_flag:write', 'insight:read'],
            [OTHER_PROJECT_KEY]: { scopes: ['*'], scopedTeams: [7] },
            [NO_APP_SCOPE_KEY]: ['insight:write'],
            [NO_INSIGHT_SCOPE_KEY]: ['hog_function:write', 'feature_flag:write'],
            [NO_FLAG_SCOPE_KEY]: ['hog_function:write', 'feature_flag:read', 'insight:write'],
            [READ_ONLY_KEY]: ['hog_function:read', 'insight:read'],
        },
    }
    standIn = await startStandIn(options)
})

afterAll(async () => {
    await standIn?.close()
})

beforeEach(() => standIn.reset())

interface Result {
    code: number
    stdout: string
    stderr: string
}

/** `node scripts/deploy.mjs ...` with the key (if any) in POSTHOG_PERSONAL_API_KEY and nowhere else. */
function deploy(args: string[], key: string | null = FULL_KEY): Promise<Result> {
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env.POSTHOG_PERSONAL_API_KEY
    if (key) env.POSTHOG_PERSONAL_API_KEY = key
    return new Promise((resolve) => {
        execFile(process.execPath, ['scripts/deploy.mjs', ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
            outputs.push(stdout, stderr)
            resolve({ code, stdout, stderr })
        })
    })
}

const at = (host: string, ...more: string[]) => ['--host', host, '--project', '1', ...more]

function settings(values: Record<string, unknown>) {
    const file = join(dir, `settings-${Math.random().toString(36).slice(2)}.json`)
    writeFileSync(file, JSON.stringify(values))
    return file
}

/** Exit 1, nothing on stdout, one `deploy:` line on stderr. */
function expectOneLineFailure(result: Result, pattern: RegExp) {
    expect(result.code, JSON.stringify(result)).toBe(1)
    expect(result.stdout).toBe('')
    const lines = result.stderr.split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^deploy: /)
    expect(lines[0]).toMatch(pattern)
}

const siteApps = () => standIn.hogFunctions().filter((f) => f.type === 'site_app' && !f.deleted)
const apiCalls = () => standIn.requests().filter((r) => r.path.startsWith('/api/'))
/** The write checks: a PATCH of `{}` to an app or insight id that does not exist. */
const isProbe = (r: { method: string; path: string }) =>
    r.method === 'PATCH' && [`/api/projects/1/hog_functions/${NIL_UUID}/`, '/api/projects/1/insights/0/', '/api/projects/1/feature_flags/0/'].includes(r.path)
/** Requests that could change something: every non-GET API request but the write checks. */
const apiWrites = () => apiCalls().filter((r) => r.method !== 'GET' && !isProbe(r))

/** What a team member does in PostHog's UI: PATCH the app through the REST API. */
async function editInPostHog(id: string, body: Record<string, unknown>) {
    const response = await fetch(`${standIn.url}/api/projects/1/hog_functions/${id}/`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${FULL_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    })
    expect(response.status).toBe(200)
    return response.json()
}

describe('npm run deploy against the stand-in', () => {
    it('creates one site app, and a second run updates it in place, keeping the values set in PostHog', async () => {
        const first = await deploy(at(standIn.url, '--settings', settings({ interviewConfigs: 'user-interview=https://cal.com/a/30min', zIndex: '1000' })))
        expect(first.stderr).toBe('')
        expect(first.code).toBe(0)
        expect(siteApps()).toHaveLength(1)
        const app = siteApps()[0]
        expect(app).toMatchObject({ name: 'User Interviewer', enabled: true, hog: build.hog.trim() })
        expect(app.inputs.interviewConfigs.value).toBe('user-interview=https://cal.com/a/30min')
        expect(app.inputs.zIndex.value).toBe(1000)
        expect(first.stdout).toContain(`Created the site app "User Interviewer" (id ${app.id}) in project 1.`)
        expect(first.stdout).toContain(`${standIn.url}/project/1/functions/${app.id}`)
        expect(first.stdout).toContain('What is left to do:')
        expect(first.stdout).toContain('opt_in_site_apps: true')

        // The team sets a value in PostHog, and the app there is an older build with a setting since removed.
        // (an older build: every build holds the marker deploy finds the app by)
        await editInPostHog(app.id, {
            hog: 'export function onLoad() { window.dispatchEvent(new Event("PHUserInterviewBoxOpened")) }',
            inputs_schema: [...app.inputs_schema, { key: 'oldSetting', type: 'string', label: 'Old', required: false }],
            inputs: { ...app.inputs, invitationTitle: { value: 'Set in PostHog' }, oldSetting: { value: 'legacy' } },
        })

        const second = await deploy(at(standIn.url, '--settings', settings({ interviewConfigs: 'new-flag=https://cal.com/b/15min' })))
        expect(second.stderr).toBe('')
        expect(second.code).toBe(0)
        expect(siteApps()).toHaveLength(1)
        const updated = siteApps()[0]
        expect(updated.id).toBe(app.id)
        expect(updated.hog).toBe(build.hog.trim())
        expect(updated.inputs_schema.map((f) => f.key)).toEqual(build.inputs_schema.map((f) => f.key))
        expect(updated.inputs.interviewConfigs.value).toBe('new-flag=https://cal.com/b/15min')
        expect(updated.inputs.invitationTitle.value).toBe('Set in PostHog')
        expect(updated.inputs.zIndex.value).toBe(1000)
        expect(updated.inputs.oldSetting).toBeUndefined()
        expect(second.stdout).toContain(`Updated the site app "User Interviewer" (id ${app.id})`)
        expect(second.stdout).toContain('?userInterviewPreview=new-flag')
    })

    it('--insight creates one funnel insight broken down by featureFlagName, then updates it', async () => {
        const args = at(standIn.url, '--insight', '--settings', settings({ interviewConfigs: 'user-interview=https://cal.com/a/30min' }))
        const first = await deploy(args)
        expect(first.stderr).toBe('')
        expect(standIn.insights()).toHaveLength(1)
        const insight = standIn.insights()[0]
        expect(insight).toMatchObject({ name: INSIGHT_NAME, saved: true })
        expect(insight.query).toEqual({
            kind: 'InsightVizNode',
            source: {
                kind: 'FunnelsQuery',
                series: ['User Interview Shown Pop Up', 'User Interview Clicked Book Button', 'User Interview Booked'].map((event) => ({ kind: 'EventsNode', event, name: event })),
                funnelsFilter: { funnelVizType: 'steps', funnelOrderType: 'ordered', funnelWindowInterval: 14, funnelWindowIntervalUnit: 'day' },
                breakdownFilter: { breakdown_type: 'event', breakdown: 'featureFlagName' },
                dateRange: { date_from: '-30d' },
            },
        })
        expect(first.stdout).toContain(`Created the insight "${INSIGHT_NAME}".`)
        expect(first.stdout).toContain(`${standIn.url}/project/1/insights/${insight.short_id}`)

        const second = await deploy(at(standIn.url, '--insight', '--settings', settings({ bookedUserInterviewEvent: 'Interview Booked' })))
        expect(second.stderr).toBe('')
        expect(standIn.insights()).toHaveLength(1)
        expect(siteApps()).toHaveLength(1)
        expect(standIn.insights()[0].query!.source.series[2].event).toBe('Interview Booked')
        expect(second.stdout).toContain(`Updated the insight "${INSIGHT_NAME}".`)
        expect(second.stdout).toContain(`/project/1/insights/${insight.short_id}`)
    })

    it('a key with every scope deploy needs but not personal_api_key:read deploys, checked by the write checks', async () => {
        const result = await deploy(at(standIn.url, '--insight', '--settings', settings({ interviewConfigs: 'user-interview=https://cal.com/a/30min' })), FULL_KEY)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(siteApps()).toHaveLength(1)
        expect(standIn.insights()).toHaveLength(1)
        expect(apiCalls().slice(0, 4).map((r) => `${r.method} ${r.path}`)).toEqual([
            'GET /api/personal_api_keys/@current/',
            `PATCH /api/projects/1/hog_functions/${NIL_UUID}/`,
            'PATCH /api/projects/1/feature_flags/0/',
            'PATCH /api/projects/1/insights/0/',
        ])
    })

    it('a key that may read its own scopes is checked by @current alone', async () => {
        const result = await deploy(at(standIn.url, '--insight', '--settings', settings({ interviewConfigs: 'user-interview=https://cal.com/a/30min' })), SELF_READING_KEY)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(siteApps()).toHaveLength(1)
        expect(standIn.insights()).toHaveLength(1)
        expect(apiCalls()[0]).toMatchObject({ method: 'GET', path: '/api/personal_api_keys/@current/' })
        expect(apiCalls().filter(isProbe)).toHaveLength(0)
    })

    it('--dry-run sends nothing', async () => {
        const result = await deploy(at(standIn.url, '--dry-run', '--insight'), null)
        expect(result.code).toBe(0)
        expect(result.stdout).toContain('POSTHOG_PERSONAL_API_KEY is not set: not needed for a dry run')
        expect(result.stdout).toContain(`POST  ${standIn.url}/api/projects/1/hog_functions/`)
        expect(result.stdout).toContain(`hog: ${build.hog.length} chars`)
        expect(standIn.requests().filter((r) => r.path.startsWith('/api/'))).toHaveLength(0)
    })
})

describe('the flags and the rename, against the stand-in', () => {
    const SEEN_FILTER = (flag: string) => ({ key: `Seen User Interview Invitation - ${flag}`, type: 'person', operator: 'is_not_set', value: 'is_not_set' })

    it("creates each interview's flag once, with the seen condition and the --rollout share; a second run keeps it", async () => {
        const file = settings({ interviewConfigs: 'pro-users=https://cal.com/a/30min,beta=https://calendly.com/b/20' })
        const first = await deploy(at(standIn.url, '--rollout', '30', '--settings', file))
        expect(first.stderr).toBe('')
        const flags = standIn.featureFlags().filter((f) => !f.deleted)
        expect(flags.map((f) => f.key).sort()).toEqual(['beta', 'pro-users'])
        for (const flag of flags) {
            expect(flag.active).toBe(true)
            expect(flag.filters.groups).toEqual([{ properties: [SEEN_FILTER(flag.key)], rollout_percentage: 30 }])
        }
        const second = await deploy(at(standIn.url, '--settings', file))
        expect(second.stderr).toBe('')
        expect(standIn.featureFlags().filter((f) => !f.deleted)).toHaveLength(2)
        expect(second.stdout).toContain('Kept the flag "pro-users" as it is')
    })

    it('keeps a flag the team edited, and says which condition lacks the seen filter', async () => {
        const file = settings({ interviewConfigs: 'pro-users=https://cal.com/a/30min' })
        expect((await deploy(at(standIn.url, '--settings', file))).code).toBe(0)
        const [flag] = standIn.featureFlags()
        const groups = [...flag.filters.groups, { properties: [{ key: 'plan', type: 'person', operator: 'exact', value: ['pro'] }], rollout_percentage: 100 }]
        const edited = await fetch(`${standIn.url}/api/projects/1/feature_flags/${flag.id}/`, {
            method: 'PATCH',
            headers: { Authorization: `Bearer ${FULL_KEY}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ filters: { ...flag.filters, groups } }),
        })
        expect(edited.status).toBe(200)
        const before = JSON.stringify(standIn.featureFlags())
        const result = await deploy(at(standIn.url, '--settings', file))
        expect(result.stderr).toBe('')
        expect(JSON.stringify(standIn.featureFlags())).toBe(before)
        expect(result.stdout).toContain('release condition 2 of 2 lacks the condition person property "Seen User Interview Invitation - pro-users" is not set')
    })

    it('finds the app again after the team renamed it in PostHog: one app, updated in place', async () => {
        const file = settings({ interviewConfigs: 'user-interview=https://cal.com/a/30min' })
        expect((await deploy(at(standIn.url, '--settings', file))).code).toBe(0)
        const [app] = siteApps()
        await editInPostHog(app.id, { name: 'Recruiting popup' })
        const second = await deploy(at(standIn.url, '--settings', settings({ invitationTitle: 'Got 30 minutes?' })))
        expect(second.stderr).toBe('')
        expect(siteApps()).toHaveLength(1)
        expect(siteApps()[0]).toMatchObject({ id: app.id, name: 'Recruiting popup' })
        expect(siteApps()[0].inputs.invitationTitle.value).toBe('Got 30 minutes?')
        expect(second.stdout).toContain(`Updated the site app "Recruiting popup" (id ${app.id})`)
    })

    it('a key without feature_flag:write fails before anything is written', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, '--settings', settings({ interviewConfigs: 'x=https://cal.com/a/b' })), NO_FLAG_SCOPE_KEY), /the key lacks scope feature_flag:write/)
        expect(apiWrites()).toHaveLength(0)
        expect(siteApps()).toHaveLength(0)
    })

    it('bad settings: every problem on its own line, exit 1, nothing sent', async () => {
        const result = await deploy(at(standIn.url, '--settings', settings({ interviewConfigs: 'pro-x=cal.com/acme/30min', maxShows: -3, zIndex: 1e12, thme: 'dark' })))
        expect(result.code).toBe(1)
        const lines = result.stderr.split('\n').filter(Boolean)
        expect(lines).toHaveLength(5)
        expect(lines[4]).toMatch(/4 problems in --settings .*: nothing was sent$/)
        expect(apiCalls()).toHaveLength(0)
    })

    it('refuses plain http to a host that is not loopback, before any request', async () => {
        expectOneLineFailure(await deploy(['--host', 'http://posthog.example.invalid', '--project', '1', '--settings', settings({ interviewConfigs: 'x=https://cal.com/a/b' })]), /plain http: the key would travel in clear/)
    })
})

describe('failures through the real CLI: exit 1, one line, nothing created', () => {
    const withConfigs = () => ['--settings', settings({ interviewConfigs: 'user-interview=https://cal.com/a/30min' })]

    it('no key', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, ...withConfigs()), null), /POSTHOG_PERSONAL_API_KEY is not set/)
        expect(standIn.requests().filter((r) => r.path.startsWith('/api/'))).toHaveLength(0)
    })

    it('a key PostHog does not know (401)', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, ...withConfigs()), 'phx_not_a_key_of_this_posthog_000'), /PostHog rejected the key/)
        expect(siteApps()).toHaveLength(0)
    })

    it('a key without hog_function scopes (403)', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, ...withConfigs()), NO_APP_SCOPE_KEY), /the key lacks scope hog_function:write/)
        expect(siteApps()).toHaveLength(0)
    })

    it('a read-only key (403 on the write check)', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, ...withConfigs()), READ_ONLY_KEY), /the key lacks scope hog_function:write/)
        expect(siteApps()).toHaveLength(0)
    })

    it('--insight with a key without insight:write fails before the site app is written', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, '--insight', ...withConfigs()), NO_INSIGHT_SCOPE_KEY), /insight:write/)
        expect(siteApps()).toHaveLength(0)
        expect(standIn.insights()).toHaveLength(0)
        expect(apiWrites()).toHaveLength(0)
    })

    it('--insight with hog_function:write and insight:read only: one line, and NOTHING is created', async () => {
        const result = await deploy(at(standIn.url, '--insight', ...withConfigs()), INSIGHT_READ_KEY)
        expectOneLineFailure(result, /^deploy: the key lacks scope insight:write \(PostHog: API key missing required scope 'insight:write'\): .*\(nothing was changed\)$/)
        expect(standIn.hogFunctions()).toEqual([])
        expect(standIn.insights()).toEqual([])
        expect(apiWrites()).toHaveLength(0)
    })

    it('a key limited to another project: one line naming the project, nothing created', async () => {
        expectOneLineFailure(await deploy(at(standIn.url, '--insight', ...withConfigs()), OTHER_PROJECT_KEY), /API key does not have access to the requested project: ID 1\..*\(nothing was changed\)$/)
        expect(standIn.hogFunctions()).toEqual([])
        expect(standIn.insights()).toEqual([])
    })

    it('a wrong project (404)', async () => {
        expectOneLineFailure(await deploy(['--host', standIn.url, '--project', '2', ...withConfigs()]), /project not found .* \(404/)
        expect(siteApps()).toHaveLength(0)
    })

    it('the first run without interviewConfigs', async () => {
        expectOneLineFailure(await deploy(at(standIn.url)), /interviewConfigs is required: pass it in --settings/)
        expect(apiWrites()).toHaveLength(0)
    })

    it('an unreachable host (a closed port)', async () => {
        const server = createServer()
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
        const { port } = server.address() as AddressInfo
        await new Promise((resolve) => server.close(resolve))
        expectOneLineFailure(await deploy(at(`http://127.0.0.1:${port}`, ...withConfigs())), new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`))
    })

    describe('a host that is not PostHog', () => {
        let server: Server
        const seen: string[] = []
        beforeAll(async () => {
            server = createServer((req, res) => {
                seen.push(`${req.method} ${req.url}`)
                res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
                res.end('<!doctype html><title>Our blog</title><h1>Welcome</h1>')
            })
            await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
        })
        afterAll(() => new Promise((resolve) => server.close(resolve)))

        it('answers HTML: one line, and nothing but GETs were sent', async () => {
            const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
            expectOneLineFailure(await deploy(at(host, '--insight', ...withConfigs())), new RegExp(`${host.replace(/\./g, '\\.')} did not answer like PostHog \\(HTTP 200, text/html`))
            expect(seen.length).toBeGreaterThan(0)
            expect(seen.every((line) => line.startsWith('GET '))).toBe(true)
        })
    })
})

describe('the key', () => {
    it('appears in no output of any run', () => {
        expect(outputs.length).toBeGreaterThan(10)
        for (const text of outputs) for (const key of KEYS) expect(text).not.toContain(key)
    })
})
