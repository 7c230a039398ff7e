// A stand-in for posthog-js in unit tests: records captures, and lets a test decide when flags load.
import type { JsonType } from 'posthog-js'
import { vi } from 'vitest'

export interface Captured {
    event: string
    properties: Record<string, unknown>
}

export function fakePosthog(options: { payloads?: Record<string, unknown>; optedOut?: boolean; personProperties?: Record<string, unknown> } = {}) {
    const handlers: Array<(flags: string[], variants: Record<string, string | boolean>) => void> = []
    const captured: Captured[] = []
    let loaded: string[] | null = null
    const posthog = {
        captured,
        capture: vi.fn((event: string, properties: Record<string, unknown>) => {
            captured.push({ event, properties })
            return undefined
        }),
        onFeatureFlags: vi.fn((handler: (flags: string[], variants: Record<string, string | boolean>) => void) => {
            handlers.push(handler)
            if (loaded) handler(loaded, {})
            return () => {
                const at = handlers.indexOf(handler)
                if (at >= 0) handlers.splice(at, 1)
            }
        }),
        getFeatureFlagPayload: vi.fn((flag: string) => options.payloads?.[flag] as JsonType),
        get_property: vi.fn((name: string) => (name === '$stored_person_properties' ? options.personProperties : undefined)),
        has_opted_out_capturing: vi.fn(() => !!options.optedOut),
        /** What posthog-js does when flags (re)load: call every handler with the enabled flags. */
        loadFlags(flags: string[]) {
            loaded = flags
            handlers.slice().forEach((handler) => handler(flags, {}))
        },
        handlerCount: () => handlers.length,
    }
    return posthog
}
