// Which invitation, if any, this person gets: the first eligible candidate in priority order.
import type { Warn } from './log'
import { inCoolDown, type AnswerState } from './memory'
import { OVERRIDABLE_TEXTS, parsePayload, type InvitationTexts, type Settings } from './settings'

export interface Invitation {
    flag: string
    bookingLink: string
    texts: InvitationTexts
}

/** What the flags say right now: the enabled flag keys (posthog-js's onFeatureFlags list) and each one's payload. */
export interface FlagState {
    enabled: string[]
    payload(flag: string): unknown
}

/** The invitation for `flag` with its payload's overrides, or null when it has no usable booking link. */
export function invitationFor(settings: Settings, flag: string, payload: unknown, warn: Warn): Invitation | null {
    const configured = settings.interviewConfigs.filter((config) => config.flag === flag)[0]
    const isPrefixed = !!settings.flagStartsWith && flag.indexOf(settings.flagStartsWith) === 0
    if (!configured && !isPrefixed) return null
    const overrides = parsePayload(payload, flag, warn)
    const bookingLink = overrides.bookingLink || (configured && configured.bookingLink)
    if (!bookingLink) return null
    const texts = {} as InvitationTexts
    OVERRIDABLE_TEXTS.forEach((key) => (texts[key] = overrides[key] || settings[key]))
    return { flag, bookingLink, texts }
}

/** Candidates in priority order: the configured flags as listed, then enabled prefix flags as posthog-js lists them. */
export function candidateFlags(settings: Settings, enabled: string[]): string[] {
    const configured = settings.interviewConfigs.map((config) => config.flag)
    const prefix = settings.flagStartsWith
    const prefixed = prefix ? enabled.filter((flag) => flag.indexOf(prefix) === 0 && configured.indexOf(flag) < 0) : []
    return configured.concat(prefixed)
}

/** The invitation to show now, or null: nobody targeted, all answered, or an answer within the cool-down. */
export function chooseInvitation(
    settings: Settings,
    flags: FlagState,
    answers: AnswerState,
    now: number,
    warn: Warn,
): Invitation | null {
    if (inCoolDown(answers.lastAnsweredAt, settings.minDaysSinceLastSeenPopUp, now)) return null
    const flagList = candidateFlags(settings, flags.enabled)
    for (let i = 0; i < flagList.length; i++) {
        const flag = flagList[i]
        if (flags.enabled.indexOf(flag) < 0 || answers.isAnswered(flag)) continue
        const invitation = invitationFor(settings, flag, flags.payload(flag), warn)
        if (invitation) return invitation
    }
    return null
}
