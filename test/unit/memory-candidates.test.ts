import { describe, expect, it, vi } from 'vitest'
import { chooseInvitation, invitationFor } from '../../src/candidates'
import {
    answeredKey,
    inCoolDown,
    LAST_ANSWERED_KEY,
    readAnswers,
    rememberAnswer,
    resilientStore,
    type KeyValueStore,
    type StorageLike,
} from '../../src/memory'
import { parseSettings } from '../../src/settings'

const DAY = 86400000
const NOW = Date.parse('2026-11-23T12:00:00Z')

function mapStorage(): StorageLike & { data: Record<string, string> } {
    const data: Record<string, string> = {}
    return { data, getItem: (key) => (key in data ? data[key] : null), setItem: (key, value) => void (data[key] = value) }
}

function memoryStore(): KeyValueStore {
    return resilientStore(() => mapStorage(), () => {})
}

describe('resilientStore', () => {
    it('reads and writes through to storage', () => {
        const storage = mapStorage()
        const store = resilientStore(() => storage, () => {})
        store.set('k', 'v')
        expect(storage.data.k).toBe('v')
        storage.data.other = 'x'
        expect(store.get('other')).toBe('x')
    })

    it('falls back to memory with a single warning when storage throws or is missing', () => {
        const warn = vi.fn()
        const store = resilientStore(() => {
            throw new DOMException('denied', 'SecurityError')
        }, warn)
        expect(store.get('k')).toBeNull()
        store.set('k', 'v')
        expect(store.get('k')).toBe('v')
        expect(warn).toHaveBeenCalled()
        expect(new Set(warn.mock.calls.map((call) => call[0])).size).toBe(1)
        const missing = resilientStore(() => null, warn)
        missing.set('a', 'b')
        expect(missing.get('a')).toBe('b')
    })

    it('survives a full quota', () => {
        const storage = mapStorage()
        storage.setItem = () => {
            throw new DOMException('full', 'QuotaExceededError')
        }
        const store = resilientStore(() => storage, () => {})
        store.set('k', 'v')
        expect(store.get('k')).toBe('v')
    })
})

