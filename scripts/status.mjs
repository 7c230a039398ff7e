// `npm run status -- --host <PostHog URL> --project <id> [--since <date>] [--stop-at-target] [--json]`
//
// Per interview of the User Interviewer site app: shown, clicked and booked (PostHog's query API), the people who
// booked (when, the booking tool and its id, a link to the person in PostHog), and how far from its target
// (targetBookings: the flag payload's, else the app's setting). With --stop-at-target, each flag whose bookings
// reached its target is switched off (`PATCH /api/projects/{id}/feature_flags/{id}/` `{ active: false }`,
// posthog/api/feature_flag.py); without it, no flag is touched. Reads: the site app (hog_function:read), the flags
// (feature_flag:read; :write with --stop-at-target, checked before the first write) and the query API (query:read).
//
// Plain Node 20, no dependencies. `main(argv, env, io)` runs in-process for tests.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bookersQuery, buildReport, countsQuery, interviewsOf, reportLines, rowsOf, since } from './lib/campaign.mjs'
import { CliError, oneLine, parseHost, parseProject, readKey, runAsScript, runCommand } from './lib/cli.mjs'
import { FLAG_SCOPE } from './lib/flags.mjs'
import { checkScopes, postHogClient } from './lib/posthog-api.mjs'
import { interviewFlags } from './lib/settings.mjs'
import { ourApps } from './lib/site-app.mjs'

const READ_SCOPES = 'hog_function:read, feature_flag:read and query:read'
const EVENT_DEFAULTS = {
    shown: ['shownUserInterviewPopupEvent', 'User Interview Shown Pop Up'],
    clicked: ['clickBookButtonEvent', 'User Interview Clicked Book Button'],
    booked: ['bookedUserInterviewEvent', 'User Interview Booked'],
}

export const USAGE = `Usage: npm run status -- --host <PostHog URL> --project <project id> [options]

For each interview of the User Interviewer site app: how many were shown the invitation, clicked Book and booked, who
booked, and how far from its target (targetBookings). Needs a personal API key in POSTHOG_PERSONAL_API_KEY with the
scopes ${READ_SCOPES} (feature_flag:write with --stop-at-target).

Options:
  --host <url>        Your PostHog over https (http only for localhost)
  --project <id>      The project's id (the number in /project/<id>/ in PostHog's address bar)
  --since <when>      Count events from then: an ISO date (2026-11-01) or PostHog's relative form (-30d). Default: when
                      the oldest interview flag was made
  --stop-at-target    Switch off each interview flag whose bookings reached its target (and only those)
  --json              The same, as JSON for scripts
  -h, --help          Show this help`

