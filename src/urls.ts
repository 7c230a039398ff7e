// URL helpers. Pure: callers hand in strings from `location`; nothing here reads globals but `URL`.

export const BOOKED_PARAM = 'bookedUserInterviewEvent'
/** The booking redirect's parameters. */
export const BOOKED_PARAMS = [BOOKED_PARAM]
export const PREVIEW_PARAM = 'userInterviewPreview'

/**
 * The absolute http(s) URL in `raw` (or mailto: when allowed), as the URL parser re-serialises it; else ''. Booking
 * links and images may only ever be web pages.
 */
export function safeUrl(raw: unknown, mailto?: boolean): string {
    try {
        const url = new URL(typeof raw === 'string' && raw.length <= 2048 ? raw : '')
        return /^https?:$/.test(url.protocol) || (mailto && url.protocol === 'mailto:') ? url.href : ''
    } catch {
        return ''
    }
}

/**
 * Each query of `href` (an absolute URL, e.g. location.href): the address's own and, for a hash-routed app, the one
 * in its hash (`/#/home?a=b`).
 */
function queries(href: string): string[] {
    return href.match(/\?[^#]*/g) || []
}

/** The first value of any of the query parameters `names` in `href`'s queries, trimmed; null when absent or empty. */
export function queryParam(href: string, names: string[]): string | null {
    let found: string | null = null
    queries(href).forEach((query) =>
        names.forEach((name) => {
            const value = new URLSearchParams(query).get(name)
            found = found || (value && value.trim()) || null
        }),
    )
    return found
}

/**
 * `href` without the query parameters `names`, wherever they are (see `queries`): only their `name=value` pieces go,
 * every other byte of the address stays as it was (no re-encoding of the page's own query).
 */
export function withoutQueryParam(href: string, names: string[]): string {
    return href.replace(/\?([^#]*)/g, (_, query: string) => {
        const kept = query.split('&').filter((piece) => !names.some((name) => new URLSearchParams(piece).has(name)))
        return kept.length ? `?${kept.join('&')}` : ''
    })
}

/** True when `hostname` is one of `domains` (exact, or a subdomain for entries written `*.example.com`). */
export function hostnameAllowed(hostname: string, domains: string[]): boolean {
    if (!domains.length) return true
    const host = hostname.toLowerCase()
    return domains.some((domain) =>
        domain.indexOf('*.') === 0 ? host.slice(-(domain.length - 1)) === domain.slice(1) : host === domain,
    )
}
