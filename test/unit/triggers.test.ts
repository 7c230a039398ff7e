// When to ask (#12): the path patterns, the trigger gate, the per-flag counters and snoozes, the Surveys cool-down, and
// the settings and payload values they are read from. Pure modules: no DOM, no posthog-js.
import { describe, expect, it, vi } from 'vitest'
import { invitationFor, type Invitation } from '../../src/candidates'
import { readAnswers, resilientStore, type KeyValueStore } from '../../src/memory'
import { globMatches, list, pathMatches } from '../../src/paths'
import { parseSettings } from '../../src/settings'
import { countShow, shownTooOften, snooze, SURVEY_SEEN_KEY, timingKey, whenToShow, type Gate } from '../../src/triggers'

const DAY = 86400000
const NOW = Date.parse('2026-11-23T12:00:00Z')

function memoryStore(data: Record<string, string> = {}): KeyValueStore {
    return resilientStore(() => ({ getItem: (key) => (key in data ? data[key] : null), setItem: (key, value) => void (data[key] = value) }), () => {})
}

describe('pathMatches', () => {
    const cases: [string, string, boolean][] = [
        ['', '/anything', true],
        ['*', '/', true],
        ['*', '/deep/down/here', true],
        ['/', '/', true],
        ['/', '/app', false],
        ['/billing', '/billing', true],
        ['/billing', '/billing/', true],
        ['/billing', '/billing/invoices', false],
        ['/billing', '/Billing', false],
        ['/billing', '/billingx', false],
        ['/app/*', '/app', true],
        ['/app/*', '/app/', true],
        ['/app/*', '/app/reports/42', true],
        ['/app/*', '/apple', false],
        ['/app*', '/apple', true],
        ['/projects/*/settings', '/projects/7/settings', true],
        ['/projects/*/settings', '/projects/7/settings/', true],
        ['/projects/*/settings', '/projects/7/members', false],
        ['/file.html', '/file.html', true],
        ['/file.html', '/fileXhtml', false],
        ['/a+b', '/a+b', true],
        ['/a+b', '/aab', false],
        ['/(x)', '/(x)', true],
        ['/[', '/[', true],
        ['/a\\b', '/a\\b', true],
        ['/%20', '/%20', true],
        ['/app/*, /billing', '/billing', true],
        ['/app/* , /billing', '/app/x', true],
        [' , /billing ,', '/other', false],
        ['/x,/y', '/z', false],
    ]
    it.each(cases)('%j on %j: %s', (patterns, path, expected) => {
        expect(pathMatches(path, patterns)).toBe(expected)
    })

    it('compares decoded paths: non-ASCII and spaces match as typed, a malformed escape never throws', () => {
        expect(pathMatches('/%C3%BCber/team', '/über/*')).toBe(true)
        expect(pathMatches('/%C3%BCber/team', '/%C3%BCber/*')).toBe(true)
        expect(pathMatches('/my%20docs/1', '/my docs/*')).toBe(true)
        expect(pathMatches('/%E0%A4%A/x', '/%E0%A4%A/*')).toBe(true)
        expect(pathMatches('/100%/x', '/100%/*')).toBe(true)
        expect(pathMatches('/%ZZ', '/other')).toBe(false)
        // A malformed escape leaves the whole path as written: its other escapes are not decoded either.
        expect(pathMatches('/%C3%BCber/100%', '/über/*')).toBe(false)
    })

    it('does one forward search per piece of a pattern, whatever the path: no backtracking on a crafted long path', () => {
        // The case that froze a tab: many stars against a long path that does not match (3 s a check with a regex).
        const path = '/team/' + 'a/'.repeat(20_000) + 'x'
        const indexOf = vi.spyOn(String.prototype, 'indexOf')
        const exec = vi.spyOn(RegExp.prototype, 'exec')
        expect(pathMatches(path, '/team/*/*/*/*/settings')).toBe(false)
        expect(pathMatches(path, '/*a*a*a*a*a*a*a*a*a*b')).toBe(false)
        // No regular expression runs over the path (one that does may backtrack)...
        expect(exec.mock.calls.filter(([input]) => String(input).length > 1000)).toEqual([])
        // ... and the work is a search per inner piece, for each of two attempts (as written, and with a trailing `/`):
        // 2 × 4 + 2 × 9.
        expect(indexOf.mock.calls.length).toBeLessThanOrEqual(2 * 4 + 2 * 9)
        exec.mockRestore()
        indexOf.mockRestore()
        // ... and trailing slashes are trimmed by one scan (a regex for it was quadratic: 60,000 slashes took 1.2 s).
        const slice = vi.spyOn(String.prototype, 'slice')
        expect(pathMatches('/app' + '/'.repeat(60_000), '/app')).toBe(true)
        expect(slice.mock.calls.length).toBeLessThanOrEqual(8)
        slice.mockRestore()
    })

    it('globMatches: stars match any run, pieces in order, the whole path', () => {
        expect(globMatches('a*b*c', 'abc')).toBe(true)
        expect(globMatches('a*b*c', 'a-b-b-c')).toBe(true)
        expect(globMatches('a*b*c', 'a-c-b')).toBe(false)
        expect(globMatches('a*bc*bc', 'abcbc')).toBe(true)
        expect(globMatches('ab*ba', 'aba')).toBe(false) // head and tail may not overlap
        expect(globMatches('**', '')).toBe(true)
        expect(globMatches('x', 'x')).toBe(true)
        expect(globMatches('x', 'xx')).toBe(false)
    })

    it('lists (of trimmed settings) trim their entries and drop empty ones', () => {
        expect(list('a , b,,c ,')).toEqual(['a', 'b', 'c'])
        expect(list('')).toEqual([])
    })
})

