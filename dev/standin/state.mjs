// The stand-in's state: one object every room reads and writes (what PostHog keeps in Postgres and ClickHouse for
// one project: persons, events, flags, stored API objects; plus the stand-in's own settings and request log).
import { join } from 'node:path'
import { DELIVERIES, root } from './http.mjs'

/** The personal API key every stand-in knows unless `personalApiKeys` says otherwise, and its scopes. */
export const DEFAULT_PERSONAL_API_KEY = 'phx_standin_personal_key'
export const DEFAULT_PERSONAL_API_KEY_SCOPES = Object.freeze([
    'hog_function:read', 'hog_function:write', 'insight:read', 'insight:write', 'feature_flag:read', 'feature_flag:write', 'query:read',
])

/**
 * @param {import('../posthog-standin.d.mts').StandInOptions} options
 */
export function createState(options) {
    const initial = {
        settings: { ...(options.settings ?? {}) },
        flags: { ...(options.flags ?? {}) },
        delivery: options.delivery ?? 'inline',
        templating: options.templating ?? 'honour',
    }
    if (!DELIVERIES.includes(initial.delivery)) throw new Error(`delivery must be one of ${DELIVERIES.join(', ')}, got ${initial.delivery}`)
    if (initial.templating !== 'honour' && initial.templating !== 'ignore') throw new Error(`templating must be 'honour' or 'ignore', got ${initial.templating}`)
    return {
        token: options.token ?? 'phc_standin_local_token',
        host: options.host ?? '127.0.0.1',
        siteAppPath: options.siteAppPath ?? join(root, 'dist', 'site.ts'),
        pluginJsonPath: options.pluginJsonPath ?? join(root, 'plugin.json'),
        hogFunctionPath: options.hogFunctionPath ?? join(root, 'dist', 'hog-function.json'),
        log: options.log ?? ((/** @type {string} */ message) => console.warn(message)),
        /** The one project the REST API knows. */
        projectId: options.projectId ?? 1,
        /** @type {Record<string, string[] | { scopes: string[], scopedTeams?: number[] }>} */
        personalApiKeys: options.personalApiKeys ?? { [DEFAULT_PERSONAL_API_KEY]: [...DEFAULT_PERSONAL_API_KEY_SCOPES] },
        apiStartedAt: new Date().toISOString(),
        /** Set once the server listens. */
        port: 0,
        initial,
        /** @type {import('../posthog-standin.d.mts').ReceivedEvent[]} */
        events: [],
        /** @type {Map<string, { id: number, uuid: string, properties: Record<string, unknown> }>} distinct id -> person */
        persons: new Map(),
        nextPersonId: 1,
        /** @type {Record<string, unknown>} */
        settings: { ...initial.settings },
        /** @type {Record<string, import('../posthog-standin.d.mts').FlagInput>} */
        defaultFlags: { ...initial.flags },
        /** @type {Map<string, Record<string, import('../posthog-standin.d.mts').FlagInput>>} */
        flagOverrides: new Map(),
        /** @type {import('../posthog-standin.d.mts').Delivery} */
        delivery: initial.delivery,
        /** Which PostHog get_transpiled_function emulates: 'honour' `templating: false` (newest) or 'ignore' it (older). */
        templating: initial.templating,
        /** @type {import('../posthog-standin.d.mts').RequestLogEntry[]} */
        requests: [],
        /** @type {Set<() => void>} */
        eventWaiters: new Set(),
        /** @type {Map<string, Record<string, any>>} id -> stored HogFunction (what PostHog's row holds) */
        hogFunctions: new Map(),
        /** @type {Map<number, Record<string, any>>} */
        insights: new Map(),
        nextInsightId: 1,
        /** @type {Map<number, Record<string, any>>} id -> stored FeatureFlag (deleted ones kept, as PostHog soft-deletes) */
        featureFlags: new Map(),
        nextFeatureFlagId: 1,
        /** @type {Map<number, Record<string, any>>} id -> ScheduledChange */
        scheduledChanges: new Map(),
        nextScheduledChangeId: 1,
        /** Derived data kept between requests: the transpiled app, the implicit site function, compiled functions. */
        caches: {
            /** @type {{ key: string, source: string } | undefined} */
            siteAppSource: undefined,
            /** @type {{ key: string, fn: any } | undefined} */
            builtFunction: undefined,
            /** @type {Map<string, string>} */
            compile: new Map(),
        },
    }
}

/** @typedef {ReturnType<typeof createState>} StandInState */

/** @param {StandInState} state @param {Record<string, any>} flags @param {{ distinctId?: string, replace?: boolean }} [opts] */
export function setFlags(state, flags, opts = {}) {
    if (opts.distinctId) {
        const current = opts.replace ? {} : (state.flagOverrides.get(opts.distinctId) ?? {})
        state.flagOverrides.set(opts.distinctId, { ...current, ...flags })
    } else {
        state.defaultFlags = opts.replace ? { ...flags } : { ...state.defaultFlags, ...flags }
    }
}

/** @param {StandInState} state @param {Record<string, unknown>} partial @param {{ replace?: boolean }} [opts] */
export function setSettings(state, partial, opts = {}) {
    state.settings = opts.replace ? { ...partial } : { ...state.settings, ...partial }
}

/** @param {StandInState} state @param {any} mode */
export function setDelivery(state, mode) {
    if (!DELIVERIES.includes(mode)) throw new Error(`delivery must be one of ${DELIVERIES.join(', ')}, got ${mode}`)
    state.delivery = mode
}

/** @param {StandInState} state @param {any} mode */
export function setTemplating(state, mode) {
    if (mode !== 'honour' && mode !== 'ignore') throw new Error(`templating must be 'honour' or 'ignore', got ${mode}`)
    state.templating = mode
}

/** Forget events and persons (and, unless `keepRequests`, the request log). @param {StandInState} state */
export function clearEvents(state, { keepRequests = false } = {}) {
    state.events = []
    state.persons = new Map()
    if (!keepRequests) state.requests = []
}

/** Back to the start options. @param {StandInState} state */
export function resetState(state) {
    clearEvents(state)
    state.settings = { ...state.initial.settings }
    state.defaultFlags = { ...state.initial.flags }
    state.flagOverrides = new Map()
    state.delivery = state.initial.delivery
    state.templating = state.initial.templating
    state.hogFunctions = new Map()
    state.insights = new Map()
    state.nextInsightId = 1
    state.featureFlags = new Map()
    state.nextFeatureFlagId = 1
    state.scheduledChanges = new Map()
    state.nextScheduledChangeId = 1
}
