// Turns the app's settings into settings we can trust: the plugin form's `config` (plugin.json fields, typed by
// people into a web form: all strings) and the HogFunction's `inputs` (typed values: numbers, choices, strings, or
// null where a template failed) alike. Anything can arrive: every field gets a defined result, and an unusable one a
// single warning.
import { cssColour } from './colour'
import type { Warn } from './log'
import { BOOKING_MODES, DEFAULTS, POSITIONS, THEMES, type SettingKey } from './settings-fields'
import { safeUrl } from './urls'

export { BOOKING_MODES, POSITIONS, THEMES }

/** The text settings (every default that is a string, the two parsed ones aside). */
type TextKey = { [K in SettingKey]: (typeof DEFAULTS)[K] extends string ? K : never }[SettingKey]
export type TextSettings = Record<Exclude<TextKey, 'interviewConfigs' | 'domains' | 'position' | 'theme' | 'bookingMode' | 'endDate'>, string>

/**
 * The settings a flag's JSON payload may override for that flag: its texts, when to ask and how often
 * (src/triggers.ts; the two lists stay comma separated strings, which src/paths.ts splits), and how to book.
 */
export const OVERRIDABLE = [
    'invitationTitle',
    'invitationBody',
    'bookButtonText',
    'closeButtonText',
    'remindLaterButtonText',
    'showOnEvents',
    'pages',
    'showAfterSeconds',
    'remindLaterDays',
    'maxShows',
    'endDate',
    'bookingMode',
] as const

export interface InterviewConfig {
    flag: string
    bookingLink: string
}

export interface Settings extends TextSettings {
    interviewConfigs: InterviewConfig[]
    minDaysSinceLastSeenPopUp: number
    showAfterSeconds: number
    maxShows: number
    remindLaterDays: number
    shareCoolDownWithSurveys: boolean
    prefillNameAndEmail: boolean
    bookingMode: (typeof BOOKING_MODES)[number]
    domains: string[]
    zIndex: number
    position: (typeof POSITIONS)[number]
    theme: (typeof THEMES)[number]
    /** `YYYY-MM-DD`, a real day, or '' for none. */
    endDate: string
}

/** Long enough for any real text; a longer value is a paste accident every visitor would download. */
export const MAX_LENGTH = 10000

/** A trimmed string from a string or a number; '' for anything else (null, objects, arrays...). */
export function text(raw: unknown): string {
    return typeof raw === 'string' || (typeof raw === 'number' && isFinite(raw)) ? String(raw).trim().slice(0, MAX_LENGTH) : ''
}

function wholeNumber(min: number, max: number) {
    return (value: string) => {
        const n = Number(value)
        return n >= min && n <= max ? Math.floor(n) : null
    }
}

function oneOf(allowed: readonly string[]) {
    return (value: string) => (allowed.indexOf(value.toLowerCase()) < 0 ? null : value.toLowerCase())
}

/** A real day written `YYYY-MM-DD` (not 2026-02-30, which Date.parse would take for March 2nd), as written. */
export function isoDay(value: string) {
    return /^\d{4}-\d\d-\d\d$/.test(value) && new Date(Date.parse(value) || 0).toISOString().indexOf(value) === 0 ? value : null
}

/** True once `endDate` (`YYYY-MM-DD`, '' for none) is over: from the next midnight in the local time of `now` (ms). */
export function ended(endDate: string, now: number): boolean {
    // (a date-time without an offset is local time; 24:00 is the end of that day)
    return !!endDate && Date.parse(endDate + 'T24:00') <= now
}

/** `true` or `false`, as the plugin form's choice or a HogFunction boolean. */
function yesNo(value: string) {
    return value === 'true' || (value !== 'false' && null)
}

/**
 * `flag=link,flag=link`, in priority order; a link may hold `=` (only the first one splits) and `,` (a pair ends only
 * where a new `flag=scheme:` starts). Empty pairs are skipped; bad ones and repeated flags (the first link wins) with a
 * warning.
 */
export function parseInterviewConfigs(raw: unknown, warn: Warn): InterviewConfig[] {
    const configs: InterviewConfig[] = []
    text(raw)
        .split(/,(?=[^,=]*=\s*\w+:)|,\s*(?=,|$)/)
        .forEach((piece) => {
            const at = piece.indexOf('=')
            const flag = piece.slice(0, at).trim()
            const bookingLink = safeUrl(piece.slice(at + 1))
            if (at > 0 && flag && bookingLink && !configs.some((config) => config.flag === flag)) configs.push({ flag, bookingLink })
            else if (piece.trim()) warn(`Skipping interviewConfigs "${piece}": not a new flag=https://link.`)
        })
    return configs
}

