// Turns the app's `config` (plugin.json fields, typed by people into a web form) into settings we can trust.
// Anything can arrive: every field gets a defined result, and a bad one a single warning.
import { cssColour } from './colour'
import type { Warn } from './log'
import { safeHttpUrl } from './urls'

/** Plain-text settings and their defaults (used when a value is missing, empty or not text). */
export const TEXT_DEFAULTS = {
    invitationTitle: 'Help us improve!',
    /** Limited HTML, like footerHTML. */
    invitationBody:
        "<p>You're invited to a 30-minute user interview.</p><p>Tell us what works and what doesn't, and help guide our roadmap.</p>",
    bookButtonText: 'Book now',
    closeButtonText: 'Close',
    footerHTML: '',
    flagStartsWith: '',
    shownUserInterviewPopupEvent: 'User Interview Shown Pop Up',
    dismissUserInterviewPopupEvent: 'User Interview Dismissed Pop Up',
    clickBookButtonEvent: 'User Interview Clicked Book Button',
    bookedUserInterviewEvent: 'User Interview Booked',
    userPropertyNameSeenUserInterview: 'Seen User Interview Invitation',
}
export type TextSettings = typeof TEXT_DEFAULTS

/** The texts a flag's JSON payload may override for that flag. */
export const OVERRIDABLE_TEXTS = ['invitationTitle', 'invitationBody', 'bookButtonText', 'closeButtonText'] as const
export type InvitationTexts = Pick<TextSettings, (typeof OVERRIDABLE_TEXTS)[number]>

export const POSITIONS = ['bottom-right', 'bottom-left', 'center'] as const
export const THEMES = ['auto', 'light', 'dark'] as const

export interface InterviewConfig {
    flag: string
    bookingLink: string
}

export interface Settings extends TextSettings {
    interviewConfigs: InterviewConfig[]
    minDaysSinceLastSeenPopUp: number
    domains: string[]
    bookButtonBackground: string
    bookButtonColor: string
    zIndex: number
    position: (typeof POSITIONS)[number]
    theme: (typeof THEMES)[number]
}

export const DEFAULT_COLOURS = { bookButtonBackground: '#1d4aff', bookButtonColor: '#ffffff' }

/** Long enough for any real text; a longer value is a paste accident every visitor would download. */
export const MAX_LENGTH = 10000

/** A trimmed string from a string or a number; '' for anything else (null, objects, arrays...). */
export function text(raw: unknown): string {
    return typeof raw === 'string' || (typeof raw === 'number' && isFinite(raw)) ? String(raw).trim().slice(0, MAX_LENGTH) : ''
}

/** Says once that a setting's value is unusable and what is used instead. */
function ignored(name: string, value: unknown, fallback: unknown, warn: Warn): void {
    warn(`Setting ${name}: ignoring "${String(value).slice(0, 40)}", using ${fallback}.`)
}

function wholeNumber(raw: unknown, fallback: number, min: number, max: number, name: string, warn: Warn): number {
    const value = text(raw)
    const n = Number(value)
    if (value && !(n >= min && n <= max)) ignored(name, value, fallback, warn)
    return value && n >= min && n <= max ? Math.floor(n) : fallback
}

function oneOf<T extends string>(raw: unknown, allowed: readonly T[], name: string, warn: Warn): T {
    const value = text(raw).toLowerCase() as T
    if (value && allowed.indexOf(value) < 0) ignored(name, value, allowed[0], warn)
    return allowed.indexOf(value) < 0 ? allowed[0] : value
}

const PAIR_START = /^\s*[^=\s]+\s*=\s*[a-z][a-z\d+.-]*:/i

/**
 * `flag=link,flag=link`, in priority order. Commas split pairs, except that a piece which does not start a new
 * `flag=scheme:` pair and follows a link with a query string is part of that query. Bad pairs are skipped with a
 * warning; a repeated flag keeps its first link.
 */
