// Each interview's feature flag, through PostHog's feature flags API (posthog/api/feature_flag.py:
// `/api/projects/{id}/feature_flags/`, scope object `feature_flag`; a key is unique among a project's live flags (400
// `There is already a feature flag with this key.`, code `unique`, attr `key`) and only letters, digits, `-` and `_`
// (code `invalid_key`); `filters` is `{ groups: [{ properties, rollout_percentage, variant }], payloads, multivariate }`,
// a person property filter `{ key, type: "person", operator, value }`, and `is_not_set` takes the operator's name as its
// value, as PostHog's UI writes it). The list leaves deleted flags out.
//
// Deploy makes a flag only where none has the key, and never changes one that exists: the team may have narrowed it
// (plan, cohort) or edited it; it only says what is missing from it.

/** PostHog's rule for a flag key (FeatureFlagSerializer.validate_key). */
export const FLAG_KEY = /^[a-zA-Z0-9_-]+$/
export const DEFAULT_ROLLOUT = 20
export const FLAG_SCOPE = 'feature_flag:write'
/** An id no flag has (flag ids start at 1), for the write check. */
export const PROBE_FLAG_ID = 0

/** The person property that stops a flag from inviting someone again, as the app sets it. */
export function seenProperty(seenName, flag) {
    return `${seenName} - ${flag}`
}

/** The seen condition: the person has not answered this interview's invitation. */
export function seenFilter(seenName, flag) {
    return { key: seenProperty(seenName, flag), type: 'person', operator: 'is_not_set', value: 'is_not_set' }
}

/** The create body of an interview's flag: the seen condition in its one release condition, `rollout` % of people. */
export function flagBody(flag, seenName, rollout) {
    return {
        key: flag,
        name: `User interview "${flag}" (made by User Interviewer's deploy: narrow the audience here, keep the "${seenProperty(seenName, flag)}" condition)`,
        active: true,
        filters: { groups: [{ properties: [seenFilter(seenName, flag)], rollout_percentage: rollout }], payloads: {}, multivariate: null },
    }
}

/** Problems PostHog would refuse a flag for, before anything is sent: one line per interview flag. */
export function flagKeyProblems(flags) {
    return flags
        .filter((flag) => !FLAG_KEY.test(flag))
        .map((flag) => `interviewConfigs: flag "${flag}": PostHog's flag keys take only letters, digits, - and _ (rename it, e.g. "${flag.replace(/[^a-zA-Z0-9_-]+/g, '-')}", or pass --no-flags and make the flag yourself)`)
}

/** Whether a release condition has the seen filter (the key exactly, a person property, is_not_set). */
function hasSeenFilter(group, property) {
    const properties = Array.isArray(group?.properties) ? group.properties : []
    return properties.some((p) => p && p.key === property && (p.type ?? 'person') === 'person' && p.operator === 'is_not_set')
}

/**
 * What deploy says of an existing flag, which it leaves as it is: each release condition without the seen filter,
 * and how to add it.
 * @returns {string[]} lines, empty when the flag is as it should be
 */
export function existingFlagNotes(flag, seenName) {
    const property = seenProperty(seenName, flag.key)
    const groups = Array.isArray(flag?.filters?.groups) ? flag.filters.groups : []
    const lacking = groups.map((group, i) => (hasSeenFilter(group, property) ? 0 : i + 1)).filter(Boolean)
    const notes = []
    if (!groups.length || lacking.length) {
        const which = groups.length ? `release condition${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} of ${groups.length} lack${lacking.length > 1 ? '' : 's'}` : 'it has no release condition with'
        notes.push(
            `  Flag "${flag.key}" (kept as it is): ${which} the condition person property "${property}" is not set, so it would invite again people who already answered.`,
            `    Fix it in PostHog: Feature flags > ${flag.key} > Release conditions > in each condition, add a person property filter "${property}" > is not set.`,
        )
    }
    if (flag.active === false) notes.push(`  Flag "${flag.key}" is off: nobody is invited until it is switched on in PostHog.`)
    return notes
}

/** A flag's JSON payload for its `true` value, parsed (PostHog keeps payloads as JSON text); {} when none or not JSON. */
export function flagPayload(flag) {
    const raw = flag?.filters?.payloads?.true
    if (raw && typeof raw === 'object') return raw
    try {
        const parsed = typeof raw === 'string' ? JSON.parse(raw) : null
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
    } catch {
        return {}
    }
}

/**
 * The flag step of deploy: for each interview flag, the flag PostHog has (kept) or the body to create.
 * @param {string[]} flags the interview flags, in order
 * @param {any[]} existing every live flag of the project
 * @param {string} seenName the configured userPropertyNameSeenUserInterview
 * @param {number} rollout
 */
export function planFlags(flags, existing, seenName, rollout) {
    const byKey = new Map(existing.filter((f) => f && typeof f.key === 'string').map((f) => [f.key, f]))
    return flags.map((flag) => (byKey.has(flag) ? { flag, existing: byKey.get(flag) } : { flag, create: flagBody(flag, seenName, rollout) }))
}

/** The scheduled end a flag cannot be given with a personal API key: what deploy says instead. */
export function endDateNote(endDate) {
    return [
        `  endDate ${endDate}: the app stops inviting after that day (the visitor's local time), in both forms.`,
        "    PostHog's scheduled flag changes (posthog/api/scheduled_change.py) do not accept personal API keys (scope_object INTERNAL),",
        '    so the flags stay on: to switch one off on that day as well, schedule it in PostHog (the flag > Schedule changes).',
    ]
}
