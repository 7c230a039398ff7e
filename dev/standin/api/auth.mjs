// Personal API key authentication and scopes: posthog/auth.py (PersonalAPIKeyAuthentication: the key from the
// `Authorization: Bearer` header, the body's or the query string's `personal_api_key`) and posthog/permissions.py
// (APIScopePermission, check_team_and_org_permissions for keys scoped to projects).
import { apiError, isPlainObject } from './errors.mjs'

/** The user every stand-in key belongs to, as UserBasicSerializer shows `created_by`. */
export const STANDIN_USER = Object.freeze({
    id: 1,
    uuid: '0191c1d0-0000-7000-8000-000000000001',
    distinct_id: 'standin-user',
    first_name: 'Stand-in',
    last_name: '',
    email: 'standin@example.com',
    is_email_verified: true,
    hedgehog_config: null,
    role_at_organization: null,
})

/**
 * A key's scopes and scoped teams (PersonalAPIKey.scopes, .scoped_teams), or undefined for an unknown key.
 * @param {import('../state.mjs').StandInState} state @param {unknown} key
 */
export function personalApiKey(state, key) {
    const keys = state.personalApiKeys
    if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(keys, key)) return undefined
    const entry = keys[key]
    if (Array.isArray(entry)) return { scopes: entry, scopedTeams: [] }
    if (!entry || !Array.isArray(entry.scopes)) return undefined
    return { scopes: entry.scopes, scopedTeams: Array.isArray(entry.scopedTeams) ? entry.scopedTeams : [] }
}

/** @param {import('../state.mjs').StandInState} state @param {string} project */
export const isKnownProject = (state, project) => project === String(state.projectId) || project === '@current'
export const projectNotFound = () => apiError(404, 'invalid_request', 'not_found', 'Project not found.')

/** APIScopePermission's default actions (a view may override them, as QueryViewSet does). */
const READ_ACTIONS = ['list', 'retrieve']
const WRITE_ACTIONS = ['create', 'update', 'partial_update', 'destroy']

/** The key in the request: the Authorization header, else the body's, else the query string's `personal_api_key`. */
function keyInRequest(req, url, data) {
    const header = req.headers.authorization
    const bearer = header ? /^Bearer\s+(\S.+)$/.exec(header) : null
    if (bearer) return { key: bearer[1].trim(), source: 'Authorization header' }
    if (isPlainObject(data) && 'personal_api_key' in data) return { key: data.personal_api_key, source: 'body' }
    if (url.searchParams.has('personal_api_key')) return { key: url.searchParams.get('personal_api_key'), source: 'query string' }
    return { key: undefined, source: '' }
}

/**
 * PersonalAPIKeyAuthentication + APIScopePermission, in DRF's order: 401, then 403, then (in the view) 404. DRF's
 * `initial()` checks permissions before the handler looks anything up, so a PATCH of an id that does not exist is
 * a 403 without the scope and a 404 only with it. `project`: the project in the path, for a project-based endpoint
 * (check_team_and_org_permissions checks a key's scoped teams before its scopes); undefined for other endpoints.
 * `scopeObject` "INTERNAL" (a view no personal API key may use) and an action outside the read and write lists
 * are refused before the project is looked at, as `_get_required_scopes` returning None is.
 * @param {import('../state.mjs').StandInState} state
 * @param {{ readActions?: string[], writeActions?: string[] }} [view] the view's scope_object_read/write_actions
 * @returns {{ key: string, scopes: string[], scopedTeams: number[] }}
 */
export function authorize(state, req, url, data, scopeObject, action, project, view = {}) {
    const { key, source } = keyInRequest(req, url, data)
    if (key === undefined) throw apiError(401, 'authentication_error', 'not_authenticated', 'Authentication credentials were not provided.')
    const found = personalApiKey(state, key)
    if (!found) throw apiError(401, 'authentication_error', 'authentication_failed', `Personal API key found in request ${source} is invalid.`)
    const { scopes, scopedTeams } = found
    const result = { key: /** @type {string} */ (key), scopes, scopedTeams }
    // TRICKY (permissions.py): legacy personal API keys have no scopes and are allowed to do anything.
    if (!scopes.length) return result
    const write = (view.writeActions ?? WRITE_ACTIONS).includes(action)
    const read = (view.readActions ?? READ_ACTIONS).includes(action)
    if (scopeObject === 'INTERNAL' || (!write && !read)) {
        throw apiError(403, 'authentication_error', 'permission_denied', 'This action does not support Personal API Key access')
    }
    if (scopedTeams.length) {
        if (project === undefined) throw apiError(403, 'authentication_error', 'permission_denied', 'API keys with scoped projects are only supported on project-based endpoints.')
        // view.team: an unknown project is the mixin's 404 before any scope is looked at.
        if (!isKnownProject(state, project)) throw projectNotFound()
        if (!scopedTeams.includes(state.projectId)) throw apiError(403, 'authentication_error', 'permission_denied', `API key does not have access to the requested project: ID ${state.projectId}.`)
    }
    if (scopes.includes('*')) return result
    const required = `${scopeObject}:${write ? 'write' : 'read'}`
    const valid = write ? [required] : [required, `${scopeObject}:write`]
    if (!valid.some((s) => scopes.includes(s))) throw apiError(403, 'authentication_error', 'permission_denied', `API key missing required scope '${required}'`)
    return result
}
