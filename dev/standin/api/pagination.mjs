// DRF LimitOffsetPagination, PostHog's default for list endpoints (posthog/settings/web.py REST_FRAMEWORK:
// DEFAULT_PAGINATION_CLASS LimitOffsetPagination, PAGE_SIZE 100): `{ count, next, previous, results }`.

/**
 * @param {import('../state.mjs').StandInState} state
 * @param {import('node:http').IncomingMessage} req @param {URL} url @param {any[]} items
 */
export function paginate(state, req, url, items) {
    const limitParam = Number.parseInt(url.searchParams.get('limit') ?? '', 10)
    const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : 100
    const offsetParam = Number.parseInt(url.searchParams.get('offset') ?? '', 10)
    const offset = Number.isInteger(offsetParam) && offsetParam > 0 ? offsetParam : 0
    const base = `http://${req.headers.host || `127.0.0.1:${state.port}`}${url.pathname}`
    /** @param {Record<string, number | null>} params */
    const link = (params) => {
        const q = new URLSearchParams(url.search)
        for (const [k, v] of Object.entries(params)) {
            if (v === null) q.delete(k)
            else q.set(k, String(v))
        }
        const qs = q.toString()
        return qs ? `${base}?${qs}` : base
    }
    return {
        count: items.length,
        next: offset + limit < items.length ? link({ limit, offset: offset + limit }) : null,
        previous: offset > 0 ? link(offset - limit <= 0 ? { limit, offset: null } : { limit, offset: offset - limit }) : null,
        results: items.slice(offset, offset + limit),
    }
}
