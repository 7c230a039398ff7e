// URL helpers. Pure: callers hand in strings from `location`; nothing here reads globals but `URL`.

export const BOOKED_PARAM = 'bookedUserInterviewEvent'
/** The booking redirect's parameter in the original app's earliest versions. */
export const OLD_BOOKED_PARAM = 'bookedUserInterview'
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
 * The value of query parameter `name` in `href` (an absolute URL, e.g. location.href), trimmed; null when absent or
 * empty. Read from the address's query and, for a hash-routed app, its hash's (`/#/home?a=b`).
 */
export function queryParam(href: string, name: string): string | null {
    return (new URLSearchParams(href.replace(/^[^?#]*\??|#[^?]*\??/g, '&')).get(name) || '').trim() || null
}

/**
 * `href` without query parameter `name` (a pattern: `a|b` for either), wherever `queryParam` reads it: only its
 * `name=value` piece goes, and every other byte of the address stays as it was (the page's own query is not
 * re-encoded).
 */
export function withoutQueryParam(href: string, name: string): string {
    return href.replace(new RegExp(`([?&])(?:${name})(?:=[^&#]*)?(&|(?=#|$))`, 'g'), (_, lead: string, tail: string) => (tail ? lead : ''))
}

/** True when `hostname` is one of `domains` (exact, or a subdomain for entries written `*.example.com`). */
export function hostnameAllowed(hostname: string, domains: string[]): boolean {
    if (!domains.length) return true
    const host = hostname.toLowerCase()
    return domains.some((domain) =>
        domain.indexOf('*.') === 0 ? host.slice(-(domain.length - 1)) === domain.slice(1) : host === domain,
    )
}