export function parseInterviewConfigs(raw: unknown, warn: Warn): InterviewConfig[] {
    const pieces: string[] = []
    text(raw)
        .split(',')
        .forEach((piece) => {
            const last = pieces.length - 1
            if (last >= 0 && piece.trim() && !PAIR_START.test(piece) && pieces[last].indexOf('?') > 0) pieces[last] += ',' + piece
            else pieces.push(piece)
        })
    const configs: InterviewConfig[] = []
    pieces.forEach((piece) => {
        const at = piece.indexOf('=')
        const flag = piece.slice(0, at).trim()
        const bookingLink = safeHttpUrl(piece.slice(at + 1))
        if (!piece.trim()) return
        if (at > 0 && flag && bookingLink && !configs.some((config) => config.flag === flag)) configs.push({ flag, bookingLink })
        else warn(`Skipping interviewConfigs entry "${piece.trim().slice(0, 80)}": not flag=https://link, or a repeated flag.`)
    })
    return configs
}

/** Hostnames, lower-cased; a pasted `https://app.example.com/path` counts as `app.example.com`. */
export function parseDomains(raw: unknown): string[] {
    return text(raw)
        .toLowerCase()
        .split(',')
        .map((entry) => entry.trim().replace(/^[a-z]+:\/\//, '').replace(/[/:?#].*/, ''))
        .filter(Boolean)
}

export function parseSettings(raw: unknown, warn: Warn): Settings {
    const config = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
    if (config !== raw) warn('The app config is missing; using defaults.')
    const texts = {} as Record<string, string>
    Object.keys(TEXT_DEFAULTS).forEach((key) => {
        const value = config[key]
        const fallback = TEXT_DEFAULTS[key as keyof TextSettings]
        if (value != null && typeof value === 'object') ignored(key, 'an object', 'the default', warn)
        texts[key] = text(value) || fallback
    })
    const colours = {} as Record<string, string>
    Object.keys(DEFAULT_COLOURS).forEach((key) => {
        const value = text(config[key])
        const colour = cssColour(value)
        if (value && !colour) ignored(key, value, 'the default', warn)
        colours[key] = colour || DEFAULT_COLOURS[key as keyof typeof DEFAULT_COLOURS]
    })
    // Object.assign rather than spread: spread would make Babel's ES5 output carry an iterator helper.
    const settings: Settings = Object.assign(texts as TextSettings, colours as typeof DEFAULT_COLOURS, {
        interviewConfigs: parseInterviewConfigs(config.interviewConfigs, warn),
        minDaysSinceLastSeenPopUp: wholeNumber(config.minDaysSinceLastSeenPopUp, 90, 0, 36500, 'minDaysSinceLastSeenPopUp', warn),
        domains: parseDomains(config.domains),
        zIndex: wholeNumber(config.zIndex, 999999, -2147483647, 2147483647, 'zIndex', warn),
        position: oneOf(config.position, POSITIONS, 'position', warn),
        theme: oneOf(config.theme, THEMES, 'theme', warn),
    })
    if (!settings.interviewConfigs.length && !settings.flagStartsWith) {
        warn('No interview is configured: set interviewConfigs (flag=https://link) or flagStartsWith.')
    }
    return settings
}

export type PayloadOverrides = Partial<InvitationTexts> & { bookingLink?: string }

/**
 * A flag's JSON payload (posthog-js hands it over parsed, or as a string when it was not JSON). Only an object
 * counts; its bookingLink and texts override the settings for that flag, and anything else in it is ignored.
 */
export function parsePayload(raw: unknown, flag: string, warn: Warn): PayloadOverrides {
    let payload = raw
    try {
        if (typeof payload === 'string') payload = payload.length > MAX_LENGTH ? 0 : JSON.parse(payload)
    } catch {
        payload = 0
    }
    const overrides: PayloadOverrides = {}
    if (payload == null) return overrides
    if (typeof payload !== 'object' || Array.isArray(payload)) {
        warn(`Ignoring the payload of flag "${flag}": not a JSON object.`)
        return overrides
    }
    const source = payload as Record<string, unknown>
    OVERRIDABLE_TEXTS.forEach((key) => {
        if (text(source[key])) overrides[key] = text(source[key])
    })
    if (source.bookingLink != null) {
        const link = safeHttpUrl(source.bookingLink)
        if (link) overrides.bookingLink = link
        else warn(`Ignoring the bookingLink in the payload of flag "${flag}": not an http(s) URL.`)
    }
    return overrides
}
