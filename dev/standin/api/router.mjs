// PostHog's REST API for the stand-in's one project: `/api/{projects,environments}/{id}/{resource}/[{id}/]`,
// routed as DRF does (action from method and path; authentication, then scopes, then the project, then the view),
// with ForbidDestroyModel's 405 on DELETE (posthog/api/forbid_destroy_model.py: soft delete with PATCH).
import { readBody, sendJson, send } from '../http.mjs'
import { authorize, isKnownProject, projectNotFound } from './auth.mjs'
import { ApiError, requireDictionary } from './errors.mjs'
import { featureFlagsApi } from './feature-flags.mjs'
import { hogFunctionsApi } from './hog-functions.mjs'
import { insightsApi } from './insights.mjs'
import { queryApi, QUERY_READ_ACTIONS } from './query.mjs'
import { scheduledChangesApi } from './scheduled-changes.mjs'

/**
 * resource in the path -> its view, its scope object and actions (APIScopePermission), and whether it forbids
 * DELETE (ForbidDestroyModel).
 * @type {Record<string, { scopeObject: string, view: Function, forbidDestroy?: boolean, readActions?: string[], writeActions?: string[] }>}
 */
const RESOURCES = {
    hog_functions: { scopeObject: 'hog_function', view: hogFunctionsApi, forbidDestroy: true },
    insights: { scopeObject: 'insight', view: insightsApi, forbidDestroy: true },
    feature_flags: { scopeObject: 'feature_flag', view: featureFlagsApi, forbidDestroy: true },
    // QueryViewSet: "these are all essentially read actions".
    query: { scopeObject: 'query', view: queryApi, readActions: QUERY_READ_ACTIONS, writeActions: [] },
    // ScheduledChangeViewSet: scope_object "INTERNAL", no personal API key with scopes may use it.
    scheduled_changes: { scopeObject: 'INTERNAL', view: scheduledChangesApi },
}

const API_PATH = /^\/api\/(projects|environments)\/([^/]+)\/([a-z_]+)(?:\/([^/]+))?\/?$/

/** The request's JSON body (`{}` when empty), or undefined after answering DRF's parse error. */
export async function readJsonBody(state, req, res, url) {
    const method = req.method || 'GET'
    let data = {}
    if (method !== 'GET' && method !== 'HEAD') {
        const raw = (await readBody(req)).toString('utf8')
        if (raw.trim()) {
            try {
                data = JSON.parse(raw)
            } catch (e) {
                state.requests.push({ method, path: url.pathname + url.search, at: Date.now(), body: raw })
                sendJson(req, res, 400, { type: 'invalid_request', code: 'parse_error', detail: `JSON parse error - ${e instanceof Error ? e.message : e}`, attr: null })
                return undefined
            }
        }
    }
    state.requests.push({ method, path: url.pathname + url.search, at: Date.now(), body: data })
    return { data }
}

/** DRF's action for a viewset route. @param {string} method @param {string | undefined} id */
export const actionFor = (method, id) =>
    id
        ? { GET: 'retrieve', HEAD: 'retrieve', PATCH: 'partial_update', PUT: 'update', DELETE: 'destroy' }[method]
        : { GET: 'list', HEAD: 'list', POST: 'create' }[method]

/** Answers an ApiError as PostHog does (401s with `WWW-Authenticate`); anything else propagates. */
export function sendApiError(req, res, e) {
    if (!(e instanceof ApiError)) throw e
    return sendJson(req, res, e.status, e.body, e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="api"' } : undefined)
}

/** @param {import('../state.mjs').StandInState} state */
export async function api(state, req, res, url) {
    const m = API_PATH.exec(url.pathname)
    const resource = m && Object.prototype.hasOwnProperty.call(RESOURCES, m[3]) ? RESOURCES[m[3]] : undefined
    if (!m || !resource) return sendJson(req, res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
    const [, , project, , id] = m
    const method = req.method || 'GET'
    const body = await readJsonBody(state, req, res, url)
    if (!body) return
    const { data } = body
    const action = actionFor(method, id)
    try {
        authorize(state, req, url, data, resource.scopeObject, action, project, resource)
        if (!isKnownProject(state, project)) throw projectNotFound()
        if (action === 'destroy' && resource.forbidDestroy) return send(req, res, 405, '', 'application/json') // soft-delete with PATCH
        // A create's body is checked here; an update's once its object is found (get_object, then the serializer).
        if (action === 'create') requireDictionary(data)
        return resource.view(state, req, res, url, action, id, data)
    } catch (e) {
        return sendApiError(req, res, e)
    }
}
