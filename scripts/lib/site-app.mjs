// The site app (a HogFunction of type site_app) and the funnel insight, as deploy creates, finds and updates them.
//
// - posthog/api/hog_function.py: `/api/projects/{id}/hog_functions/`, scope object `hog_function`; the list takes
//   `?type=` and answers the minimal serializer (no `inputs`, but `hog`), so the app is read again by id for its
//   values; a PATCH validates `inputs` against the `inputs_schema` it is sent (posthog/cdp/validation.py).
// - posthog/api/insight.py: `/api/projects/{id}/insights/`, scope object `insight`; the list takes `?search=` and
//   `?basic=true`; a `query` is validated against the query schema (InsightVizNode > FunnelsQuery).
// - frontend/src/scenes/urls.ts: `/project/{id}/functions/{id}`, `/project/{id}/insights/{short_id}`.

/**
 * How deploy knows the app after a team renamed it: a text its source always holds (the window event the popup fires,
 * part of the app's public contract since 2022). PostHog keeps `hog` as sent and lists it even in the minimal
 * serializer; a team renames an app (name, description) in the UI but does not edit its source, and deploy replaces
 * the source anyway. Not `template_id`: it is write-only there, and for a source that is no PostHog template the read
 * gives `template: null`. Not the name, which the team edits, nor an id kept on the team's machine (a CI run has none).
 */
export const APP_MARKER = 'PHUserInterviewBoxOpened'
export const APP_SCOPE = 'hog_function:write'
export const INSIGHT_SCOPE = 'insight:write'
/** Ids no object has, for the write checks: the nil uuid (hog function ids are uuids) and 0 (insight ids start at 1). */
export const PROBE_APP_ID = '00000000-0000-0000-0000-000000000000'
export const PROBE_INSIGHT_ID = 0

export const INSIGHT_NAME = 'User Interviewer: shown → clicked → booked'
export const INSIGHT_DESCRIPTION =
    'Visitors the User Interviewer popup was shown to, who clicked its book button, and who booked, per feature flag. ' +
    'Made by `npm run deploy -- --insight`; a new run updates it.'
/** Event names the funnel counts, as the app's settings name them (defaults in the inputs_schema). */
export const FUNNEL_EVENT_KEYS = ['shownUserInterviewPopupEvent', 'clickBookButtonEvent', 'bookedUserInterviewEvent']
export const FALLBACK_EVENTS = ['User Interview Shown Pop Up', 'User Interview Clicked Book Button', 'User Interview Booked']

/** The project's User Interviewer apps among its site apps (the minimal list): by the marker in their source. */
export function ourApps(apps) {
    return apps.filter((app) => app && (app.type ?? 'site_app') === 'site_app' && typeof app.hog === 'string' && app.hog.includes(APP_MARKER))
}

/** The app's create body. */
export function createBody(build, inputs) {
    return { type: 'site_app', name: build.name, description: build.description, hog: build.hog, inputs_schema: build.inputs_schema, inputs, enabled: true }
}

/**
 * The app's update body: code and schema as built; inputs merged. The name and description are the team's (they may
 * have renamed it), as is `enabled`.
 */
export function updateBody(build, inputs) {
    return { hog: build.hog, inputs_schema: build.inputs_schema, inputs }
}

/** A body for printing: the hog's length, not its content; inputs by key. */
export function summarise(body) {
    if (!body || typeof body !== 'object') return ''
    return Object.entries(body)
        .map(([key, value]) => {
            if (key === 'hog') return `hog: ${String(value).length} chars`
            if (key === 'inputs_schema') return `inputs_schema: ${value.length} inputs`
            if (key === 'inputs') return `inputs: ${Object.keys(value).join(', ') || 'none'}`
            if (key === 'description') return `description: ${String(value).length} chars`
            return `${key}: ${JSON.stringify(value)}`
        })
        .join(', ')
}

/**
 * The saved insight's query: a funnel of the three events, broken down by the flag each was captured for.
 * @param {string[]} events shown, clicked, booked
 */
export function funnelQuery(events) {
    return {
        kind: 'InsightVizNode',
        source: {
            kind: 'FunnelsQuery',
            series: events.map((event) => ({ kind: 'EventsNode', event, name: event })),
            funnelsFilter: {
                funnelVizType: 'steps',
                funnelOrderType: 'ordered',
                funnelWindowInterval: 14,
                funnelWindowIntervalUnit: 'day',
            },
            breakdownFilter: { breakdown_type: 'event', breakdown: 'featureFlagName' },
            dateRange: { date_from: '-30d' },
        },
    }
}

/**
 * The write checks, when the key may not read its own scopes: a PATCH of `{}` to an id no object has.
 * @param {string} api the project's API path (or URL)
 * @param {{ insight: boolean, flags: boolean }} needs
 */
export function writeProbes(api, { insight, flags }) {
    return [
        { scope: APP_SCOPE, path: `${api}/hog_functions/${PROBE_APP_ID}/`, what: `the ${APP_SCOPE} check (a PATCH of no app)` },
        ...(flags ? [{ scope: 'feature_flag:write', path: `${api}/feature_flags/0/`, what: 'the feature_flag:write check (a PATCH of no flag)' }] : []),
        ...(insight ? [{ scope: INSIGHT_SCOPE, path: `${api}/insights/${PROBE_INSIGHT_ID}/`, what: `the ${INSIGHT_SCOPE} check (a PATCH of no insight)` }] : []),
    ]
}
