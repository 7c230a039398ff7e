// `npm run deploy -- --host <PostHog URL> --project <id> [--settings file.json] [--rollout 20] [--no-flags] [--insight] [--dry-run]`
//
// Checks every --settings value with the app's own parser (all problems at once; nothing sent), then, through PostHog's
// REST API: creates the User Interviewer site app (a HogFunction of type `site_app`) or updates the one already there
// in place (found by its source, so also after a rename: scripts/lib/site-app.mjs), keeping the values the team set in
// PostHog except the keys given; creates each interview's feature flag that does not exist yet, with the seen-property
// condition (scripts/lib/flags.mjs), and never changes one that does; with --insight, the funnel insight.
// Every scope it needs is checked before the first write (scripts/lib/posthog-api.mjs checkScopes).
//
// Plain Node 20 (fetch, parseArgs), no dependencies. `main(argv, env, io)` runs in-process for tests.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CliError, oneLine, parseHost, parseProject, readKey, runAsScript, runCommand } from './lib/cli.mjs'
import { DEFAULT_ROLLOUT, endDateNote, existingFlagNotes, FLAG_SCOPE, flagKeyProblems, planFlags, seenProperty } from './lib/flags.mjs'
import { checkScopes, postHogClient } from './lib/posthog-api.mjs'
import { checkedInputs, checkRequired, interviewFlags, loadBuild, loadSettings, mergeInputs, settingsWarnings, settingValue } from './lib/settings.mjs'
import {
    APP_MARKER,
    APP_SCOPE,
    createBody,
    FALLBACK_EVENTS,
    FUNNEL_EVENT_KEYS,
    funnelQuery,
    INSIGHT_DESCRIPTION,
    INSIGHT_NAME,
    INSIGHT_SCOPE,
    ourApps,
    summarise,
    updateBody,
    writeProbes,
} from './lib/site-app.mjs'

export { errorDetail } from './lib/posthog-api.mjs'
export { parseHost } from './lib/cli.mjs'
export { funnelQuery, INSIGHT_NAME } from './lib/site-app.mjs'
const SEEN_DEFAULT = 'Seen User Interview Invitation'

export const USAGE = `Usage: npm run deploy -- --host <PostHog URL> --project <project id> [options]

Checks your settings with the app's own rules, then creates the User Interviewer site app in a PostHog project, or
updates the one already there (its code and schema; the values your team set in PostHog are kept), and creates each
interview's feature flag that does not exist yet. Needs a personal API key in POSTHOG_PERSONAL_API_KEY with the scopes
hog_function:write and feature_flag:write (and insight:write with --insight).

Options:
  --host <url>        Your PostHog over https, e.g. https://us.posthog.com, https://eu.posthog.com or your own instance
                      (http only for localhost)
  --project <id>      The project's id (the number in /project/<id>/ in PostHog's address bar)
  --settings <file>   A JSON object of settings keyed like plugin.json, e.g. {"interviewConfigs": "flag=https://..."};
                      these replace the app's values, the others are kept. Required when the app is created:
                      interviewConfigs. Every value is checked first; any problem stops the deploy, nothing sent
  --rollout <0-100>   The share of people a new interview flag is released to, in % (default ${DEFAULT_ROLLOUT}); existing flags
                      are never changed
  --no-flags          Make no feature flag (you make them yourself)
  --insight           Also create or update the funnel insight "${INSIGHT_NAME}"
  --dry-run           Print the requests and send nothing (no key or network needed)
  -h, --help          Show this help`

/** @typedef {{ host: string, project: number, settingsFile?: string, insight: boolean, dryRun: boolean, help: boolean, rollout: number, flags: boolean }} Options */

/**
 * @param {string[]} argv arguments after the script name
 * @returns {Options}
 */
