// What this browser remembers about invitations. The keys are the original app's, so visitors who answered
// before an upgrade are not invited again: this app writes the 2022 versions' keys, and reads the 2023 ones too.
import type { Warn } from './log'
import { SURVEY_SEEN_KEY, timingKey } from './triggers'

export interface KeyValueStore {
    get(key: string): string | null
    set(key: string, value: string): void
}

/** Storage-like: window.localStorage, or anything with the same two methods. */
export interface StorageLike {
    getItem(key: string): string | null
    setItem(key: string, value: string): void
}

/** Set on any answer to any invitation: the cool-down's start. */
export const LAST_ANSWERED_KEY = 'user_interview_popup_shown'

export function answeredKey(flag: string): string {
    return `ph-${flag}-user_interview_popup_shown`
}

/** Answered on this browser: under this app's key (the original app's 2022 one), or the original's 2023 one. */
export function answeredHere(store: KeyValueStore, flag: string): boolean {
    return !!(store.get(answeredKey(flag)) || store.get(`ph-${flag}`))
}

export function bookedKey(flag: string): string {
    return `ph-${flag}-user_interview_booked`
}

/**
 * A store that never throws: reads and writes go to `getStorage()` while it works (private modes, sandboxed frames
 * and full quotas throw), and always to memory too, so this page keeps its word even when storage does not.
 */
export function resilientStore(getStorage: () => StorageLike | null | undefined, warn: Warn): KeyValueStore {
    const memory: Record<string, string> = {}
    function use(action: (storage: StorageLike) => string | null | void): string | null {
        try {
            const storage = getStorage()
            return (storage && action(storage)) || null
        } catch (error) {
            warn('localStorage unavailable; answers kept for this page only.', error)
            return null
        }
    }
    return {
        get: (key) => (key in memory ? memory[key] : use((storage) => storage.getItem(key))),
        set(key, value) {
            memory[key] = value
            use((storage) => storage.setItem(key, value))
        },
    }
}

export interface AnswerState {
    /** When this person last answered any invitation (ms), from this browser's storage or the person properties. */
    lastAnsweredAt: number | null
    /** Answered, or snoozed until later than now. */
    isAnswered(flag: string): boolean
}

/**
 * Answers as this browser knows them: its own storage, plus the `$set` person properties posthog-js keeps for flag
 * evaluation (`$stored_person_properties`), which survive where localStorage does not (posthog-js falls back to a
 * cookie) and arrive from other devices through the flag filter. And what else keeps an invitation away: a snoozed
 * flag counts as answered until its snooze ends (`now`, ms), and with `surveys`, a survey that posthog-js showed
 * starts the cool-down like an answer.
 */
export function readAnswers(store: KeyValueStore, personProperties: unknown, seenPropertyName: string, surveys: boolean, now: number): AnswerState {
    const props = Object(personProperties) as Record<string, unknown>
    function time(value: unknown) {
        return (typeof value === 'string' && Date.parse(value)) || 0
    }
    // (The original app's 2023 versions kept the last answer's date under the seen property's own name.)
    const last = Math.max(
        time(store.get(LAST_ANSWERED_KEY)),
        time(store.get(seenPropertyName)),
        time(props[seenPropertyName]),
        surveys ? time(store.get(SURVEY_SEEN_KEY)) : 0,
    )
    return {
        lastAnsweredAt: last || null,
        isAnswered: (flag) =>
            answeredHere(store, flag) || props[`${seenPropertyName} - ${flag}`] != null || +(store.get(timingKey(flag, 'snooze')) as string) > now,
    }
}

/**
 * True while the cool-down after the last answer lasts; never when it is 0 days. An answer stamped up to a day in
 * the future (a clock since corrected backwards, a wrong time zone) counts as made now; one stamped further ahead is
 * no date at all: it must not hide every invitation until then.
 */
export function inCoolDown(lastAnsweredAt: number | null, minDays: number, now: number): boolean {
    const ago = now - (lastAnsweredAt as number)
    return lastAnsweredAt !== null && ago > -86400000 && Math.max(ago, 0) < minDays * 86400000
}

/** `date`: the answer's, an ISO date. */
export function rememberAnswer(store: KeyValueStore, flag: string, date: string): void {
    store.set(answeredKey(flag), 'true')
    store.set(LAST_ANSWERED_KEY, date)
}
