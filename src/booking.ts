// Booking links and what booking pages say (issue: book without leaving the page). Pure: callers hand in the link,
// the visitor's ids and the page's host; nothing here reads globals but `URL`.
//
// Calendly (calendly.com) and cal.com (cal.com, cal.eu, or any instance's `.../embed` link) can run in a frame and tell
// the page, by postMessage, when someone books. Their facts, from each tool's embed source and docs:
// - Calendly frames `{link}?embed_domain={host}&embed_type=Inline` (without embed_domain it posts nothing) and posts
//   `{ event: 'calendly.…', payload }`; a booking is `calendly.event_scheduled`, `payload.event.uri` its id.
//   Tracking parameters that reach its webhooks are `utm_*`; `name` and `email` prefill the form.
// - cal.com frames `{origin}/{user}/{event}/embed?embed={namespace}&embedType=inline` (its cloud from app.cal.com or
//   app.cal.eu) and posts `{ originator: 'CAL', type, namespace, fullType, data }`. Its page stays hidden until the
//   parent answers `__iframeReady` with `parentKnowsIframeReady`. One booking posts `bookingSuccessful` (older, with
//   personal data) and then `bookingSuccessfulV2`, whose `data.uid` is the booking's id; reschedules and dry runs
//   post other types. `metadata[key]` parameters reach its webhooks; `name` and `email` prefill the form.
import { text } from './settings'

/** The tool a link is on, by its address: Calendly, cal.com, or neither (''). */
export function bookingTool(url: URL): 'calendly' | 'cal.com' | '' {
    const host = url.hostname
    return /^(www\.)?calendly\.com$/.test(host)
        ? 'calendly'
        : /^([\w-]+\.)?cal\.(com|eu)$/.test(host) || /\/embed\/?$/.test(url.pathname)
          ? 'cal.com'
          : ''
}

/** Who is booking, and from which invitation: what the links carry. `name` and `email` only where the team opted in. */
export interface Visitor {
    flag: string
    distinctId?: unknown
    /** posthog-js's anonymous device id: joins a booking back to the person where the distinct id may not go. */
    deviceId?: unknown
    sessionId?: unknown
    /** The team opted in to passing the visitor's personal data (prefillNameAndEmail). */
    prefill?: boolean
    name?: unknown
    email?: unknown
}

/**
 * The id the booking tools get, to join a booking back to the person: the distinct id, unless it is an email address
 * (a team identifying people by email) that the team did not opt in to pass on; the tools hand it to webhooks and
 * redirects. Then the device id, which joins back through PostHog without being personal data; or nothing.
 */
export function trackingId(visitor: Visitor): unknown {
    return [visitor.distinctId, visitor.deviceId].filter((id) => text(id) && (visitor.prefill || !/@/.test(text(id))))[0]
}

export interface BookingLinks {
    /** The booking page with the visitor's parameters: what a new tab opens. */
    link: string
    /** In embed mode: the same page as its tool frames it. */
    frame?: string
    tool: ReturnType<typeof bookingTool>
}

/** Namespace of the cal.com embed: its messages name it. */
export const CAL_NAMESPACE = 'user-interviewer'

/**
 * `url` with `pairs` added to its query, except those it already has (the team's own parameters stay, byte for byte)
 * and empty values.
 */
function addParams(url: URL, pairs: [string, unknown][]) {
    const query = url.searchParams
    const added = pairs
        .filter((pair) => text(pair[1]) && !query.has(pair[0]))
        .map((pair) => `${encodeURIComponent(pair[0])}=${encodeURIComponent(text(pair[1]))}`)
    if (added.length) url.search = [url.search.slice(1)].concat(added).filter(Boolean).join('&')
}

/**
 * The links for `href` (an http(s) booking link) and this visitor: the flag and distinct_id in the tool's tracking
 * fields (Calendly's utm_*, cal.com's metadata[]), name and email as given, and for a PostHog user-interview page
 * (`/interview/{token}` on posthog.com) the distinct_id and session_id that page accepts. `mode`: the bookingMode
 * setting; auto embeds Calendly and cal.com links only. `host`: the page's, which Calendly wants to know.
 */
export function bookingLinks(href: string, visitor: Visitor, mode: string, host: string): BookingLinks {
    const url = new URL(href)
    const tool = bookingTool(url)
    addParams(
        url,
        tool === 'calendly'
            ? [
                  ['utm_source', 'posthog'],
                  ['utm_campaign', visitor.flag],
                  ['utm_content', trackingId(visitor)],
              ]
            : tool
              ? [
                    ['metadata[featureFlagName]', visitor.flag],
                    ['metadata[distinct_id]', trackingId(visitor)],
                ]
              : /(^|\.)posthog\.com$/.test(url.hostname) && /^\/interview\/[^/]+\/?$/.test(url.pathname)
                ? [
                      ['distinct_id', visitor.distinctId],
                      ['session_id', visitor.sessionId],
                  ]
                : [],
    )
    if (tool)
        addParams(url, [
            ['name', visitor.name],
            ['email', visitor.email],
        ])
    const links: BookingLinks = { link: url.href, tool }
    if (mode === 'embed' || (mode !== 'new-tab' && tool)) {
        // The tools' own frames are https (an http one would be mixed content, and its messages come from https).
        if (tool === 'calendly') {
            url.protocol = 'https:'
            url.hostname = 'calendly.com'
            url.searchParams.set('embed_domain', host)
            url.searchParams.set('embed_type', 'Inline')
        } else if (tool) {
            if (/cal\.(com|eu)$/.test(url.hostname)) url.protocol = 'https:'
            url.hostname = url.hostname.replace(/^cal\.(com|eu)$/, 'app.cal.$1')
            url.pathname = url.pathname.replace(/\/?(embed\/?)?$/, '/embed')
            url.searchParams.set('embed', CAL_NAMESPACE)
            url.searchParams.set('embedType', 'inline')
        }
        links.frame = url.href
    }
    return links
}

/** What one message from a booking page means: the page is there, it waits for cal.com's answer, or it booked. */
export interface BookingMessage {
    /** cal.com's `__iframeReady`: answer with `parentKnowsIframeReady`, or its page stays hidden. */
    handshake?: boolean
    /** A completed booking: the tool's id of it (Calendly's event URI, cal.com's booking uid). */
    booked?: string
}

/**
 * The meaning of `data`, a message's data from the booking frame of `tool` (whose source and origin the caller
 * checked); null for anything that is not that tool's message (another page says nothing the app would believe). Ids
 * must be strings: anything else is not a booking.
 */
export function readBookingMessage(data: unknown, tool: BookingLinks['tool']): BookingMessage | null {
    const message = (Object(data) === data ? data : {}) as Record<string, any>
    const type = tool === 'cal.com' ? message.originator === 'CAL' && message.type : tool && /^calendly\./.test(message.event) && message.event
    if (!type || typeof type !== 'string') return null
    const id =
        type === 'calendly.event_scheduled'
            ? Object(Object(message.payload).event).uri
            : type === 'bookingSuccessfulV2' && Object(message.data).uid
    return { handshake: type === '__iframeReady', booked: typeof id === 'string' && id ? id : undefined }
}