describe('whenToShow', () => {
    const settings = parseSettings({ interviewConfigs: 'a=https://cal.test/a,b=https://cal.test/b' }, () => {})
    const invite = (flag: string, payload: Record<string, unknown> = {}) => invitationFor(settings, flag, payload, () => {}) as Invitation
    const fresh = (): Gate => ({ seen: {} })

    it('shows at once by default: no events, no delay, every page', () => {
        expect(whenToShow(fresh(), invite('a'), '/any', NOW)).toBe(true)
    })

    it('shows nothing without an invitation', () => {
        expect(whenToShow(fresh(), null, '/any', NOW)).toBe(false)
    })

    it('waits for one of its events, seen before or after the invitation became eligible', () => {
        const gate = fresh()
        const a = invite('a', { showOnEvents: 'report_exported, $pageview' })
        expect(whenToShow(gate, a, '/', NOW)).toBe(false)
        gate.seen.other = true
        expect(whenToShow(gate, a, '/', NOW)).toBe(false)
        gate.seen.$pageview = true
        expect(whenToShow(gate, a, '/', NOW)).toBe(true)
        const early = fresh()
        early.seen.report_exported = true
        expect(whenToShow(early, a, '/', NOW)).toBe(true)
    })

    it('waits its delay, from the moment its triggers fired', () => {
        const gate = fresh()
        const a = invite('a', { showOnEvents: 'go', showAfterSeconds: 30 })
        expect(whenToShow(gate, a, '/', NOW)).toBe(false)
        gate.seen.go = true
        expect(whenToShow(gate, a, '/', NOW + 10_000)).toBe(false) // armed now: due at +40 s
        expect(whenToShow(gate, a, '/', NOW + 39_999)).toBe(false)
        expect(whenToShow(gate, a, '/', NOW + 40_000)).toBe(true)
    })

    it('shows only on its pages; leaving them during the delay starts it again on return', () => {
        const gate = fresh()
        const a = invite('a', { pages: '/app/*', showAfterSeconds: 10 })
        expect(whenToShow(gate, a, '/login', NOW)).toBe(false)
        expect(whenToShow(gate, a, '/app', NOW)).toBe(false) // armed: due at +10 s
        expect(whenToShow(gate, a, '/pricing', NOW + 5_000)).toBe(false) // left: disarmed
        expect(whenToShow(gate, a, '/app/x', NOW + 10_000)).toBe(false) // back: due at +20 s
        expect(whenToShow(gate, a, '/app/x', NOW + 19_999)).toBe(false)
        expect(whenToShow(gate, a, '/app/x', NOW + 20_000)).toBe(true)
    })

    it('disarms when the invitation stops being eligible, or another one becomes the first', () => {
        const gate = fresh()
        const a = invite('a', { showAfterSeconds: 10 })
        expect(whenToShow(gate, a, '/', NOW)).toBe(false)
        expect(whenToShow(gate, null, '/', NOW + 1_000)).toBe(false) // answered in another tab, say
        expect(whenToShow(gate, a, '/', NOW + 10_000)).toBe(false) // eligible again: a new delay
        expect(whenToShow(gate, invite('b', { showAfterSeconds: 10 }), '/', NOW + 20_000)).toBe(false)
        expect(whenToShow(gate, invite('b', { showAfterSeconds: 10 }), '/', NOW + 30_000)).toBe(true)
    })
})

