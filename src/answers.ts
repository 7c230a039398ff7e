// Recording an answer (closed, booked, clicked Book): its event with the seen person properties, remembered on this
// browser, and, for an anonymous visitor, kept unsent until they are identified (src/unsent.ts).
import type { PostHog } from 'posthog-js'
import { guard } from './guard'
import { rememberAnswer, type KeyValueStore } from './memory'
import type { Settings } from './settings'
import { SURVEY_SEEN_KEY } from './triggers'
import { keepUnsent, takeUnsent, UNSENT_KEY, type VisitorNow } from './unsent'

export interface Answers {
    recordAnswer(event: string, flag: string, properties?: Record<string, unknown>): void
    sendUnsent(): void
}

export function createAnswers(
    ph: PostHog,
    settings: Settings,
    store: KeyValueStore,
    capture: (event: string, properties: Record<string, unknown>) => void,
    property: (name: string) => unknown,
): Answers {
    const visitor = (): VisitorNow => ({
        // (what get_distinct_id() reads)
        distinctId: String(property('distinct_id')),
        deviceId: String(property('$device_id')),
        identified: property('$user_state') === 'identified',
        lastReset: Date.parse(property('$last_posthog_reset') as string) || 0,
    })
    // Checked on every flag load (identify() reloads the flags), and before a new answer.
    const sendUnsent = guard(() => {
        const kept = store.get(UNSENT_KEY)
        if (!kept) return
        const unsent = takeUnsent(kept, visitor(), Date.now())
        if (unsent.personProperties) ph.setPersonProperties(unsent.personProperties)
        store.set(UNSENT_KEY, unsent.stillKept)
    })
    /** `properties`: the event's own (`ignored` on the dismissal after maxShows displays, a booking's ids). */
    function recordAnswer(event: string, flag: string, properties: Record<string, unknown> = {}) {
        sendUnsent()
        const now = Date.now()
        const date = new Date(now).toISOString()
        rememberAnswer(store, flag, date)
        // For Surveys' own wait period, an answer is a seen survey.
        if (settings.shareCoolDownWithSurveys) store.set(SURVEY_SEEN_KEY, date)
        const $set: Record<string, string> = {}
        $set[`${settings.userPropertyNameSeenUserInterview} - ${flag}`] = $set[settings.userPropertyNameSeenUserInterview] = date
        properties.featureFlagName = flag
        properties.$set = $set
        capture(event, properties)
        const who = visitor()
        if (!who.identified) store.set(UNSENT_KEY, keepUnsent(store.get(UNSENT_KEY), { id: who.distinctId, device: who.deviceId, at: now, set: $set }))
    }
    return { recordAnswer, sendUnsent: sendUnsent as () => void }
}
