// The settings a team is about to deploy, checked by the app's own parser (src/settings.ts), so that deploy refuses
// exactly what the visitor's browser would skip, and never keeps a second copy of the rules. Pure: no DOM, no
// posthog-js. Never bundled into the app (visitors download none of it): the build writes it to
// dist/settings-check.mjs for scripts/, and the unit tests import this file.
//
// The parser is lenient on purpose (a bad value is skipped with one console warning, the default used); here each key
// is read alone, so every warning it gives belongs to that key, and what the parser would do silently (cut a text at
// MAX_LENGTH, read an array as its comma-joined text, floor 2.5) is refused too: deploy shows nothing other than what
// the visitor will get.
import { contrastRatio } from './colour'
import { MAX_LENGTH, parseInterviewConfigs, parseSettings } from './settings'
import { DEFAULTS, FIELDS, type SettingField } from './settings-fields'

/** One refused setting: its key, the value given (shortened for a line), and what would be accepted. */
export interface SettingProblem {
    key: string
    value: string
    accepted: string
}

/**
 * The ranges of the app's whole-number readers (src/settings.ts `wholeNumber`), for the "accepted" text only; the
 * parser decides. test/unit/settings-check.test.ts holds each range against the parser at its edges.
 */
export const NUMBER_RANGES: Record<string, readonly [number, number]> = {
    minDaysSinceLastSeenPopUp: [0, 36500],
    showAfterSeconds: [0, 36500],
    remindLaterDays: [0, 36500],
    maxShows: [0, 36500],
    zIndex: [-2147483647, 2147483647],
    /** (a campaign setting, read by scripts/status.mjs alone; 0 is no target) */
    targetBookings: [0, 100000],
}

const COLOUR_KEYS = ['bookButtonBackground', 'bookButtonColor']
const LEGACY_KEYS = ['featureFlagNames', 'bookButtonURLs']

/** A value for one line: JSON, cut at 60 characters with its full length said. */
export function showValue(value: unknown): string {
    let shown: string
    try {
        shown = JSON.stringify(value) ?? String(value)
    } catch {
        shown = String(value)
    }
    return shown.length > 60 ? `${shown.slice(0, 50)}… (${shown.length} characters)` : shown
}

/** Levenshtein distance, case-insensitive: how far a typed key is from a setting's. */
export function editDistance(a: string, b: string): number {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j)
    for (let i = 1; i <= x.length; i++) {
        const row = [i]
        for (let j = 1; j <= y.length; j++) {
            row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1))
        }
        previous = row
    }
    return previous[y.length]
}

/** The setting `key` probably meant: the nearest by edit distance, when near enough to be a typo. */
export function closestKey(key: string): string | null {
    let best: string | null = null
    let distance = Infinity
    for (const field of FIELDS) {
        const d = editDistance(key, field.key)
        if (d < distance) [best, distance] = [field.key, d]
    }
    return distance <= Math.max(2, Math.floor(key.length / 3)) ? best : null
}

/** What a field accepts, in words. */
export function acceptedText(field: SettingField): string {
    const range = NUMBER_RANGES[field.key]
    if (field.key === 'interviewConfigs') return 'flag=https://link pairs separated by commas, e.g. user-interview=https://cal.com/you/30min'
    if (field.key === 'endDate') return 'a real date written YYYY-MM-DD, e.g. 2026-12-31'
    if (COLOUR_KEYS.indexOf(field.key) >= 0) return 'a CSS colour: #rgb or #rrggbb hex, rgb(), hsl() or a colour name, e.g. #1d4aff'
    if (field.key === 'targetBookings') return `a whole number of bookings from 1 to ${range[1]} (0 or empty: no target)`
    if (range) return `a whole number from ${range[0]} to ${range[1]}`
    if (field.type === 'choice') return `one of ${(field.choices ?? []).join(', ')}`
    if (field.type === 'boolean') return 'true or false'
    return `a text of at most ${MAX_LENGTH} characters`
}

/** Why `raw` cannot be the value of `field` before the parser even reads it (its type, its length); else null. */
function shapeProblem(field: SettingField, raw: unknown): string | null {
    if (raw === null || raw === undefined) return null
    const isText = typeof raw === 'string'
    if (field.type === 'boolean') return raw === true || raw === false || raw === 'true' || raw === 'false' ? null : 'not true or false'
    if (field.type === 'number') return isText || (typeof raw === 'number' && isFinite(raw)) ? null : 'not a number'
    if (!isText && !(typeof raw === 'number' && isFinite(raw))) return Array.isArray(raw) ? 'a list where a text belongs' : `a ${raw === true || raw === false ? 'boolean' : typeof raw} where a text belongs`
    if (isText && (raw as string).length > MAX_LENGTH) return `${(raw as string).length} characters, over the app's limit of ${MAX_LENGTH}`
    return null
}

/** The parser's verdict on one key alone: the warnings it gives, and the value it reads. */
function parseAlone(key: string, raw: unknown, isColour: (colour: string) => boolean) {
    const warnings: string[] = []
    const settings = parseSettings({ [key]: raw }, (message) => warnings.push(message), isColour) as unknown as Record<string, unknown>
    return { warnings, read: settings[key] }
}

