// When to ask, and how often: the decisions and this browser's per-flag counters. No DOM and no posthog-js here:
// src/app.ts hands in the path, the time and the store, and owns the listeners.
import type { Invitation } from './candidates'
import type { KeyValueStore } from './memory'
import { list, pathMatches } from './paths'

/** With `?userInterviewPreview=flag`, `&userInterviewPreviewTriggers=1` makes the preview wait for its triggers. */
export const PREVIEW_TRIGGERS_PARAM = 'userInterviewPreviewTriggers'

/**
 * posthog-js Surveys' own record of when it last showed this browser a survey: `localStorage.lastSeenSurveyDate`, an
 * ISO date (@posthog/browser-common, surveys-extension-utils `hasWaitPeriodPassed`). Not a public API: only ever
 * read and written through the store, which never throws, and read as a date or not at all.
 */
export const SURVEY_SEEN_KEY = 'lastSeenSurveyDate'

/** This browser's keys for a flag: until when it is snoozed (ms), and how often it was shown unanswered. */
export function timingKey(flag: string, what: 'snooze' | 'shows'): string {
    return `ph-${flag}-interview_${what}`
}

/** The invitation waiting for its moment on this page. */
export interface Gate {
    /** The flag whose triggers have fired, if any; it may show from `due` (ms). */
    flag?: string
    due?: number
    /** The events captured on this page so far (showOnEvents). */
    seen: Record<string, boolean>
}

/**
 * Whether `invitation` (the one this person may get now, or null) shows now, on `path`: on its pages, after one of its
 * events (if it has any) and its delay. Leaving its pages, or its eligibility, disarms it: its triggers must fire
 * again.
 */
export function whenToShow(gate: Gate, invitation: Invitation | null, path: string, now: number): boolean {
    const when = invitation && invitation.settings
    if (!when || !pathMatches(path, when.pages)) {
        gate.flag = ''
        return false
    }
    if (gate.flag !== invitation.flag) {
        if (when.showOnEvents && !list(when.showOnEvents).some((event) => gate.seen[event])) return false
        gate.flag = invitation.flag
        gate.due = now + when.showAfterSeconds * 1000
    }
    return gate.due! <= now
}

function shows(store: KeyValueStore, flag: string) {
    return +(store.get(timingKey(flag, 'shows')) as string) || 0
}

/** True once `max` displays (0: no limit) of `flag`'s invitation went unanswered. */
export function shownTooOften(store: KeyValueStore, flag: string, max: number): boolean {
    return !!max && shows(store, flag) >= max
}

/** Counts a display of `flag`'s invitation (one past maxShows, from another tab at once, changes nothing). */
export function countShow(store: KeyValueStore, flag: string): void {
    store.set(timingKey(flag, 'shows'), String(shows(store, flag) + 1))
}

/**
 * Hides `flag`'s invitation on this browser for `days`, without answering it. "Later" is an answer to the displays so
 * far: after the snooze, the visitor gets their maxShows again.
 */
export function snooze(store: KeyValueStore, flag: string, days: number, now: number): void {
    store.set(timingKey(flag, 'snooze'), String(now + days * 86400000))
    store.set(timingKey(flag, 'shows'), '')
}
