// Capture, as PostHog's ingestion treats what posthog-js sends to `/e/`, `/i/v0/e/`, `/batch/`...: the body
// decoded (gzip, `data=` forms, base64, JSON), events recorded, and persons updated by the plugin-server's rules
// (normalizeProcessPerson: `$process_person_profile: false` touches no person; `$groupidentify` sets no person
// properties; `$identify` / `$create_alias` merge).
import { gunzipSync } from 'node:zlib'
import { mergePersons, personFor } from './persons.mjs'
import { readBody, sendJson } from './http.mjs'

// ---------------------------------------------------------------------------------------------------------------
// Request body decoding (what posthog-js sends)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Decode a posthog-js request body: gzip (detected by magic bytes; posthog-js drops `compression=gzip-js` from
 * the URL when it gzips), `data=` form bodies (base64 or plain JSON, `compression=base64`), or plain JSON.
 * @param {Buffer} raw
 * @param {URLSearchParams} query
 * @returns {{ payload: any, encoding: string }}
 */
export function decodeBody(raw, query) {
    const compression = query.get('compression') || ''
    if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
        return { payload: JSON.parse(gunzipSync(raw).toString('utf8')), encoding: 'gzip' }
    }
    let text = raw.toString('utf8')
    let encoding = 'json'
    if (!text && query.has('data')) text = 'data=' + encodeURIComponent(query.get('data') || '')
    if (/^data=/.test(text)) {
        text = new URLSearchParams(text).get('data') || ''
        encoding = 'form'
    }
    const trimmed = text.trim()
    if (compression === 'base64' || (encoding === 'form' && !/^[[{]/.test(trimmed))) {
        const decoded = Buffer.from(trimmed, 'base64').toString('utf8')
        return { payload: JSON.parse(decoded), encoding: encoding === 'form' ? 'form+base64' : 'base64' }
    }
    return { payload: trimmed ? JSON.parse(trimmed) : undefined, encoding }
}

/** Capture bodies: `{ api_key, batch: [...], sent_at }`, a bare array, or one event. */
function eventsFromPayload(payload) {
    if (Array.isArray(payload)) return payload
    if (payload && Array.isArray(payload.batch)) return payload.batch
    if (payload && typeof payload === 'object') return [payload]
    return []
}

/** @param {import('./state.mjs').StandInState} state @param {import('../posthog-standin.d.mts').ReceivedEvent} ev */
function applyPersonUpdates(state, ev) {
    const props = ev.properties || {}
    if (!ev.distinct_id) return
    // As PostHog's ingestion (normalizeProcessPerson): an event saying `$process_person_profile: false` (posthog-js,
    // person_profiles 'identified_only', for an anonymous visitor) touches no person, its $set, $set_once and $unset
    // dropped; and `$groupidentify` never sets person properties.
    if (props.$process_person_profile === false || ev.event === '$groupidentify') return
    if (ev.event === '$identify' && props.$anon_distinct_id) mergePersons(state, ev.distinct_id, props.$anon_distinct_id)
    if (ev.event === '$create_alias' && props.alias) mergePersons(state, ev.distinct_id, props.alias)
    const person = personFor(state, ev.distinct_id)
    const setOnce = { ...(props.$set_once || {}), ...(ev.$set_once || {}) }
    for (const [k, v] of Object.entries(setOnce)) if (!(k in person.properties)) person.properties[k] = v
    Object.assign(person.properties, ev.set)
    const unset = props.$unset || ev.$unset
    if (Array.isArray(unset)) for (const k of unset) delete person.properties[k]
}

/** @param {import('./state.mjs').StandInState} state @param {any} payload @param {{ endpoint: string, encoding: string }} meta */
export function recordEvents(state, payload, meta) {
    const list = eventsFromPayload(payload)
    for (const raw of list) {
        if (!raw || typeof raw !== 'object' || typeof raw.event !== 'string') continue
        const properties = raw.properties && typeof raw.properties === 'object' ? raw.properties : {}
        // PostHog's ingestion drops these events outright when they say `$process_person_profile: false`.
        if (properties.$process_person_profile === false && /^\$(identify|create_alias|merge_dangerously|groupidentify)$/.test(raw.event)) continue
        const distinctId = String(raw.distinct_id ?? properties.distinct_id ?? properties.$distinct_id ?? '')
        const set = { ...(properties.$set || {}), ...(raw.$set || {}) }
        /** @type {import('../posthog-standin.d.mts').ReceivedEvent} */
        const ev = {
            event: raw.event,
            distinct_id: distinctId,
            properties,
            set,
            $set: raw.$set,
            $set_once: raw.$set_once,
            timestamp: raw.timestamp,
            uuid: raw.uuid,
            receivedAt: new Date().toISOString(),
            endpoint: meta.endpoint,
            encoding: meta.encoding,
        }
        state.events.push(ev)
        applyPersonUpdates(state, ev)
    }
    for (const waiter of [...state.eventWaiters]) waiter()
}

export const CAPTURE_PATH = /^\/(e|i\/v0\/e|batch|capture|track|engage)\/?$/

/** The capture endpoints: 200 `{ status: 1 }`, or 400 for a body that does not decode. */
export async function captureRoute(state, req, res, url) {
    const path = url.pathname
    const raw = await readBody(req)
    try {
        const { payload, encoding } = decodeBody(raw, url.searchParams)
        recordEvents(state, payload, { endpoint: path, encoding })
        state.requests.push({ method: req.method || 'GET', path: path + url.search, at: Date.now() })
    } catch (e) {
        state.log(`[standin] undecodable capture body on ${path}: ${e}`)
        return sendJson(req, res, 400, { type: 'validation_error', code: 'invalid_payload', detail: String(e) })
    }
    return sendJson(req, res, 200, { status: 1 })
}
