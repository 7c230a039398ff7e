// Flags for posthog-js: `POST /flags/?v=2` (v2 `flags: { key: { key, enabled, variant, reason, metadata: { id,
// version, description, payload } } }`, as posthog-js 1.449's @posthog/browser-common feature-flags.js reads it) and
// the old `/decide/` (`featureFlags`, `featureFlagPayloads`). Payloads travel JSON-encoded, as PostHog sends them.
// Two sources: the `flags` option (and setFlags), answered as given; and flags created through the REST API
// (api/feature-flags.mjs), evaluated as PostHog does (flag-matching.mjs) against the person's properties merged
// with the request's `person_properties` (posthog-js's `$stored_person_properties`), the request's winning. An API
// flag wins over an option flag with the same key.
import { randomUUID } from 'node:crypto'
import { getFilters } from './api/feature-flags.mjs'
import { evaluateFlag } from './flag-matching.mjs'
import { readBody, sendJson } from './http.mjs'
import { decodeBody } from './ingestion.mjs'
import { remoteConfig } from './remote-config.mjs'

/**
 * @typedef {{ enabled?: boolean, variant?: string | null, payload?: unknown, rawPayload?: string,
 *   unlessPersonHas?: string }} FlagSpec
 * @typedef {boolean | string | FlagSpec} FlagInput
 */

/** @param {FlagInput} input @returns {FlagSpec} */
function normalizeFlag(input) {
    if (typeof input === 'boolean') return { enabled: input }
    if (typeof input === 'string') return { enabled: true, variant: input }
    if (input && typeof input === 'object') return { enabled: input.enabled ?? true, ...input }
    return { enabled: false }
}

function flagIdFor(key) {
    let h = 0
    for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) | 0
    return Math.abs(h % 100000) + 1
}

function effectiveFlags(state, distinctId) {
    return { ...state.defaultFlags, ...(distinctId ? state.flagOverrides.get(distinctId) : undefined) }
}

/**
 * v2 `/flags` answer. A flag with `unlessPersonHas` is off when the person has that property (any value).
 * @param {import('./state.mjs').StandInState} state
 * @param {string | undefined} distinctId
 * @param {Record<string, unknown> | undefined} requestPersonProperties
 */
export function flagsResponse(state, distinctId, requestPersonProperties) {
    const personProps = { ...(distinctId ? state.persons.get(distinctId)?.properties : undefined), ...requestPersonProperties }
    /** @type {Record<string, any>} */
    const flags = {}
    for (const [key, input] of Object.entries(effectiveFlags(state, distinctId))) {
        const spec = normalizeFlag(input)
        let enabled = !!spec.enabled
        let reason = enabled
            ? { code: 'condition_match', condition_index: 0, description: 'Matched condition set 1' }
            : { code: 'no_condition_match', condition_index: 0, description: 'No matching condition set' }
        if (enabled && spec.unlessPersonHas && personProps[spec.unlessPersonHas] != null) {
            enabled = false
            reason = { code: 'no_condition_match', condition_index: 0, description: 'No matching condition set' }
        }
        const payload = spec.rawPayload !== undefined ? spec.rawPayload : spec.payload !== undefined ? JSON.stringify(spec.payload) : undefined
        flags[key] = {
            key,
            enabled,
            variant: enabled && spec.variant ? spec.variant : null,
            reason,
            metadata: {
                id: flagIdFor(key),
                version: 1,
                description: null,
                ...(enabled && payload !== undefined ? { payload } : {}),
            },
        }
    }
    for (const flag of state.featureFlags.values()) {
        if (flag.deleted) continue
        flags[flag.key] = apiFlagDetails(flag, distinctId ?? '', personProps)
    }
    return { flags, errorsWhileComputingFlags: false, quotaLimited: [], requestId: randomUUID(), evaluatedAt: Date.now() }
}

/** One API flag's v2 entry: the match, and the payload stored for its variant (or "true") when it is enabled. */
function apiFlagDetails(flag, distinctId, personProps) {
    const filters = getFilters(flag)
    const match = evaluateFlag({ key: flag.key, active: flag.active, filters }, distinctId, personProps)
    const payloads = filters.payloads ?? {}
    const payloadKey = match.variant ?? 'true'
    const hasPayload = match.enabled && Object.prototype.hasOwnProperty.call(payloads, payloadKey) && payloads[payloadKey] !== null
    return {
        key: flag.key,
        enabled: match.enabled,
        variant: match.variant,
        reason: match.reason,
        metadata: {
            id: flag.id,
            version: flag.version,
            description: flag.name || null,
            ...(hasPayload ? { payload: payloads[payloadKey] } : {}),
        },
    }
}

export const FLAGS_PATH = /^\/(flags|decide)\/?$/

/** Flags (v2) and the old decide endpoint. */
export async function flagsRoute(state, req, res, url) {
    const path = url.pathname
    const raw = await readBody(req)
    let body = {}
    try {
        body = decodeBody(raw, url.searchParams).payload ?? {}
    } catch (e) {
        return sendJson(req, res, 400, { type: 'validation_error', detail: `Malformed request data: ${e}` })
    }
    state.requests.push({ method: req.method || 'GET', path: path + url.search, at: Date.now(), body })
    const answer = flagsResponse(state, body.distinct_id, body.person_properties)
    if (path.startsWith('/decide')) {
        /** @type {Record<string, any>} */
        const featureFlags = {}
        /** @type {Record<string, any>} */
        const featureFlagPayloads = {}
        for (const [k, d] of Object.entries(answer.flags)) {
            featureFlags[k] = d.enabled ? (d.variant ?? true) : false
            if (d.enabled && d.metadata.payload !== undefined) featureFlagPayloads[k] = d.metadata.payload
        }
        return sendJson(req, res, 200, { ...remoteConfig(state, []), ...answer, featureFlags, featureFlagPayloads })
    }
    return sendJson(req, res, 200, answer)
}
