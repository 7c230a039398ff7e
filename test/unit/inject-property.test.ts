// Property test: whatever settings, flags, payloads, stored values and address a page hands the app, `inject` never
// throws, calls back once, shows at most one popup, logs only prefixed warnings, and Book only ever opens an http(s)
// link that the settings or that flag's payload gave it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import plugin from '../../plugin.json'
import { inject } from '../../site'
import { asHiddenTab, fakePosthog } from './fake-posthog'

const KEYS = plugin.config.flatMap((field) => ('key' in field && field.key && field.site ? [field.key] : []))
const LAST_ANSWERED = 'user_interview_popup_shown'
const SEEN = 'Seen User Interview Invitation'

// ---- arbitraries ------------------------------------------------------------------------------------------------

/** A few flag names collide on purpose (duplicates, enabled flags that are configured), the rest is noise. */
const FLAGS = ['user-interview', 'interview-a', 'interview-b', 'Interview-C', 'a=b', ' padded ', 'interview-', '__proto__', 'constructor']
const flagName = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FLAGS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) })

const huge = fc.integer({ min: 10_001, max: 25_000 }).map((n) => 'x'.repeat(n))
const hostileString = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ maxLength: 10 }).map((s) => `  \t${s}\n  `),
    fc.constantFrom(
        '', ' ', '\u0000', '\u202e', 'NaN', '-1', '1e309', '0x10', 'null', 'undefined', '{}', '[]', '__proto__', 'toString',
        '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', 'javascript:alert(1)',
        '"><svg onload=alert(1)>', '</style><script>alert(1)</script>',
    ),
    huge,
)
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: hostileString },
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, undefined, true, false, Infinity, -0),
    fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
    fc.object({ maxDepth: 1, maxKeys: 3 }),
)

const scheme = fc.constantFrom(
    'https://', 'http://', 'HTTPS://', 'HtTp://', ' https://', 'https:/', 'https:', '//', '', 'javascript:', 'JAVASCRIPT:',
    'jav\tascript:', 'data:text/html,', 'data:', 'vbscript:', 'ftp://', 'mailto:', 'file:///', 'blob:https://',
)
const host = fc.constantFrom('cal.test', 'CAL.Test', 'cal.test:8443', 'user:pw@cal.test', 'xn--nxasmq6b.test', '127.0.0.1', '', '%00', 'a b.test', 'alert(1)')
const path = fc.constantFrom('', '/', '/30min', '/book?month=2026-11&x=1', '/?q=a=b', '/a==b', '#frag', '/<script>', '/%2e%2e/', '?a=1')
/** A link that is valid, with the usual suspects in it: `=`, a query, odd case, a port, credentials. */
const goodLink = fc.tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', '  https://'), host.filter((h) => /^[\w.:@-]+$/.test(h)), path).map((parts) => parts.join(''))
const link = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(scheme, host, path, fc.string({ maxLength: 4 })).map((parts) => parts.join('')) },
    { weight: 3, arbitrary: goodLink },
    { weight: 1, arbitrary: hostileString },
)
const pair = fc
    .tuple(flagName, fc.constantFrom('=', ' = ', '==', '', '=='), link)
    .map(([flag, eq, url]) => `${flag}${eq}${url}`)
const piece = fc.oneof({ weight: 6, arbitrary: pair }, { weight: 1, arbitrary: fc.constantFrom('', ' ', '=', 'garbage', '=https://cal.test/x') })
const interviewConfigs = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.array(piece, { maxLength: 5 }), fc.boolean()).map(([pieces, trailing]) => pieces.join(',') + (trailing ? ',' : '')) },
    { weight: 1, arbitrary: anyValue },
)

/**
 * When to ask: mostly values that let the popup show on this page (`/app`, no event captured) so that the rest of the
 * property is exercised, at `weight` to 1 against anything at all.
 */
function timing(weight: number): Record<string, fc.Arbitrary<unknown>> {
    const often = (...values: unknown[]) => fc.oneof({ weight, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: anyValue })
    return {
        showOnEvents: often('', ' ', '$pageview', 'a, b'),
        pages: often('', '*', '/app', '/app/*', ' /app , /x ', '/other', '/(', '[', '\\'),
        showAfterSeconds: often('', '0', 0, '2'),
        maxShows: often('', '0', '1', 2),
        remindLaterDays: often('7', '0', '-1', 'x'),
        remindLaterButtonText: often('', 'Later', '<b>x</b>'),
    }
}

