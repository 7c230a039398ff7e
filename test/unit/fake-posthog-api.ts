// A fake of PostHog's REST API for the campaign CLIs' unit tests (scripts/deploy.mjs, scripts/status.mjs in-process):
// hog_functions, insights, feature_flags, query (EventsQuery) and the key's scopes, as posthog/api/*.py and
// posthog/permissions.py answer them; errors as drf-exceptions-hog writes them.

export const KEY = 'phx_unit_test_secret_key_0123456789'
export const NIL_UUID = '00000000-0000-0000-0000-000000000000'

export interface Call {
    method: string
    url: string
    path: string
    auth: string | null
    body?: any
}
export interface FakeOptions {
    keys?: Record<string, { scopes: string[]; scoped_teams?: number[] }>
    projects?: number[]
    /** Whether GET /api/personal_api_keys/@current/ exists (older PostHog: 404). Where it does, it needs personal_api_key:read. */
    current?: boolean
    apps?: any[]
    insights?: any[]
    /** Feature flags, as PostHog answers them (FeatureFlagSerializer): { id, key, name, active, filters, created_at, team }. */
    flags?: any[]
    /** Events the query API counts: { event, distinct_id, timestamp, properties }. */
    events?: any[]
    pageSize?: number
    /** Where `next` links point (PostHog behind a proxy may name another origin). */
    nextOrigin?: string
}

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
export const error = (status: number, type: string, code: string, detail: string, attr: string | null = null) => json(status, { type, code, detail, attr })

