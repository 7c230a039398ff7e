// An anonymous visitor's answers, kept on this browser until PostHog can keep them on a person. Pure: src/answers.ts
// hands in what posthog-js says of the visitor and the time.
//
// PostHog keeps a `$set` only for a visitor with a person profile (under posthog-js's default person_profiles
// 'identified_only', an anonymous visitor's `$set` is dropped at ingestion), so such an answer waits here until that
// same visitor is identified. "The same visitor" is what posthog-js can prove: the same device id, no `reset()` since
// (a logout: someone else may be at the keyboard), and, while still anonymous, the same distinct id. An identify from
// that anonymous id merges it into the person, so the answer then belongs to that person.

/** The key of the kept answers: a JSON list of UnsentAnswer. */
export const UNSENT_KEY = 'user_interview_unsent'
/** Kept at most this long (ms): a visitor who has not identified in a month may well be someone else. */
export const UNSENT_FOR_MS = 30 * 86400000
/** And at most this many (each is small): the newest stay. */
const MAX_KEPT = 20

export interface UnsentAnswer {
    /** posthog-js's distinct_id and device id when the answer was made. */
    id: string
    device: string
    /** When (ms). */
    at: number
    /** The answer's `$set`. */
    set: Record<string, string>
}

/** What posthog-js says of the visitor now. */
export interface VisitorNow {
    distinctId: string
    deviceId: string
    identified: boolean
    /** When posthog-js last reset (ms): 0 for never. */
    lastReset: number
}

/** The kept answers in `raw`; anything unreadable (an older version's single object included) is none. */
function read(raw: string | null): UnsentAnswer[] {
    try {
        const list = JSON.parse(raw || '[]')
        return Array.isArray(list) ? list.filter((item) => item && typeof item.at == 'number' && Object(item.set) === item.set) : []
    } catch {
        return []
    }
}

/** `raw` with `answer` added: every answer is kept, not only the last. */
export function keepUnsent(raw: string | null, answer: UnsentAnswer): string {
    return JSON.stringify(read(raw).concat(answer).slice(-MAX_KEPT))
}

/**
 * What to set on the person now (null: nothing), and what stays kept (as stored: '' for nothing). An answer goes
 * once its visitor is identified; one that can no longer be theirs (expired, another device id, a reset since, or
 * another anonymous id) is dropped unsent.
 */
export function takeUnsent(raw: string | null, visitor: VisitorNow, now: number): { personProperties: Record<string, string> | null; stillKept: string } {
    const theirs = read(raw).filter(
        (answer) =>
            now - answer.at < UNSENT_FOR_MS &&
            answer.device === visitor.deviceId &&
            visitor.lastReset < answer.at &&
            (visitor.identified || answer.id === visitor.distinctId),
    )
    if (!visitor.identified) return { personProperties: null, stillKept: theirs.length ? JSON.stringify(theirs) : '' }
    // In the order they were made: a later answer's general seen date wins.
    const send = theirs.reduce((sets, answer) => Object.assign(sets, answer.set), {} as Record<string, string>)
    return { personProperties: theirs.length ? send : null, stillKept: '' }
}