const special: Record<string, fc.Arbitrary<unknown>> = {
    interviewConfigs,
    flagStartsWith: fc.oneof(fc.constantFrom('interview-', 'Interview-', ' interview- ', 'i', '', 'a='), anyValue),
    minDaysSinceLastSeenPopUp: fc.oneof(fc.constantFrom('0', '90', ' 3 ', '-1', 'abc', '1e400', 0, 90, 2.5, '36501'), anyValue),
    domains: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('', 'localhost', ' LOCALHOST ', '*.localhost', 'https://localhost/path', 'example.com', ',,') },
        { weight: 1, arbitrary: anyValue },
    ),
    bookButtonBackground: fc.oneof(fc.constantFrom('#1d4aff', '#fff', 'red', 'rgb(1,2,3)', 'url(javascript:alert(1))', 'red;}*{x:y'), anyValue),
    bookButtonColor: fc.oneof(fc.constantFrom('#ffffff', '#ffff00', 'black', 'hsl(1 2% 3%)', 'expression(alert(1))'), anyValue),
    zIndex: fc.oneof(fc.constantFrom('999999', '-1', '1e20', ' 5 ', 'auto', 2147483648), anyValue),
    position: fc.oneof(fc.constantFrom('bottom-right', 'bottom-left', 'center', 'CENTER', ' top '), anyValue),
    theme: fc.oneof(fc.constantFrom('auto', 'light', 'dark', 'Dark', 'neon'), anyValue),
    ...timing(3),
    shareCoolDownWithSurveys: fc.oneof(fc.constantFrom('true', 'false', true, false, 'TRUE', 'yes'), anyValue),
}
const settingsRecord = fc.record(Object.fromEntries(KEYS.map((key) => [key, special[key] ?? anyValue])), { requiredKeys: [] })
const config = fc.oneof({ weight: 12, arbitrary: settingsRecord }, { weight: 1, arbitrary: anyValue })

const payloadObject = fc.record(
    {
        bookingLink: fc.oneof({ weight: 3, arbitrary: link }, { weight: 1, arbitrary: anyValue }),
        invitationTitle: anyValue,
        invitationBody: anyValue,
        bookButtonText: anyValue,
        closeButtonText: anyValue,
        ...timing(3),
    },
    { requiredKeys: [] },
)
const payload: fc.Arbitrary<unknown> = fc.oneof(
    payloadObject,
    payloadObject.map((p) => JSON.stringify(p)),
    fc.constantFrom('{bookingLink:', '{"bookingLink": "https://cal.test/x"', 'not json', '"https://cal.test/str"', '[1,2]', '42', 'null'),
    fc.array(link, { maxLength: 2 }),
    fc.integer(),
    fc.constantFrom(null, undefined, true),
    huge.map((s) => JSON.stringify({ bookingLink: `https://cal.test/${s}` })),
)

const storedValue = fc.oneof(
    fc.constantFrom('true', 'false', '', '1', 'null', 'Invalid Date', '9999-99-99', '2020-01-01T00:00:00.000Z'),
    fc.integer({ min: -400, max: 400 }).map((days) => new Date(Date.now() - days * 86_400_000).toISOString()),
    hostileString,
)
const storageKey = fc.oneof(
    fc.constant(LAST_ANSWERED),
    fc.constant('lastSeenSurveyDate'),
    flagName.map((flag) => `ph-${flag}-interview_snooze`),
    flagName.map((flag) => `ph-${flag}-interview_shows`),
    flagName.map((flag) => `ph-${flag}-user_interview_popup_shown`),
    flagName.map((flag) => `ph-${flag}-user_interview_booked`),
)
const storage = fc.array(fc.tuple(storageKey, storedValue), { maxLength: 4 })
const personProperties = fc.option(
    fc.dictionary(fc.oneof(fc.constant(SEEN), flagName.map((flag) => `${SEEN} - ${flag}`)), fc.oneof(storedValue, anyValue), { maxKeys: 3 }),
)

const queryValue = fc.oneof(flagName, hostileString.filter((s) => s.length < 3000))
const query = fc.record(
    { bookedUserInterviewEvent: queryValue, userInterviewPreview: queryValue, hash: fc.constantFrom('', '#top', '#<x>') },
    { requiredKeys: [] },
)