export function fakePostHog(options: FakeOptions = {}) {
    const keys = options.keys ?? { [KEY]: { scopes: ['hog_function:write', 'insight:write', 'feature_flag:write', 'query:read'] } }
    const projects = options.projects ?? [1]
    const apps: any[] = options.apps ?? []
    const insights: any[] = options.insights ?? []
    const flags: any[] = options.flags ?? []
    const events: any[] = options.events ?? []
    const pageSize = options.pageSize ?? 100
    const calls: Call[] = []
    let seq = 0

    const page = (items: any[], url: URL) => {
        const offset = Number(url.searchParams.get('offset') ?? 0)
        const results = items.slice(offset, offset + pageSize)
        let next: string | null = null
        if (offset + pageSize < items.length) {
            const nextUrl = new URL(url.href.replace(url.origin, options.nextOrigin ?? url.origin))
            nextUrl.searchParams.set('offset', String(offset + pageSize))
            next = nextUrl.href
        }
        return json(200, { count: items.length, next, previous: null, results })
    }

    // posthog/cdp/validation.py InputsSerializer: by schema, required non-empty, typed.
    const validateInputs = (inputsSchema: any[], inputs: any) => {
        const out: any = {}
        for (const field of inputsSchema) {
            const value = inputs?.[field.key]?.value
            if (field.required && (value === undefined || value === null || value === '')) {
                return error(400, 'validation_error', 'invalid_input', 'This field is required.', `inputs__${field.key}`)
            }
            if (value === undefined || value === null || value === '') continue
            const ok = field.type === 'string' ? typeof value === 'string' : field.type === 'number' ? typeof value === 'number' : true
            if (!ok) return error(400, 'validation_error', 'invalid_input', `Value must be a ${field.type}.`, `inputs__${field.key}`)
            out[field.key] = { value, order: Object.keys(out).length, transpiled: { lang: 'ts', code: JSON.stringify(value) } }
        }
        return out
    }

    const fetch = async (input: string | URL, init: RequestInit = {}) => {
        const url = new URL(String(input))
        const method = (init.method ?? 'GET').toUpperCase()
        const headers = new Headers(init.headers)
        const body = init.body ? JSON.parse(String(init.body)) : undefined
        calls.push({ method, url: url.href, path: url.pathname, auth: headers.get('authorization'), body })
        const token = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1]
        const key = token ? keys[token] : undefined
        if (!key) return error(401, 'authentication_error', 'authentication_failed', 'Personal API key found in request Authorization header is invalid.')

        const denied = (detail: string) => error(403, 'authentication_error', 'permission_denied', detail)
        if (url.pathname === '/api/personal_api_keys/@current/') {
            if (options.current === false) return json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
            // posthog/permissions.py APIScopePermission: scoped teams first (not a project endpoint), then the scope.
            if (key.scoped_teams?.length) return denied('API keys with scoped projects are only supported on project-based endpoints.')
            if (!['*', 'personal_api_key:read', 'personal_api_key:write'].some((s) => key.scopes.includes(s))) return denied("API key missing required scope 'personal_api_key:read'")
            return json(200, { id: 'k1', label: 'deploy', value: null, mask_value: 'phx_...6789', scopes: key.scopes.length ? key.scopes : ['*'], scoped_teams: key.scoped_teams ?? [], scoped_organizations: [] })
        }
        const match = /^\/api\/projects\/(\d+)\/(hog_functions|insights|feature_flags|query)\/(?:([^/]+)\/)?$/.exec(url.pathname)
        if (!match) return json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
        const [, projectText, resource, id] = match
        const project = Number(projectText)
        if (!projects.includes(project)) return error(404, 'invalid_request', 'not_found', 'Project not found.')
        if (key.scoped_teams?.length && !key.scoped_teams.includes(project)) return denied(`API key does not have access to the requested project: ID ${project}.`)
        const object = { hog_functions: 'hog_function', insights: 'insight', feature_flags: 'feature_flag', query: 'query' }[resource]!
        // posthog/api/query.py: QueryViewSet counts create (POST) among its reads.
        const needed = `${object}:${method === 'GET' || resource === 'query' ? 'read' : 'write'}`
        const allowed = key.scopes.includes('*') || key.scopes.includes(needed) || key.scopes.includes(`${object}:write`)
        if (!allowed) return error(403, 'authentication_error', 'permission_denied', `API key missing required scope '${needed}'`)

        if (resource === 'feature_flags') return flagsApi(method, id, body, project, url)
        if (resource === 'query') return method === 'POST' && !id ? queryApi(body?.query) : json(405, { detail: 'Method not allowed.' })
        if (resource === 'hog_functions') {
            const list = apps.filter((app) => app.team === project)
            if (method === 'GET' && !id) {
                const type = url.searchParams.get('type') ?? 'destination'
                // HogFunctionMinimalSerializer: no inputs, no inputs_schema.
                return page(
                    list.filter((app) => app.type === type).map(({ inputs: _i, inputs_schema: _s, ...minimal }) => minimal),
                    url,
                )
            }
            if (method === 'POST' && !id) {
                if (!body?.hog) return error(400, 'validation_error', 'invalid_input', 'Required.', 'hog')
                const inputs = validateInputs(body.inputs_schema ?? [], body.inputs ?? {})
                if (inputs instanceof Response) return inputs
                const app = { ...body, inputs, id: `0190-app-${++seq}`, team: project }
                apps.push(app)
                return json(201, app)
            }
            const app = list.find((a) => a.id === id)
            if (!app) return error(404, 'invalid_request', 'not_found', 'Not found.')
            if (method === 'GET') return json(200, app)
            if (method === 'PATCH') {
                if (body.type && body.type !== app.type) return error(400, 'validation_error', 'invalid_input', 'Cannot modify the type of an existing function', 'type')
                const inputs = validateInputs(body.inputs_schema ?? app.inputs_schema, body.inputs ?? app.inputs)
                if (inputs instanceof Response) return inputs
                Object.assign(app, body, { inputs })
                return json(200, app)
            }
        } else {
            const list = insights.filter((i) => i.team === project && !i.deleted)
            if (method === 'GET' && !id) {
                const search = (url.searchParams.get('search') ?? '').toLowerCase()
                return page(list.filter((i) => !search || String(i.name).toLowerCase().includes(search)), url)
            }
            if (method === 'POST' && !id) {
                if (body.query && body.query.kind !== 'InsightVizNode') return error(400, 'validation_error', 'parse_error', 'Invalid query')
                const insight = { ...body, id: ++seq, short_id: `sh${seq}rt`, team: project }
                insights.push(insight)
                return json(201, insight)
            }
            const insight = list.find((i) => String(i.id) === id)
            if (!insight) return error(404, 'invalid_request', 'not_found', 'Not found.')
            if (method === 'PATCH') {
                Object.assign(insight, body)
                return json(200, insight)
            }
        }
        return json(405, { detail: 'Method not allowed.' })
    }
    // posthog/api/feature_flag.py: a unique key among live flags, letters, digits, - and _ only.
    const flagsApi = (method: string, id: string | undefined, body: any, project: number, url: URL) => {
        const list = flags.filter((f) => f.team === project && !f.deleted)
        if (method === 'GET' && !id) return page(list, url)
        if (method === 'POST' && !id) {
            if (typeof body?.key !== 'string' || !/^[a-zA-Z0-9_-]+$/.test(body.key)) return error(400, 'validation_error', 'invalid_key', 'Only letters, numbers, hyphens (-) & underscores (_) are allowed.', 'key')
            if (list.some((f) => f.key === body.key)) return error(400, 'validation_error', 'unique', 'There is already a feature flag with this key.', 'key')
            const flag = { active: true, filters: {}, ...body, id: ++seq, team: project, created_at: '2026-11-01T00:00:00Z', deleted: false }
            flags.push(flag)
            return json(201, flag)
        }
        const flag = list.find((f) => String(f.id) === id)
        if (!flag) return error(404, 'invalid_request', 'not_found', 'Not found.')
        if (method === 'GET') return json(200, flag)
        if (method === 'PATCH') {
            Object.assign(flag, body)
            return json(200, flag)
        }
        return json(405, { detail: 'Method not allowed.' })
    }
    // An EventsQuery over `events`: `event`, an is_set event property filter, `after` (ISO only here), select columns
    // of `event`, `timestamp`, `distinct_id`, `properties.x` and `count()` (grouping by the others).
    const queryApi = (query: any) => {
        if (query?.kind !== 'EventsQuery' || !Array.isArray(query.select)) return error(400, 'validation_error', 'parse_error', 'Invalid query')
        const after = Date.parse(query.after ?? '')
        const matching = events.filter(
            (e) =>
                (!query.event || e.event === query.event) &&
                (Number.isNaN(after) || Date.parse(e.timestamp) > after) &&
                (query.properties ?? []).every((p: any) => p.operator !== 'is_set' || e.properties?.[p.key] !== undefined),
        )
        const column = (e: any, c: string) => (c.startsWith('properties.') ? (e.properties?.[c.slice(11)] ?? null) : e[c])
        const plain = query.select.filter((c: string) => c !== 'count()')
        let results: any[][]
        if (query.select.includes('count()')) {
            const groups = new Map<string, any[]>()
            for (const e of matching) {
                const values = plain.map((c: string) => column(e, c))
                const k = JSON.stringify(values)
                const seen = groups.get(k)
                groups.set(k, [...values, (seen ? seen[seen.length - 1] : 0) + 1])
            }
            results = [...groups.values()].map((row) => query.select.map((c: string) => (c === 'count()' ? row[row.length - 1] : row[plain.indexOf(c)])))
        } else results = matching.map((e) => query.select.map((c: string) => column(e, c)))
        return json(200, { columns: query.select, results, hasMore: false })
    }
    const isProbe = (c: Call) => c.method === 'PATCH' && (c.path.endsWith(`/hog_functions/${NIL_UUID}/`) || c.path.endsWith('/insights/0/') || c.path.endsWith('/feature_flags/0/'))
    /** Requests that may change something: every non-GET but the write checks (a PATCH of `{}` to no object) and queries. */
    const writes = () => calls.filter((c) => c.method !== 'GET' && !isProbe(c) && !c.path.endsWith('/query/'))
    const probes = () => calls.filter(isProbe)
    return { fetch, calls, apps, insights, flags, events, writes, probes }
}