/** Problems of one known key's value: why, and the piece of the value at fault when it is not the whole. */
function checkValue(field: SettingField, raw: unknown, isColour: (colour: string) => boolean): Array<string | { piece: string; why: string }> {
    const shape = shapeProblem(field, raw)
    if (shape) return [shape]
    if (raw === null || raw === undefined || (typeof raw === 'string' && !raw.trim())) return []
    const key = field.key
    if (key === 'interviewConfigs') {
        // One warning per pair the app skips (`Skipping interviewConfigs "piece": ...`): the piece is named.
        const warnings: string[] = []
        parseInterviewConfigs(raw, (message) => warnings.push(message))
        return warnings.map((warning) => ({ piece: /^[^"]*"([\s\S]*)"[^"]*$/.exec(warning)?.[1] ?? warning, why: 'a pair the app would skip (not a new flag=https://link)' }))
    }
    const range = NUMBER_RANGES[key]
    if (range) {
        const n = Number(typeof raw === 'string' ? raw.trim() : raw)
        if (!isFinite(n) || Math.floor(n) !== n) return ['not a whole number']
        if (n < range[0] || n > range[1]) return ['out of range']
    }
    if (!(key in DEFAULTS)) return []
    // The parser itself: any warning it gives this key alone is a value the visitor's browser would skip.
    const { warnings } = parseAlone(key, raw, isColour)
    return warnings.length ? ['the app would ignore it and use its default'] : []
}

/** The 2022 lists (featureFlagNames + bookButtonURLs): read by the app only together, and only without interviewConfigs. */
function checkLegacy(settings: Record<string, unknown>, isColour: (colour: string) => boolean): SettingProblem[] {
    const has = (key: string) => settings[key] !== undefined && settings[key] !== null && settings[key] !== ''
    if (!has('featureFlagNames') && !has('bookButtonURLs')) return []
    const problems: SettingProblem[] = []
    const problem = (key: string, accepted: string) => problems.push({ key, value: showValue(settings[key]), accepted })
    for (const key of LEGACY_KEYS) {
        if (has(key) && typeof settings[key] !== 'string') problem(key, `a comma separated text, not a list: better, interviewConfigs (flag=https://link,...)`)
    }
    if (problems.length) return problems
    if (has('interviewConfigs')) {
        for (const key of LEGACY_KEYS) if (has(key)) problem(key, 'nothing while interviewConfigs is set (the app ignores the 2022 lists then): remove it')
        return problems
    }
    if (!has('featureFlagNames')) {
        problem('bookButtonURLs', 'only together with featureFlagNames (their flags, in the same order): better, interviewConfigs (flag=https://link,...)')
        return problems
    }
    // Zipped as the app zips them (src/settings.ts), and each pair read by its own reader.
    const warnings: string[] = []
    parseSettings({ featureFlagNames: settings.featureFlagNames, bookButtonURLs: settings.bookButtonURLs }, (message) => warnings.push(message), isColour)
    for (const warning of warnings) {
        // (`Skipping interviewConfigs "flag=link": ...`; a flag without a link is zipped as `flag=undefined`)
        const pair = (/"([\s\S]*)"/.exec(warning)?.[1] ?? warning).replace(/^[,\s]+/, '').replace(/=undefined$/, ' (no link)')
        problems.push({ key: 'featureFlagNames', value: showValue(pair), accepted: 'each flag with an http(s) link at the same place in bookButtonURLs; better, interviewConfigs (flag=https://link,...)' })
    }
    return problems
}

/**
 * Every problem of `settings` (keyed like plugin.json, as a team typed them) at once, in the order given. `isColour`
 * is the colour verdict the browser's CSS.supports gives in the app (scripts/lib/colours.mjs in Node).
 */
export function checkSettings(settings: Record<string, unknown>, isColour: (colour: string) => boolean): SettingProblem[] {
    const problems: SettingProblem[] = []
    const byKey = new Map<string, SettingField>(FIELDS.map((field) => [field.key, field]))
    for (const [key, raw] of Object.entries(settings)) {
        const field = byKey.get(key)
        if (!field) {
            const near = closestKey(key)
            problems.push({ key, value: showValue(raw), accepted: near ? `no such setting: did you mean ${near}?` : 'no such setting (see plugin.json for the keys)' })
            continue
        }
        if (LEGACY_KEYS.indexOf(key) >= 0) continue
        for (const found of checkValue(field, raw, isColour)) {
            const { piece, why } = typeof found === 'string' ? { piece: raw, why: found } : found
            problems.push({ key, value: showValue(piece), accepted: `${why}; accepted: ${acceptedText(field)}` })
        }
    }
    return problems.concat(checkLegacy(settings, isColour))
}

/** A problem as its one line. */
export function problemLine(problem: SettingProblem): string {
    return `${problem.key}: ${problem.value}: ${problem.accepted}`
}

/** The interviews of an interviewConfigs value, as the app reads them (bad pairs skipped, silently here). */
export function interviewConfigsOf(raw: unknown): Array<{ flag: string; bookingLink: string }> {
    return parseInterviewConfigs(raw, () => {})
}

/**
 * What deploys but deserves a word: a book button whose text falls under WCAG's 4.5:1 contrast on its background,
 * as the app reads the two colours (a missing one is its default). Only hex colours are measured.
 */
export function settingsWarnings(settings: Record<string, unknown>, isColour: (colour: string) => boolean): string[] {
    if (settings.bookButtonBackground == null && settings.bookButtonColor == null) return []
    const read = parseSettings(settings, () => {}, isColour)
    const ratio = contrastRatio(read.bookButtonBackground, read.bookButtonColor)
    return ratio < 4.5
        ? [`bookButtonBackground ${read.bookButtonBackground} and bookButtonColor ${read.bookButtonColor}: the book button's text has a contrast of ${ratio.toFixed(1)}:1, under the 4.5:1 WCAG asks for (deployed anyway)`]
        : []
}
