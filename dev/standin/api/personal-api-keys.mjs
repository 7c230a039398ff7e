// `GET /api/personal_api_keys/@current/`: posthog/api/personal_api_key.py (PersonalAPIKeyViewSet: `@current` is
// the key that authenticated the request; PersonalAPIKeySerializer's fields, `scopes` shown as `["*"]` when empty).
import { createHash } from 'node:crypto'
import { readBody, sendJson } from '../http.mjs'
import { authorize, STANDIN_USER } from './auth.mjs'
import { notFound } from './errors.mjs'
import { actionFor, sendApiError } from './router.mjs'

/** @param {import('../state.mjs').StandInState} state */
export async function personalApiKeysApi(state, req, res, url) {
    const m = /^\/api\/personal_api_keys\/(?:([^/]+)\/?)?$/.exec(url.pathname)
    const method = req.method || 'GET'
    let data = {}
    if (method !== 'GET' && method !== 'HEAD') {
        const raw = (await readBody(req)).toString('utf8')
        try {
            data = raw.trim() ? JSON.parse(raw) : {}
        } catch {
            data = raw
        }
    }
    state.requests.push({ method, path: url.pathname + url.search, at: Date.now(), ...(method !== 'GET' && method !== 'HEAD' ? { body: data } : {}) })
    if (!m) return sendJson(req, res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
    const id = m[1]
    const action = actionFor(method, id)
    try {
        const { key, scopes, scopedTeams } = authorize(state, req, url, data, 'personal_api_key', action, undefined)
        // Only reading the key in use is modelled; the stand-in keeps no other keys to list, create or change.
        if (id !== '@current') throw notFound()
        if (action !== 'retrieve') return sendJson(req, res, 405, { type: 'invalid_request', code: 'method_not_allowed', detail: `Method "${method}" not allowed.`, attr: null })
        const hash = createHash('sha256').update(key).digest('hex')
        return sendJson(req, res, 200, {
            id: `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`,
            label: 'stand-in key',
            value: null,
            mask_value: key.length < 8 ? '...' : `${key.slice(0, 4)}...${key.slice(-4)}`,
            created_at: state.apiStartedAt,
            last_used_at: state.apiStartedAt,
            user_id: STANDIN_USER.id,
            scopes: scopes.length ? [...scopes] : ['*'], // to_representation: `ret["scopes"] or ["*"]`
            scoped_teams: [...scopedTeams],
            scoped_organizations: [],
        })
    } catch (e) {
        return sendApiError(req, res, e)
    }
}
