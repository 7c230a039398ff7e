// Which invitation, if any, this person gets: the first eligible candidate in priority order.
import type { Warn } from './log'
import { inCoolDown, type AnswerState } from './memory'
import { OVERRIDABLE_TEXTS, parsePayload, parseSettings, type InvitationTexts, type Settings, type Timing } from './settings'

export interface Invitation {
    flag: string
    bookingLink: string
    texts: InvitationTexts
    /** When to ask, and how often: the settings, overridden by the flag's payload. */
    when: Timing
}

/** The invitation for `flag` (configured, or prefixed with a payload link), overrides applied; null if it has none. */
export function invitationFor(settings: Settings, flag: string, payload: unknown, warn: Warn): Invitation | null {
    const configured = settings.interviewConfigs.filter((config) => config.flag === flag)[0]
    if (!configured && !(settings.flagStartsWith && flag.indexOf(settings.flagStartsWith) === 0)) return null
    const overrides = parsePayload(payload, flag, warn)
    const texts = {} as InvitationTexts
    OVERRIDABLE_TEXTS.forEach((key) => (texts[key] = overrides[key] || settings[key]))
    const bookingLink = overrides.bookingLink || (configured && configured.bookingLink)
    return bookingLink ? { flag, bookingLink, texts, when: parseSettings(overrides, warn, undefined, settings) } : null
}

/**
 * The invitation to show now, or null: nobody targeted, all answered, or an answer within the cool-down. What the
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
        if (invitation) return invitation
    }
    return null
}