describe('answers and the cool-down', () => {
    it('remembers an answer under the original app keys', () => {
        const storage = mapStorage()
        rememberAnswer(resilientStore(() => storage, () => {}), 'f', new Date(NOW).toISOString())
        expect(storage.data).toEqual({ [answeredKey('f')]: 'true', [LAST_ANSWERED_KEY]: '2026-11-23T12:00:00.000Z' })
        expect(answeredKey('f')).toBe('ph-f-user_interview_popup_shown')
    })

    it('reads answers from storage and from the stored person properties', () => {
        const store = memoryStore()
        store.set(answeredKey('a'), 'true')
        store.set(LAST_ANSWERED_KEY, new Date(NOW - 10 * DAY).toISOString())
        const props = { 'Seen User Interview Invitation - b': '2026-01-01', 'Seen User Interview Invitation': new Date(NOW - DAY).toISOString() }
        const answers = readAnswers(store, props, 'Seen User Interview Invitation', false, NOW)
        expect(answers.isAnswered('a')).toBe(true)
        expect(answers.isAnswered('b')).toBe(true)
        expect(answers.isAnswered('c')).toBe(false)
        expect(answers.lastAnsweredAt).toBe(NOW - DAY)
        expect(readAnswers(memoryStore(), 'garbage', 'x', false, NOW)).toMatchObject({ lastAnsweredAt: null })
        expect(readAnswers(memoryStore(), { x: 12345 }, 'x', false, NOW).lastAnsweredAt).toBeNull()
        const garbage = memoryStore()
        garbage.set(LAST_ANSWERED_KEY, 'not a date')
        expect(readAnswers(garbage, undefined, 'x', false, NOW).lastAnsweredAt).toBeNull()
    })

    it("reads the original app's 2023 keys too: ph-{flag}, and the last answer's date under the seen property's name", () => {
        const store = memoryStore()
        store.set('ph-interview-a', 'true')
        store.set('Seen User Interview Invitation', new Date(NOW - 3 * DAY).toISOString())
        const answers = readAnswers(store, {}, 'Seen User Interview Invitation', false, NOW)
        expect(answers.isAnswered('interview-a')).toBe(true)
        expect(answers.isAnswered('interview-b')).toBe(false)
        expect(answers.lastAnsweredAt).toBe(NOW - 3 * DAY)
        // A renamed seen property: its name is the key.
        const renamed = memoryStore()
        renamed.set('Seen', new Date(NOW - DAY).toISOString())
        expect(readAnswers(renamed, {}, 'Seen', false, NOW).lastAnsweredAt).toBe(NOW - DAY)
        expect(readAnswers(renamed, {}, 'Seen User Interview Invitation', false, NOW).lastAnsweredAt).toBeNull()
    })

    it('holds for exactly minDays after the last answer', () => {
        expect(inCoolDown(null, 90, NOW)).toBe(false)
        expect(inCoolDown(NOW - 90 * DAY + 1, 90, NOW)).toBe(true)
        expect(inCoolDown(NOW - 90 * DAY, 90, NOW)).toBe(false)
        expect(inCoolDown(NOW, 0, NOW)).toBe(false)
        expect(inCoolDown(null, 36500, NOW)).toBe(false)
    })

    it('is off at 0 days; a stamp up to a day ahead (a clock corrected backwards) counts as now, one further ahead not at all', () => {
        expect(inCoolDown(NOW + 1000, 0, NOW)).toBe(false)
        expect(inCoolDown(NOW + 400 * DAY, 0, NOW)).toBe(false)
        expect(inCoolDown(NOW + 1000, 90, NOW)).toBe(true)
        expect(inCoolDown(NOW + DAY - 1, 90, NOW)).toBe(true)
        expect(inCoolDown(NOW + DAY, 90, NOW)).toBe(false)
        expect(inCoolDown(NOW + 30 * DAY, 90, NOW)).toBe(false)
        expect(inCoolDown(NOW + 5 * 365 * DAY, 36500, NOW)).toBe(false)
    })
})

