// The StandIn handle tests and the demo hold (see StandIn in posthog-standin.d.mts): reads copies of the state,
// and changes it only through the functions the control routes use too.
import { featureFlagBody, saveFeatureFlag } from './api/feature-flags.mjs'
import { hogFunctionBody, saveHogFunction } from './api/hog-functions.mjs'
import { runScheduledChanges, saveScheduledChange, scheduledChangeBody } from './api/scheduled-changes.mjs'
import { listPersons, personProperties } from './persons.mjs'
import { SITE_APP_ID, siteConfig } from './site-app.mjs'
import { siteFunctionLoaders } from './site-functions.mjs'
import { clearEvents, resetState, setDelivery, setFlags, setSettings, setTemplating } from './state.mjs'
import { testPageUrl } from './test-page.mjs'

/**
 * @param {import('./state.mjs').StandInState} state
 * @param {() => Promise<void>} close
 * @returns {import('../posthog-standin.d.mts').StandIn}
 */
export function createHandle(state, close) {
    const url = `http://127.0.0.1:${state.port}`
    const localhostUrl = `http://localhost:${state.port}`
    /** @param {import('../posthog-standin.d.mts').EventFilter} [filter] */
    const events = (filter) => {
        const copy = state.events.map((e) => ({ ...e }))
        if (!filter) return copy
        if (typeof filter === 'string') return copy.filter((e) => e.event === filter)
        if (filter instanceof RegExp) return copy.filter((e) => filter.test(e.event))
        return copy.filter(filter)
    }
    return {
        url,
        localhostUrl,
        port: state.port,
        token: state.token,
        siteAppId: SITE_APP_ID,
        events,
        waitForEvents(filter, opts = {}) {
            const count = opts.count ?? 1
            const timeout = opts.timeout ?? 10_000
            return new Promise((resolve, reject) => {
                const check = () => {
                    const found = events(filter)
                    if (found.length >= count) {
                        cleanup()
                        resolve(found)
                    }
                }
                const timer = setTimeout(() => {
                    cleanup()
                    const names = state.events.map((e) => e.event).join(', ') || 'none'
                    reject(new Error(`timed out after ${timeout} ms waiting for ${count} event(s) matching ${String(filter)}; received: ${names}`))
                }, timeout)
                const cleanup = () => {
                    clearTimeout(timer)
                    state.eventWaiters.delete(check)
                }
                state.eventWaiters.add(check)
                check()
            })
        },
        personProperties: (distinctId) => personProperties(state, distinctId),
        persons: () => listPersons(state),
        requests: () => state.requests.slice(),
        setFlags: (flags, opts) => setFlags(state, flags, opts),
        setSettings: (partial, opts) => setSettings(state, partial, opts),
        settings: () => ({ ...state.settings }),
        siteConfig: () => siteConfig(state),
        setDelivery: (mode) => setDelivery(state, mode),
        setTemplating: (mode) => setTemplating(state, mode),
        templating: () => state.templating,
        projectId: state.projectId,
        personalApiKey: Object.keys(state.personalApiKeys)[0],
        hogFunctions: () => /** @type {any[]} */ ([...state.hogFunctions.values()].map((f) => structuredClone(f))),
        insights: () => /** @type {any[]} */ ([...state.insights.values()].map((i) => structuredClone(i))),
        createHogFunction: (body) => hogFunctionBody(saveHogFunction(state, body, undefined, state.templating)),
        featureFlags: () => /** @type {any[]} */ ([...state.featureFlags.values()].map((f) => structuredClone(f))),
        createFeatureFlag: (body) => featureFlagBody(saveFeatureFlag(state, body, undefined)),
        scheduledChanges: () => /** @type {any[]} */ ([...state.scheduledChanges.values()].map((c) => structuredClone(c))),
        createScheduledChange: (body) => scheduledChangeBody(saveScheduledChange(state, body, undefined)),
        runScheduledChanges: (now) => runScheduledChanges(state, now),
        siteFunctionsJs: () => siteFunctionLoaders(state, state.templating),
        clearEvents: () => clearEvents(state),
        reset: () => resetState(state),
        testPageUrl: (opts = {}) => testPageUrl(opts.host === 'localhost' ? localhostUrl : url, opts),
        close,
    }
}
