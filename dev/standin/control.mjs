// The stand-in's own control routes for the demo page (no PostHog counterpart):
//   GET  /_standin/state[?distinct_id=&limit=]   everything the stand-in holds
//   POST /_standin/{flags,settings,delivery,templating,reset,events/clear}
//   POST /_standin/scheduled-changes         create a scheduled change as ScheduledChangeSerializer does (PostHog
//                                            offers no personal-API-key route to it; see api/scheduled-changes.mjs)
//   POST /_standin/scheduled-changes/run     run the due ones as the celery task does, `{ now? }` (ISO) as its clock
import { DELIVERIES, PRIVATE, readBody, sendJson } from './http.mjs'
import { flagsResponse } from './flags.mjs'
import { personProperties } from './persons.mjs'
import { ApiError } from './api/errors.mjs'
import { runScheduledChanges, saveScheduledChange, scheduledChangeBody } from './api/scheduled-changes.mjs'
import { pluginSchema, siteConfig } from './site-app.mjs'
import { clearEvents, resetState, setDelivery, setFlags, setSettings, setTemplating } from './state.mjs'

/** @param {import('./state.mjs').StandInState} state */
function snapshot(state, url) {
    const distinctId = url.searchParams.get('distinct_id') || undefined
    const limit = Number(url.searchParams.get('limit') || 200)
    return {
        token: state.token,
        delivery: state.delivery,
        templating: state.templating,
        projectId: state.projectId,
        hogFunctions: [...state.hogFunctions.values()].map((f) => structuredClone(f)),
        insights: [...state.insights.values()].map((i) => structuredClone(i)),
        featureFlags: [...state.featureFlags.values()].map((f) => structuredClone(f)),
        scheduledChanges: [...state.scheduledChanges.values()].map((c) => structuredClone(c)),
        settings: state.settings,
        siteConfig: siteConfig(state),
        siteFields: pluginSchema(state).filter((/** @type {any} */ f) => f && f.site),
        flags: state.defaultFlags,
        flagOverrides: distinctId ? (state.flagOverrides.get(distinctId) ?? {}) : Object.fromEntries(state.flagOverrides),
        flagsForVisitor: distinctId ? flagsResponse(state, distinctId, {}).flags : undefined,
        events: state.events.slice(-limit),
        eventCount: state.events.length,
        person: distinctId ? personProperties(state, distinctId) : undefined,
    }
}

/** @param {import('./state.mjs').StandInState} state */
export async function controlRoute(state, req, res, url) {
    const path = url.pathname.slice(PRIVATE.length)
    /** @type {any} */
    let body = {}
    if (req.method === 'POST') {
        const raw = (await readBody(req)).toString('utf8')
        try {
            body = raw ? JSON.parse(raw) : {}
        } catch {
            return sendJson(req, res, 400, { error: 'body must be JSON' })
        }
    }
    if (path === '/state' && req.method === 'GET') return sendJson(req, res, 200, snapshot(state, url))
    if (req.method !== 'POST') return sendJson(req, res, 405, { error: 'use POST' })
    if (path === '/flags') {
        if (!body || typeof body.flags !== 'object') return sendJson(req, res, 400, { error: '{ flags: {...} } expected' })
        setFlags(state, body.flags, body.distinctId ? { distinctId: String(body.distinctId), replace: true } : { replace: true })
        return sendJson(req, res, 200, { ok: true })
    }
    if (path === '/settings') {
        setSettings(state, body.settings ?? body, { replace: !!body.replace })
        return sendJson(req, res, 200, { ok: true, settings: state.settings })
    }
    if (path === '/delivery') {
        if (!DELIVERIES.includes(body.delivery)) return sendJson(req, res, 400, { error: `delivery must be one of ${DELIVERIES.join(', ')}` })
        setDelivery(state, body.delivery)
        return sendJson(req, res, 200, { ok: true, delivery: state.delivery })
    }
    if (path === '/templating') {
        if (body.templating !== 'honour' && body.templating !== 'ignore') return sendJson(req, res, 400, { error: "templating must be 'honour' or 'ignore'" })
        setTemplating(state, body.templating)
        return sendJson(req, res, 200, { ok: true, templating: state.templating })
    }
    if (path === '/events/clear') {
        clearEvents(state, { keepRequests: true })
        return sendJson(req, res, 200, { ok: true })
    }
    if (path === '/scheduled-changes') {
        try {
            return sendJson(req, res, 201, scheduledChangeBody(saveScheduledChange(state, body, undefined)))
        } catch (e) {
            if (e instanceof ApiError) return sendJson(req, res, e.status, e.body)
            throw e
        }
    }
    if (path === '/scheduled-changes/run') {
        if (body.now !== undefined && (typeof body.now !== 'string' || Number.isNaN(Date.parse(body.now)))) {
            return sendJson(req, res, 400, { error: '{ now: "<ISO 8601 time>" } expected, or no body for the current time' })
        }
        const ran = runScheduledChanges(state, body.now)
        return sendJson(req, res, 200, { ok: true, ran, scheduledChanges: [...state.scheduledChanges.values()].map(scheduledChangeBody) })
    }
    if (path === '/reset') {
        resetState(state)
        return sendJson(req, res, 200, { ok: true })
    }
    return sendJson(req, res, 404, { error: 'unknown control endpoint' })
}