/** @param {string[]} argv */
export function parseArguments(argv) {
    let values
    try {
        ;({ values } = parseArgs({
            args: argv,
            options: {
                host: { type: 'string' },
                project: { type: 'string' },
                since: { type: 'string' },
                'stop-at-target': { type: 'boolean', default: false },
                json: { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
            strict: true,
            allowPositionals: false,
        }))
    } catch (error) {
        throw new CliError(`${oneLine(error instanceof Error ? error.message : String(error))} (see --help)`)
    }
    if (values.help) return { help: true }
    const problems = []
    const attempt = (read) => {
        try {
            return read()
        } catch (error) {
            problems.push(error instanceof Error ? error.message : String(error))
            return undefined
        }
    }
    const host = attempt(() => parseHost(values.host))
    const project = attempt(() => parseProject(values.project))
    const sinceValue = values.since === undefined ? undefined : attempt(() => parseSince(values.since))
    if (problems.length) throw new CliError(problems[0], problems)
    return { help: false, host, project, since: sinceValue, stopAtTarget: !!values['stop-at-target'], json: !!values.json }
}

/** An ISO date (or date-time) or a relative `-30d` / `-12h` / `-2w` / `-3m`. */
export function parseSince(raw) {
    const text = raw.trim()
    if (/^-\d+[hdwmy]$/.test(text) || (/^\d{4}-\d\d-\d\d([T ][\d:.]+Z?)?$/.test(text) && !Number.isNaN(Date.parse(text)))) return text
    throw new CliError(`--since must be a date (2026-11-01) or a relative time (-30d, -12h), not ${JSON.stringify(raw)}`)
}

/**
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @param {{ fetch?: typeof fetch, stdout?: { write(s: string): unknown }, stderr?: { write(s: string): unknown } }} [io]
 */
export function main(argv, env, io = {}) {
    return runCommand('status', env, io, async (out) => {
        const options = parseArguments(argv)
        if (options.help) {
            out(USAGE)
            return 0
        }
        const key = readKey(env, options.stopAtTarget ? `${READ_SCOPES} and feature_flag:write` : READ_SCOPES)
        const client = postHogClient({ host: options.host, key, fetch: io.fetch ?? globalThis.fetch })
        const report = await status(client, options)
        if (options.json) out(JSON.stringify(report, null, 2))
        else for (const text of reportLines(report)) out(text)
        return 0
    })
}

/** The app's values, as PostHog holds them: `{ key: value }`. */
async function appSettings(client, api) {
    const apps = ourApps(await client.list(`${api}/hog_functions/?type=site_app`, { scope: 'hog_function:read', what: 'the list of site apps' }))
    if (!apps.length) throw new CliError('this project has no User Interviewer site app: run npm run deploy first')
    if (apps.length > 1) throw new CliError(`${apps.length} site apps in this project are User Interviewer (ids ${apps.map((a) => a.id).join(', ')}): delete all but one in PostHog`)
    const app = await client.request('GET', `${api}/hog_functions/${encodeURIComponent(apps[0].id)}/`, { scope: 'hog_function:read', what: 'the site app' })
    const values = {}
    for (const [name, input] of Object.entries(app?.inputs ?? {})) if (input && typeof input === 'object' && 'value' in input) values[name] = input.value
    return values
}

/** Reads everything, then (with --stop-at-target) switches off the flags at their target. */
async function status(client, options) {
    const { host, project } = options
    const api = `/api/projects/${project}`
    const settings = await appSettings(client, api)
    const flags = await client.list(`${api}/feature_flags/`, { scope: 'feature_flag:read', what: 'the list of feature flags' })
    const configured = (await interviewFlags(settings.interviewConfigs)).map((c) => c.flag)
    const interviews = interviewsOf(configured, settings, flags)
    const events = {}
    for (const [name, [setting, fallback]] of Object.entries(EVENT_DEFAULTS)) {
        events[name] = typeof settings[setting] === 'string' && settings[setting].trim() ? settings[setting] : fallback
    }
    const after = options.since ?? since(interviews)
    const query = async (body, what) => {
        const rows = rowsOf(await client.request('POST', `${api}/query/`, { body: { query: body }, scope: 'query:read', what }))
        if (!rows) throw new CliError(`${host} did not answer like PostHog (no results rows for ${what}): check --host`)
        return rows
    }
    const counts = await query(countsQuery(after), 'the events query (shown, clicked, booked)')
    const bookers = await query(bookersQuery(events.booked, after), 'the bookers query')
    const report = buildReport({ host, project, after, interviews, events, counts, bookers })
    if (options.stopAtTarget) await stopAtTarget(client, options, report)
    return report
}

/** Switches off every active flag at its target; none before. The scope is checked before the first write. */
async function stopAtTarget(client, { host, project }, report) {
    const due = report.interviews.filter((i) => i.reached && i.active && i.flagId !== null)
    if (!due.length) return
    const api = `/api/projects/${project}`
    await checkScopes(client, host, [{ scope: FLAG_SCOPE, path: `${api}/feature_flags/0/`, what: `the ${FLAG_SCOPE} check (a PATCH of no flag)` }])
    for (const interview of due) {
        const already = report.interviews.filter((i) => i.stopped).map((i) => `"${i.flag}"`)
        const before = already.length ? ` (already switched off: ${already.join(', ')})` : ''
        let flag
        try {
            flag = await client.request('PATCH', `${api}/feature_flags/${encodeURIComponent(interview.flagId)}/`, {
                body: { active: false },
                scope: FLAG_SCOPE,
                what: `switching off the flag "${interview.flag}"`,
            })
        } catch (error) {
            if (error instanceof CliError) throw new CliError(`${error.message}${before}`)
            throw error
        }
        if (!flag || flag.active !== false) throw new CliError(`${host} did not switch off the flag "${interview.flag}" (its answer is not active: false): check it in PostHog${before}`)
        interview.active = false
        interview.stopped = true
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runAsScript(main)