describe('counters and snoozes (per flag, in the store)', () => {
    it('counts displays per flag, shown too often from maxShows on', () => {
        const data: Record<string, string> = {}
        const store = memoryStore(data)
        const tooOften = [1, 2, 3].map(() => {
            countShow(store, 'a')
            return shownTooOften(store, 'a', 3)
        })
        expect(tooOften).toEqual([false, false, true])
        expect(data[timingKey('a', 'shows')]).toBe('3')
        countShow(store, 'b') // per flag
        expect(data).toEqual({ 'ph-a-interview_shows': '3', 'ph-b-interview_shows': '1' })
    })

    it('never shown too often for maxShows 0, and reads an unusable count as none', () => {
        const store = memoryStore({ 'ph-a-interview_shows': 'garbage' })
        for (let i = 0; i < 20; i++) countShow(store, 'a')
        expect(store.get('ph-a-interview_shows')).toBe('20')
        expect(shownTooOften(store, 'a', 0)).toBe(false)
    })

    it('a snoozed flag counts as answered until its snooze ends, without touching the cool-down', () => {
        const store = memoryStore()
        snooze(store, 'a', 7, NOW)
        expect(store.get(timingKey('a', 'snooze'))).toBe(String(NOW + 7 * DAY))
        const answers = readAnswers(store, {}, 'Seen', true, NOW + 7 * DAY - 1)
        expect(answers.isAnswered('a')).toBe(true)
        expect(answers.isAnswered('b')).toBe(false)
        expect(answers.lastAnsweredAt).toBeNull()
        expect(readAnswers(store, {}, 'Seen', true, NOW + 7 * DAY).isAnswered('a')).toBe(false)
    })

    it('a snooze is an answer to the displays so far: after it, maxShows counts again from none', () => {
        const store = memoryStore()
        countShow(store, 'a')
        countShow(store, 'a')
        expect(shownTooOften(store, 'a', 2)).toBe(true)
        snooze(store, 'a', 7, NOW)
        expect(shownTooOften(store, 'a', 2)).toBe(false)
        countShow(store, 'a')
        expect(shownTooOften(store, 'a', 2)).toBe(false)
    })

    it("counts posthog-js Surveys' last shown survey as the cool-down's start, when shared", () => {
        const store = memoryStore({ [SURVEY_SEEN_KEY]: new Date(NOW - 3 * DAY).toISOString() })
        const answeredAt = (at: number) => ({ Seen: new Date(at).toISOString() })
        expect(readAnswers(store, {}, 'Seen', true, NOW).lastAnsweredAt).toBe(NOW - 3 * DAY)
        expect(readAnswers(store, answeredAt(NOW - DAY), 'Seen', true, NOW).lastAnsweredAt).toBe(NOW - DAY) // the later one
        expect(readAnswers(store, answeredAt(NOW - 5 * DAY), 'Seen', true, NOW).lastAnsweredAt).toBe(NOW - 3 * DAY)
        expect(readAnswers(store, {}, 'Seen', false, NOW).lastAnsweredAt).toBeNull()
        for (const junk of ['', 'not a date', '{}']) {
            expect(readAnswers(memoryStore({ [SURVEY_SEEN_KEY]: junk }), {}, 'Seen', true, NOW).lastAnsweredAt).toBeNull()
        }
    })

    it('never throws when storage does', () => {
        const warn = vi.fn()
        const store = resilientStore(() => {
            throw new Error('SecurityError')
        }, warn)
        expect(() => countShow(store, 'a')).not.toThrow()
        expect(shownTooOften(store, 'a', 1)).toBe(true) // this page still keeps count
        expect(() => snooze(store, 'a', 7, NOW)).not.toThrow()
        expect(readAnswers(store, {}, 'Seen', true, NOW).isAnswered('a')).toBe(true)
    })
})

