// What the app's parts share on one page: the page's posthog-js, the settings, this browser's memory, and the two
// ways an event leaves (src/answers.ts). Made once by src/app.ts and handed to each part.
import type { PostHog } from 'posthog-js'
import type { KeyValueStore } from './memory'
import type { Settings } from './settings'

/** What the app uses of posthog-js; any of it may be missing on an old or stubbed posthog. */
export type PosthogLike = Partial<
    Pick<
        PostHog,
        | 'capture'
        | 'onFeatureFlags'
        | 'getFeatureFlagPayload'
        | 'get_property'
        | 'has_opted_out_capturing'
        | 'setPersonProperties'
        | 'on'
        | 'get_distinct_id'
        | 'get_session_id'
    >
>

export interface AppContext {
    /** The page's posthog-js, with onFeatureFlags and capture checked; every other method may be missing. */
    posthog: PostHog
    settings: Settings
    store: KeyValueStore
    /** The flag of `?userInterviewPreview=`, or null: in a preview nothing is captured or stored. */
    preview: string | null
    /** An event of the app, sent at once; never throws. */
    sendEvent(event: string, properties: Record<string, unknown>): void
    /** An answer: the event with its seen properties, remembered here (src/answers.ts). */
    recordAnswer(event: string, flag: string, properties?: Record<string, unknown>): void
    optedOut(): boolean
    /** A posthog-js property, or undefined when it cannot say. */
    readProperty(name: string): unknown
}