describe('choosing an invitation', () => {
    const settings = parseSettings(
        {
            interviewConfigs: 'high-icp=https://cal.test/high,user-interview=https://cal.test/ui',
            flagStartsWith: 'interview-',
            invitationTitle: 'Default title',
        },
        () => {},
    )
    /** What the flags say: the enabled keys, and each one's payload. */
    interface FlagState {
        enabled: string[]
        payload(flag: string): unknown
    }
    const flags = (enabled: string[], payloads: Record<string, unknown> = {}): FlagState => ({ enabled, payload: (flag) => payloads[flag] })
    const none = readAnswers(memoryStore(), {}, 'Seen User Interview Invitation', false, NOW)
    const choose = (state: FlagState, answers = none, now = NOW) => chooseInvitation(settings, state.enabled, state.payload, answers, now, () => {})

    it('prefers configured flags, in order, to prefix flags, which come in posthog-js order', () => {
        const payloads = { 'interview-b': { bookingLink: 'https://cal.test/b' }, 'interview-a': { bookingLink: 'https://cal.test/a' } }
        expect(choose(flags(['interview-b', 'x', 'user-interview', 'interview-a'], payloads))).toMatchObject({ flag: 'user-interview' })
        expect(choose(flags(['interview-b', 'x', 'interview-a'], payloads))).toMatchObject({ flag: 'interview-b' })
        expect(choose(flags(['x', 'interview-a'], payloads))).toMatchObject({ flag: 'interview-a' })
    })

    it('skips an invitation past its end date (a setting, or its payload) for the next candidate', () => {
        const payloads = { 'interview-a': { bookingLink: 'https://cal.test/a' }, 'user-interview': { endDate: '2026-11-22' } }
        expect(choose(flags(['user-interview', 'interview-a'], payloads))).toMatchObject({ flag: 'interview-a' })
        expect(choose(flags(['user-interview', 'interview-a'], payloads), none, Date.parse('2026-11-22T10:00'))).toMatchObject({
            flag: 'user-interview',
        })
        const ended = parseSettings({ interviewConfigs: 'user-interview=https://cal.test/x', endDate: '2026-11-01' }, () => {})
        expect(chooseInvitation(ended, ['user-interview'], () => undefined, none, NOW, () => {})).toBeNull()
    })

    it('picks nothing when no candidate flag is enabled', () => {
        expect(choose(flags([]))).toBeNull()
        expect(choose(flags(['unrelated']))).toBeNull()
    })

    it('picks the first enabled flag in priority order when several match', () => {
        expect(choose(flags(['user-interview', 'high-icp']))).toMatchObject({ flag: 'high-icp', bookingLink: 'https://cal.test/high' })
        expect(choose(flags(['interview-x', 'user-interview'], { 'interview-x': { bookingLink: 'https://cal.test/x' } }))).toMatchObject({
            flag: 'user-interview',
        })
    })

    it('skips flags answered on this browser', () => {
        const store = memoryStore()
        store.set(answeredKey('high-icp'), 'true')
        const answers = { lastAnsweredAt: null, isAnswered: readAnswers(store, {}, 'x', false, NOW).isAnswered }
        expect(choose(flags(['high-icp', 'user-interview']), answers)).toMatchObject({ flag: 'user-interview' })
    })

    it('picks nothing within the cool-down after any answer, and again after it', () => {
        const answered = { lastAnsweredAt: NOW - 89 * DAY, isAnswered: () => false }
        expect(choose(flags(['high-icp']), answered)).toBeNull()
        expect(choose(flags(['high-icp']), { ...answered, lastAnsweredAt: NOW - 90 * DAY })).toMatchObject({ flag: 'high-icp' })
    })

    it('takes prefix flags only with a payload that has a valid booking link', () => {
        expect(choose(flags(['interview-a']))).toBeNull()
        expect(choose(flags(['interview-a'], { 'interview-a': { bookingLink: 'javascript:alert(1)' } }))).toBeNull()
        expect(choose(flags(['interview-a'], { 'interview-a': '{"bookingLink":"https://cal.test/a"}' }))).toMatchObject({
            flag: 'interview-a',
            bookingLink: 'https://cal.test/a',
        })
    })

    it('applies payload overrides to that flag only', () => {
        const invitation = choose(
            flags(['user-interview'], {
                'user-interview': { bookingLink: 'https://cal.test/override', invitationTitle: 'Payload title', bookButtonText: 'Pick a time' },
            }),
        )
        expect(invitation).toEqual({
            flag: 'user-interview',
            bookingLink: 'https://cal.test/override',
            settings: { ...settings, interviewConfigs: [], domains: [], invitationTitle: 'Payload title', bookButtonText: 'Pick a time' },
        })
    })

    it("reads a payload's texts as the settings are read: trimmed, and an empty or unusable one keeps the setting", () => {
        const payload = { bookingLink: 'https://cal.test/p', invitationTitle: '  Hi  ', bookButtonText: '', closeButtonText: null, invitationBody: { html: 1 } }
        expect(choose(flags(['interview-p'], { 'interview-p': payload }))!.settings).toMatchObject({
            invitationTitle: 'Hi',
            bookButtonText: settings.bookButtonText,
            closeButtonText: 'Close',
            invitationBody: settings.invitationBody,
        })
    })

    it('keeps the configured link when the payload link is bad', () => {
        expect(choose(flags(['high-icp'], { 'high-icp': { bookingLink: 'data:text/html,hi' } }))).toMatchObject({ bookingLink: 'https://cal.test/high' })
    })

    it('builds an invitation for a named flag regardless of enablement (preview)', () => {
        expect(invitationFor(settings, 'user-interview', undefined, () => {})).toMatchObject({ flag: 'user-interview' })
        expect(invitationFor(settings, 'unknown', undefined, () => {})).toBeNull()
    })
})