/** Hostnames, lower-cased; a pasted `https://app.example.com/path` counts as `app.example.com`. */
export function parseDomains(raw: unknown): string[] {
    return text(raw)
        .toLowerCase()
        .replace(/[a-z]+:\/\/|[/:?#][^,]*/g, '')
        .split(/\s*,\s*/)
        .filter(Boolean)
}

/**
 * `isColour`: the browser's verdict on a colour (see `cssColour`); without it, a colour setting keeps its default.
 * `base` (a flag's payload is read over its settings) gives the fallbacks: DEFAULTS unless said.
 */
export function parseSettings(raw: unknown, warn: Warn, isColour?: (colour: string) => boolean, base: object = DEFAULTS): Settings {
    const config = (Object(raw) === raw ? raw : {}) as Record<string, unknown>
    // The original app's 2022 settings, when interviewConfigs is empty: two lists, flags and their links, zipped.
    const links = text(config.bookButtonURLs).split(',')
    const settings = {
        interviewConfigs: parseInterviewConfigs(
            config.interviewConfigs ||
                text(config.featureFlagNames)
                    .split(',')
                    .map((flag, i) => flag && `${flag}=${links[i]}`)
                    .join(',,'),
            warn,
        ),
        domains: parseDomains(config.domains),
    } as Record<string, unknown>
    /** Setting `name` as `read` sees it (null: unusable, said once, and `fallback` used). */
    function setting(name: string, fallback: unknown, read: (value: string) => unknown) {
        const raw = config[name]
        // (a boolean HogFunction input, or a list in a payload: `true`, `a,b`)
        const value = text(raw === !!raw || Array.isArray(raw) ? String(raw) : raw)
        const parsed = value ? read(value) : null
        if (value && parsed === null) warn(`Setting ${name}: ignoring "${value.slice(0, 40)}", using ${fallback}.`)
        settings[name] = parsed === null ? fallback : parsed
    }
    const days = wholeNumber(0, 36500)
    function colour(value: string) {
        return cssColour(value, isColour)
    }
    const readers: Record<string, (value: string) => unknown> = {
        minDaysSinceLastSeenPopUp: days,
        showAfterSeconds: days,
        remindLaterDays: days,
        maxShows: days,
        shareCoolDownWithSurveys: yesNo,
        prefillNameAndEmail: yesNo,
        endDate: isoDay,
        bookingMode: oneOf(BOOKING_MODES),
        zIndex: wholeNumber(-2147483647, 2147483647),
        position: oneOf(POSITIONS),
        theme: oneOf(THEMES),
        bookButtonBackground: colour,
        bookButtonColor: colour,
    }
    for (const key in DEFAULTS) {
        if (!(key in settings)) setting(key, (base as Record<string, unknown>)[key], readers[key] || String)
    }
    return settings as unknown as Settings
}

/** A payload's overridable settings as found (the settings' own readers read them), and its checked bookingLink. */
export type PayloadOverrides = Partial<Record<(typeof OVERRIDABLE)[number], unknown>> & { bookingLink?: string }

/**
 * A flag's JSON payload (posthog-js hands it over parsed, or as a string when it was not JSON). Only an object
 * counts; its bookingLink and OVERRIDABLE settings override the settings for that flag, and anything else in it is
 * ignored.
 */
export function parsePayload(raw: unknown, flag: string, warn: Warn): PayloadOverrides {
    let payload = raw
    try {
        if (typeof payload === 'string') payload = payload.length > MAX_LENGTH ? 0 : JSON.parse(payload)
    } catch {
        payload = 0
    }
    const overrides: PayloadOverrides = {}
    const source = (payload || {}) as Record<string, unknown>
    if (payload != null && (Object(payload) !== payload || Array.isArray(payload))) {
        warn(`Ignoring ${flag} payload: not a JSON object.`)
        return overrides
    }
    // As found: read with the settings' own readers over that flag's settings (src/candidates.ts).
    OVERRIDABLE.forEach((key) => (overrides[key] = source[key]))
    if (source.bookingLink != null) {
        const link = safeUrl(source.bookingLink)
        if (link) overrides.bookingLink = link
        else warn(`Ignoring ${flag} payload bookingLink: not http(s).`)
    }
    return overrides
}