const scenario = fc.record({
    config,
    loads: fc.array(fc.array(flagName, { maxLength: 5 }), { minLength: 0, maxLength: 3 }),
    flagsBeforeInject: fc.boolean(),
    payloads: fc.dictionary(flagName, payload, { maxKeys: 4 }),
    storage,
    personProperties,
    query,
    missing: fc.subarray(['getFeatureFlagPayload', 'get_property', 'has_opted_out_capturing'] as const),
    injectTwice: fc.boolean(),
})
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

// ---- oracle -----------------------------------------------------------------------------------------------------

/** The absolute http(s) form of `raw`, the way a URL parser reads it; null for anything else. */
function webLink(raw: unknown): string | null {
    if (typeof raw !== 'string') return null
    try {
        const url = new URL(raw.trim())
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
    } catch {
        return null
    }
}

/**
 * Every link interviewConfigs could give `flag`: the text after the first `=` of a piece whose flag is `flag`,
 * optionally with the following comma-separated pieces (a link's query may contain commas).
 */
function configuredLinks(raw: unknown, flag: string): string[] {
    const value = typeof raw === 'string' || (typeof raw === 'number' && isFinite(raw)) ? String(raw).trim().slice(0, 10_000) : ''
    const pieces = value.split(',')
    const links: string[] = []
    pieces.forEach((piece, i) => {
        const at = piece.indexOf('=')
        if (at <= 0 || piece.slice(0, at).trim() !== flag) return
        for (let j = i; j < pieces.length; j++) {
            const candidate = webLink([piece.slice(at + 1), ...pieces.slice(i + 1, j + 1)].join(','))
            if (candidate) links.push(candidate)
        }
    })
    return links
}

function payloadLink(raw: unknown): string | null {
    let value = raw
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value)
        } catch {
            return null
        }
    }
    return value && typeof value === 'object' && !Array.isArray(value) ? webLink((value as Record<string, unknown>).bookingLink) : null
}

// ---- the property -----------------------------------------------------------------------------------------------

const hosts = () => document.querySelectorAll('user-interviewer')
let warnings: unknown[][]
let errors: unknown[][]

function resetPage(s: Scenario) {
    vi.clearAllTimers() // (the previous scenario's app, which a real page would not have kept)
    delete (window as unknown as Record<string, unknown>).__userInterviewer
    localStorage.clear()
    document.body.innerHTML = '<main><h2>host page</h2><button>host</button></main>'
    const params = new URLSearchParams()
    if (s.query.bookedUserInterviewEvent !== undefined) params.set('bookedUserInterviewEvent', s.query.bookedUserInterviewEvent)
    if (s.query.userInterviewPreview !== undefined) params.set('userInterviewPreview', s.query.userInterviewPreview)
    const search = params.toString()
    history.replaceState(null, '', `/app${search ? `?${search}` : ''}${s.query.hash ?? ''}`)
    for (const [key, value] of s.storage) localStorage.setItem(key, value)
    warnings.length = 0
    errors.length = 0
}

function makePosthog(s: Scenario) {
    const posthog = fakePosthog({ payloads: s.payloads, personProperties: s.personProperties ?? undefined })
    for (const name of s.missing) delete (posthog as Record<string, unknown>)[name]
    return posthog
}