describe('the when-to-ask settings', () => {
    it('default to the original behaviour, the Surveys cool-down aside', () => {
        expect(parseSettings({}, () => {})).toMatchObject({
            showOnEvents: '',
            showAfterSeconds: 0,
            pages: '',
            maxShows: 0,
            remindLaterButtonText: '',
            remindLaterDays: 7,
            shareCoolDownWithSurveys: true,
            snoozeUserInterviewPopupEvent: 'User Interview Snoozed Pop Up',
        })
    })

    it('read the plugin form strings and the HogFunction typed inputs alike', () => {
        const plugin = parseSettings({ showAfterSeconds: ' 30 ', maxShows: '3', remindLaterDays: '14', shareCoolDownWithSurveys: 'false' }, () => {})
        const hog = parseSettings({ showAfterSeconds: 30, maxShows: 3, remindLaterDays: 14, shareCoolDownWithSurveys: false }, () => {})
        for (const settings of [plugin, hog]) {
            expect(settings).toMatchObject({ showAfterSeconds: 30, maxShows: 3, remindLaterDays: 14, shareCoolDownWithSurveys: false })
        }
        expect(parseSettings({ shareCoolDownWithSurveys: true }, () => {}).shareCoolDownWithSurveys).toBe(true)
        expect(parseSettings({ shareCoolDownWithSurveys: 'true' }, () => {}).shareCoolDownWithSurveys).toBe(true)
    })

    it('fall back with one warning each for unusable values', () => {
        const warn = vi.fn()
        const settings = parseSettings({ showAfterSeconds: 'soon', maxShows: '-2', remindLaterDays: '1e9', shareCoolDownWithSurveys: 'yes' }, warn)
        expect(settings).toMatchObject({ showAfterSeconds: 0, maxShows: 0, remindLaterDays: 7, shareCoolDownWithSurveys: true })
        expect(warn).toHaveBeenCalledTimes(4)
    })

    it("are overridden per flag by its payload (strings, numbers or lists), over that flag's settings", () => {
        const settings = parseSettings(
            { interviewConfigs: 'a=https://cal.test/a', showOnEvents: 'x', pages: '/app/*', showAfterSeconds: '5', remindLaterButtonText: 'Later' },
            () => {},
        )
        const plain = invitationFor(settings, 'a', undefined, () => {})!
        expect(plain.settings).toMatchObject({ showOnEvents: 'x', pages: '/app/*', showAfterSeconds: 5, maxShows: 0, remindLaterDays: 7 })
        expect(plain.settings.remindLaterButtonText).toBe('Later')
        const payload = { showOnEvents: ['report_exported', 'csv_exported'], pages: '/reports/*', showAfterSeconds: 2, maxShows: '3', remindLaterDays: 1, remindLaterButtonText: 'Not now' }
        for (const raw of [payload, JSON.stringify(payload)]) {
            const invitation = invitationFor(settings, 'a', raw, () => {})!
            expect(invitation.settings).toMatchObject({ showOnEvents: 'report_exported,csv_exported', pages: '/reports/*', showAfterSeconds: 2, maxShows: 3, remindLaterDays: 1 })
            expect(invitation.settings.remindLaterButtonText).toBe('Not now')
        }
        const warn = vi.fn()
        expect(invitationFor(settings, 'a', { showAfterSeconds: 'later', maxShows: {} }, warn)!.settings).toMatchObject({ showAfterSeconds: 5, maxShows: 0 })
        expect(warn).toHaveBeenCalledOnce()
    })
})
