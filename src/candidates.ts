// Which invitation, if any, this person gets: the first eligible candidate in priority order.
import type { Warn } from './log'
import { inCoolDown, type AnswerState } from './memory'
import { ended, parsePayload, parseSettings, type Settings } from './settings'

export interface Invitation {
    flag: string
    bookingLink: string
    /**
     * This flag's settings, read over the app's: its payload's texts and when-to-ask settings (OVERRIDABLE), the app's
     * for the rest; but interviewConfigs and domains, the app's alone, are empty here.
     */
    settings: Settings
}

/** The invitation for `flag` (configured, or prefixed with a payload link), overrides applied; null if it has none. */
export function invitationFor(settings: Settings, flag: string, payload: unknown, warn: Warn): Invitation | null {
    const configured = settings.interviewConfigs.filter((config) => config.flag === flag)[0]
    if (!configured && !(settings.flagStartsWith && flag.indexOf(settings.flagStartsWith) === 0)) return null
    const overrides = parsePayload(payload, flag, warn)
    const bookingLink = overrides.bookingLink || (configured && configured.bookingLink)
    return bookingLink ? { flag, bookingLink, settings: parseSettings(overrides, warn, undefined, settings) } : null
}

/**
 * The invitation to show now, or null: nobody targeted, all answered or past their end date, or an answer within the
 * cool-down. What the
 * flags say: `enabled`, the enabled flag keys (posthog-js's onFeatureFlags list), and each one's `payload`.
 * Candidates in priority order: the configured flags as listed, then enabled prefix flags in posthog-js's order.
 */
export function chooseInvitation(
    settings: Settings,
    enabled: string[],
    payload: (flag: string) => unknown,
    answers: AnswerState,
    now: number,
    warn: Warn,
): Invitation | null {
    if (inCoolDown(answers.lastAnsweredAt, settings.minDaysSinceLastSeenPopUp, now)) return null
    const candidates = settings.interviewConfigs.map((config) => config.flag).concat(enabled)
    for (let i = 0; i < candidates.length; i++) {
        const flag = candidates[i]
        const invitation = enabled.indexOf(flag) >= 0 && !answers.isAnswered(flag) && invitationFor(settings, flag, payload(flag), warn)
        // Past its end date, an invitation is over: the next candidate may still be asked.
        if (invitation && !ended(invitation.settings.endDate, now)) return invitation
    }
    return null
}