function check(s: Scenario): boolean {
    resetPage(s)
    const opened: string[] = []
    const onOpened = (event: Event) => opened.push((event as CustomEvent<{ featureFlagName: string }>).detail.featureFlagName)
    window.addEventListener('PHUserInterviewBoxOpened', onOpened)
    const open = vi.fn()
    window.open = open as unknown as typeof window.open
    try {
        const copies = s.injectTwice ? [makePosthog(s), makePosthog(s)] : [makePosthog(s)]
        const callbacks = copies.map(() => vi.fn())
        if (s.flagsBeforeInject && s.loads[0]) copies.forEach((ph) => ph.loadFlags(s.loads[0]))
        copies.forEach((posthog, i) => expect(() => inject({ config: s.config, posthog, callback: callbacks[i] })).not.toThrow())
        for (const flags of s.loads) {
            for (const ph of copies) {
                expect(() => ph.loadFlags(flags)).not.toThrow()
                expect(hosts().length).toBeLessThanOrEqual(1)
            }
        }
        // The when-to-ask check, twice a second (faked here): whatever the settings, it never throws either.
        expect(() => vi.advanceTimersByTime(1000)).not.toThrow()
        for (const callback of callbacks) {
            expect(callback).toHaveBeenCalledTimes(1)
            expect(typeof callback.mock.calls[0][0]).toBe('boolean')
        }

        const captured = copies.flatMap((ph) => ph.captured)
        const shownCaptures = captured.filter((c) => !('$set' in c.properties))
        expect(opened.length).toBeLessThanOrEqual(1)
        expect(hosts().length).toBe(opened.length)
        const preview = new URL(location.href).searchParams.get('userInterviewPreview')?.trim() || null
        if (!opened.length) {
            expect(shownCaptures).toEqual([])
        } else {
            const flag = opened[0]
            if (preview) {
                expect(flag).toBe(preview)
                expect(shownCaptures).toEqual([])
            } else {
                expect(s.loads.some((flags) => flags.indexOf(flag) >= 0)).toBe(true)
                expect(shownCaptures).toEqual([{ event: expect.any(String), properties: { featureFlagName: flag } }])
            }
            const book = hosts()[0].shadowRoot!.querySelector('button.book') as HTMLButtonElement
            expect(() => book.click()).not.toThrow()
            expect(open).toHaveBeenCalledTimes(1)
            const [url, target, features] = open.mock.calls[0]
            const parsed = new URL(url)
            expect(['http:', 'https:']).toContain(parsed.protocol)
            const allowed = configuredLinks(s.config && typeof s.config === 'object' ? (s.config as Record<string, unknown>).interviewConfigs : undefined, flag)
            const fromPayload = s.missing.indexOf('getFeatureFlagPayload') < 0 ? payloadLink(s.payloads[flag]) : null
            if (fromPayload) allowed.push(fromPayload)
            expect(allowed).toContain(url)
            expect(target).toBe('_blank')
            expect(features).toBeUndefined()
            expect(hosts().length).toBe(0)
        }
        for (const line of warnings) expect(String(line[0])).toMatch(/^\[User Interviewer\] /)
        expect(errors).toEqual([])
        return opened.length > 0
    } finally {
        window.removeEventListener('PHUserInterviewBoxOpened', onOpened)
        hosts().forEach((el) => el.remove())
    }
}

beforeEach(() => {
    warnings = []
    errors = []
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args))
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args))
    asHiddenTab()
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
})

afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
    delete (window as unknown as Record<string, unknown>).__userInterviewer
    localStorage.clear()
    history.replaceState(null, '', '/')
})

describe('inject on hostile input (fast-check)', () => {
    it('never throws, calls back once, shows at most one popup, warns with the prefix, and books only http(s) links it was given', () => {
        fc.assert(
            fc.property(scenario, (s) => void check(s)),
            { numRuns: 250 },
        )
    }, 30_000)

    it('the same, biased to reach the popup: settings that configure flags that are enabled, nothing answered yet', () => {
        const reaching = fc
            .tuple(scenario, fc.array(fc.tuple(fc.constantFrom(...FLAGS), fc.oneof(goodLink, link)), { minLength: 1, maxLength: 4 }))
            .map(([s, links]): Scenario => {
                const base = s.config && typeof s.config === 'object' && !Array.isArray(s.config) ? s.config : {}
                return {
                    ...s,
                    config: {
                        ...base,
                        interviewConfigs: links.map(([flag, url]) => `${flag}=${url}`).join(','),
                        domains: '',
                        minDaysSinceLastSeenPopUp: '0',
                        ...{ showOnEvents: '', pages: '', showAfterSeconds: '0', maxShows: '0' },
                    },
                    loads: [...s.loads, links.map(([flag]) => flag)],
                    storage: [],
                    personProperties: null,
                    query: { ...s.query, userInterviewPreview: undefined },
                }
            })
        let shown = 0
        fc.assert(
            fc.property(reaching, (s) => {
                if (check(s)) shown++
            }),
            { numRuns: 200 },
        )
        // Sanity: the Book-link half of the property was really exercised.
        expect(shown).toBeGreaterThan(40)
    }, 30_000)
})