export function parseArguments(argv) {
    let values
    try {
        ;({ values } = parseArgs({
            args: argv,
            options: {
                host: { type: 'string' },
                project: { type: 'string' },
                settings: { type: 'string' },
                rollout: { type: 'string' },
                'no-flags': { type: 'boolean', default: false },
                insight: { type: 'boolean', default: false },
                'dry-run': { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
            strict: true,
            allowPositionals: false,
        }))
    } catch (error) {
        throw new CliError(`${oneLine(error instanceof Error ? error.message : String(error))} (see --help)`)
    }
    if (values.help) return { host: '', project: 0, insight: false, dryRun: false, help: true, rollout: DEFAULT_ROLLOUT, flags: false }
    // Every argument checked, every problem said at once.
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
    const rollout = attempt(() => parseRollout(values.rollout))
    if (problems.length) throw new CliError(problems[0], problems)
    return {
        host,
        project,
        ...(values.settings !== undefined ? { settingsFile: values.settings } : {}),
        insight: !!values.insight,
        dryRun: !!values['dry-run'],
        help: false,
        rollout,
        flags: !values['no-flags'],
    }
}

/** A whole percentage, 0 to 100. */
export function parseRollout(raw) {
    if (raw === undefined) return DEFAULT_ROLLOUT
    const n = Number(raw)
    if (!/^\s*\d+\s*$/.test(raw) || n > 100) throw new CliError(`--rollout must be a whole percentage from 0 to 100, not ${JSON.stringify(raw)}`)
    return n
}

/** The funnel's event names: as set (--settings, then the app's values), else the schema defaults. */
export function funnelEvents(schema, inputs) {
    return FUNNEL_EVENT_KEYS.map((key, i) => settingValue(schema, inputs, key, FALLBACK_EVENTS[i]))
}

const line = (method, url, note) => `  ${method.padEnd(5)} ${url}${note ? `  (${note})` : ''}`

/** The dry run's text: every request a real run may send, with the branch it depends on. */
export async function dryRunLines({ options, build, given, hasKey }) {
    const api = `${options.host}/api/projects/${options.project}`
    const needed = [APP_SCOPE, ...(options.flags ? [FLAG_SCOPE] : []), ...(options.insight ? [INSIGHT_SCOPE] : [])].join(' and ')
    const lines = [`Dry run: nothing is sent.${hasKey ? '' : ' POSTHOG_PERSONAL_API_KEY is not set: not needed for a dry run, a real run needs it.'}`, '', 'The key check first (changes nothing):']
    lines.push(line('GET', `${options.host}/api/personal_api_keys/@current/`, `the key's scopes: check it has ${needed}`))
    lines.push('        If the key may not read itself (no personal_api_key:read: 403), a write that finds nothing instead:')
    for (const probe of writeProbes(api, options)) lines.push(line('PATCH', probe.path, `body {}: 404 if the key has ${probe.scope}, 403 if not`))
    lines.push('', 'Then the reads:')
    lines.push(line('GET', `${api}/hog_functions/?type=site_app`, `find the site app: the one whose source holds "${APP_MARKER}", whatever its name`))
    if (options.flags) lines.push(line('GET', `${api}/feature_flags/`, 'find the flags of the interviews'))
    if (options.insight) lines.push(line('GET', `${api}/insights/?basic=true&search=${encodeURIComponent('User Interviewer')}`, `find the insight named "${INSIGHT_NAME}"`))
    lines.push('', 'If there is no such app:')
    lines.push(line('POST', `${api}/hog_functions/`, summarise(createBody(build, given))))
    if (!given.interviewConfigs) lines.push('        (would stop before this: interviewConfigs is required to create the app, pass it in --settings)')
    lines.push('', 'If there is one (several: it stops and says so):')
    lines.push(line('GET', `${api}/hog_functions/{id}/`, 'read the values the team set'))
    const replaced = Object.keys(given).length ? `, with ${Object.keys(given).join(', ')} replaced` : ''
    lines.push(line('PATCH', `${api}/hog_functions/{id}/`, `${summarise({ hog: build.hog, inputs_schema: build.inputs_schema })}, inputs: the app's values${replaced}`))
    if (options.flags) lines.push(...(await dryRunFlagLines(api, options, build, given)))
    if (options.insight) {
        const events = funnelEvents(build.inputs_schema, given)
        const body = { name: INSIGHT_NAME, description: INSIGHT_DESCRIPTION, query: funnelQuery(events), saved: true }
        lines.push('', "Then the insight (events as set in --settings, else the app's values, else the defaults):")
        lines.push(line('POST', `${api}/insights/`, `if none: ${summarise(body)}`))
        lines.push(line('PATCH', `${api}/insights/{id}/`, 'if one: name, description, query as above'))
    }
    return lines
}

/** The dry run's flag step: one POST per interview flag that PostHog does not have yet. */
async function dryRunFlagLines(api, options, build, given) {
    const flags = await interviewFlags(given.interviewConfigs?.value)
    const seenName = settingValue(build.inputs_schema, given, 'userPropertyNameSeenUserInterview', SEEN_DEFAULT)
    const lines = ['', `Then the flags (each made only if the project has no flag with its key; an existing flag is never changed):`]
    for (const step of planFlags(flags.map((c) => c.flag), [], seenName, options.rollout)) lines.push(line('POST', `${api}/feature_flags/`, `if no flag "${step.flag}": ${JSON.stringify(step.create)}`))
    if (!flags.length) lines.push("        (the interviews of interviewConfigs: given in --settings, else the app's values in PostHog)")
    const endDate = given.endDate?.value
    if (typeof endDate === 'string' && endDate) lines.push(...endDateNote(endDate))
    return lines
}

/** What the team still has to do in PostHog and on its site. */
export function leftToDo(flags, { made }) {
    const example = flags[0] ?? 'user-interview'
    return [
        'What is left to do:',
        made
            ? '  1. In PostHog, narrow each new flag to the people you want to invite (plan, cohort), keeping its "is not set" condition.'
            : `  1. Create a feature flag per interview${flags.length ? ` (${flags.join(', ')})` : ''}, each with the condition person property "{seen property} - {flag}" is not set.`,
        "  2. On your site, opt in to site apps: posthog.init('<project API key>', { api_host: ..., opt_in_site_apps: true }).",
        `  3. Preview the popup on your site without a flag: open any page with ?userInterviewPreview=${example}`,
        '  4. Follow the campaign: npm run status -- --host ... --project ... (docs/campaign.md)',
    ]
}

/**
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @param {{ fetch?: typeof fetch, stdout?: { write(s: string): unknown }, stderr?: { write(s: string): unknown }, buildFile?: string }} [io]
 * @returns {Promise<number>} the exit code
 */
export function main(argv, env, io = {}) {
    return runCommand('deploy', env, io, async (out) => {
        const options = parseArguments(argv)
        if (options.help) {
            out(USAGE)
            return 0
        }
        const build = await loadBuild(io.buildFile)
        if (!build.hog.includes(APP_MARKER)) throw new CliError(`the build's source lacks "${APP_MARKER}": run npm run build again`)
        const settings = options.settingsFile ? await loadSettings(options.settingsFile) : {}
        const flagProblems = options.flags ? flagKeyProblems((await interviewFlags(settings.interviewConfigs)).map((c) => c.flag)) : []
        const given = options.settingsFile ? await checkedInputs(build.inputs_schema, settings, options.settingsFile, flagProblems) : {}
        for (const warning of await settingsWarnings(settings)) out(`Warning: --settings ${options.settingsFile}: ${warning}`)
        if (options.dryRun) {
            for (const text of await dryRunLines({ options, build, given, hasKey: !!(env.POSTHOG_PERSONAL_API_KEY ?? '').trim() })) out(text)
            out()
            for (const text of leftToDo((await interviewFlags(given.interviewConfigs?.value)).map((c) => c.flag), { made: options.flags })) out(text)
            return 0
        }
        const scopes = [APP_SCOPE, ...(options.flags ? [FLAG_SCOPE] : []), ...(options.insight ? [INSIGHT_SCOPE] : [])].join(' and ')
        const key = readKey(env, scopes)
        await deploy(options, build, given, { client: postHogClient({ host: options.host, key, fetch: io.fetch ?? globalThis.fetch }), out })
        return 0
    })
}

/** The reads: the app (by its marker), its values, the flags, the insight. Nothing is written here. */
async function readState(client, options, build, given) {
    const { host, project } = options
    const api = `/api/projects/${project}`
    const apps = ourApps(await client.list(`${api}/hog_functions/?type=site_app`, { scope: APP_SCOPE, what: 'the list of site apps' }))
    if (apps.length > 1) {
        const named = apps.map((a) => `"${a.name}" (id ${a.id})`).join(', ')
        throw new CliError(`${apps.length} site apps in project ${project} are User Interviewer (${named}): delete all but one in PostHog, then run again (nothing was changed)`)
    }
    const existing = apps[0] ? await client.request('GET', `${api}/hog_functions/${encodeURIComponent(apps[0].id)}/`, { scope: APP_SCOPE, what: 'the site app' }) : null
    if (existing && (typeof existing !== 'object' || existing.id === undefined)) throw new CliError(`${host} did not answer like PostHog (no id for the site app): check --host`)
    const inputs = existing ? mergeInputs(build.inputs_schema, existing.inputs ?? {}, given) : given
    checkRequired(build.inputs_schema, inputs)

    const interviews = (await interviewFlags(inputs.interviewConfigs?.value)).map((c) => c.flag)
    const badKeys = options.flags ? flagKeyProblems(interviews) : []
    if (badKeys.length) throw new CliError(badKeys[0], [...badKeys.map((text) => `${text} (in the app's values in PostHog)`), 'nothing was changed'])
    const flags = options.flags ? await client.list(`${api}/feature_flags/`, { scope: FLAG_SCOPE, what: 'the list of feature flags' }) : []

    let insight = null
    if (options.insight) {
        const found = await client.list(`${api}/insights/?basic=true&search=${encodeURIComponent('User Interviewer')}`, { scope: INSIGHT_SCOPE, what: 'the list of insights' })
        const named = found.filter((item) => item && item.name === INSIGHT_NAME && !item.deleted)
        if (named.length > 1) {
            throw new CliError(`${named.length} insights are named "${INSIGHT_NAME}" in project ${project} (short ids ${named.map((i) => i.short_id).join(', ')}): delete or rename all but one, then run again (nothing was changed)`)
        }
        insight = named[0] ?? null
    }
    // Values the team set for keys this build no longer has: PostHog would refuse them, so they go, named.
    const keys = new Set(build.inputs_schema.map((field) => field.key))
    const dropped = existing ? Object.keys(existing.inputs ?? {}).filter((key) => !keys.has(key)) : []
    return { existing, inputs, interviews, flags, insight, dropped }
}

/** The real run: the key check, every read, then the writes, then the report. */
async function deploy(options, build, given, { client, out }) {
    const { host, project } = options
    const api = `/api/projects/${project}`
    await checkScopes(client, host, writeProbes(api, options))
    const { existing, inputs, interviews, flags, insight, dropped } = await readState(client, options, build, given)

    const app = existing
        ? await client.request('PATCH', `${api}/hog_functions/${encodeURIComponent(existing.id)}/`, { body: updateBody(build, inputs), scope: APP_SCOPE, what: 'the site app update' })
        : await client.request('POST', `${api}/hog_functions/`, { body: createBody(build, inputs), scope: APP_SCOPE, what: 'the new site app' })
    if (!app || typeof app !== 'object' || app.id === undefined) throw new CliError(`${host} did not answer like PostHog (no id for the site app): check --host`)
    const appUrl = `${host}/project/${project}/functions/${encodeURIComponent(app.id)}`
    const kept = existing ? `: code and schema replaced, your values kept${Object.keys(given).length ? ` except ${Object.keys(given).join(', ')}` : ''}` : ''
    const report = [`${existing ? 'Updated' : 'Created'} the site app "${app.name ?? build.name}" (id ${app.id}) in project ${project}${kept}.`, `  ${appUrl}`]
    if (dropped.length) report.push(`  Dropped the app's values of ${dropped.join(', ')}: ${dropped.length > 1 ? 'they are' : 'it is'} no longer a setting of this app.`)
    // What is already made, for a later write's failure to say.
    const made = []
    const done = () => [`the site app is ${existing ? 'updated' : 'created'} (${appUrl})`, ...made.map((flag) => `the flag "${flag}" created`)].join(', ')

    if (options.flags) {
        const seenName = settingValue(build.inputs_schema, inputs, 'userPropertyNameSeenUserInterview', SEEN_DEFAULT)
        for (const step of planFlags(interviews, flags, seenName, options.rollout)) {
            if (step.existing) {
                report.push(`Kept the flag "${step.flag}" as it is (id ${step.existing.id}).`, ...existingFlagNotes(step.existing, seenName))
                continue
            }
            const flag = await writeAfter(done, () => client.request('POST', `${api}/feature_flags/`, { body: step.create, scope: FLAG_SCOPE, what: `the new flag "${step.flag}"` }))
            made.push(step.flag)
            report.push(
                `Created the flag "${step.flag}" (id ${flag?.id}): ${options.rollout}% of people whose "${seenProperty(seenName, step.flag)}" is not set.`,
                `  ${host}/project/${project}/feature_flags/${encodeURIComponent(flag?.id)}`,
            )
        }
        const endDate = inputs.endDate?.value
        if (typeof endDate === 'string' && endDate) report.push(...endDateNote(endDate))
    }

    if (options.insight) {
        const body = { name: INSIGHT_NAME, description: INSIGHT_DESCRIPTION, query: funnelQuery(funnelEvents(build.inputs_schema, inputs)) }
        const saved = await writeAfter(done, async () => {
            const reply = insight
                ? await client.request('PATCH', `${api}/insights/${encodeURIComponent(insight.id)}/`, { body, scope: INSIGHT_SCOPE, what: 'the insight update' })
                : await client.request('POST', `${api}/insights/`, { body: { ...body, saved: true }, scope: INSIGHT_SCOPE, what: 'the new insight' })
            if (!reply || typeof reply !== 'object' || !reply.short_id) throw new CliError(`${host} did not answer like PostHog (no short_id for the insight): check --host`)
            return reply
        })
        report.push(`${insight ? 'Updated' : 'Created'} the insight "${INSIGHT_NAME}".`, `  ${host}/project/${project}/insights/${encodeURIComponent(saved.short_id)}`)
    }
    for (const text of [...report, '', ...leftToDo(interviews, { made: made.length > 0 })]) out(text)
}

/** A write after the app's: a failure says what was already made (`done()`). */
async function writeAfter(done, write) {
    try {
        return await write()
    } catch (error) {
        if (error instanceof CliError) throw new CliError(`${done()}, but then: ${error.message}`)
        throw error
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runAsScript(main)
