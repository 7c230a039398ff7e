import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { ended, isoDay, parseDomains, parseInterviewConfigs, parsePayload, parseSettings } from '../../src/settings'
import { DEFAULTS } from '../../src/settings-fields'

const quiet = () => vi.fn()

describe('parseInterviewConfigs', () => {
    it('reads flag=link pairs in order', () => {
        const warn = quiet()
        expect(
            parseInterviewConfigs('interview-high-icp=https://calendly.com/a/high-icp,user-interview=https://cal.com/b/30min', warn),
        ).toEqual([
            { flag: 'interview-high-icp', bookingLink: 'https://calendly.com/a/high-icp' },
            { flag: 'user-interview', bookingLink: 'https://cal.com/b/30min' },
        ])
        expect(warn).not.toHaveBeenCalled()
    })

    it('trims spaces, skips empty pairs and trailing commas silently', () => {
        const warn = quiet()
        expect(parseInterviewConfigs(' a = https://x.test/1 ,, ,b=https://y.test/2,', warn)).toEqual([
            { flag: 'a', bookingLink: 'https://x.test/1' },
            { flag: 'b', bookingLink: 'https://y.test/2' },
        ])
        expect(warn).not.toHaveBeenCalled()
    })

    it('keeps = inside links: only the first = splits a pair', () => {
        expect(parseInterviewConfigs('a=https://x.test/book?month=2026-11&tz=UTC,z=https://z.test/?a=b=c', quiet())).toEqual([
            { flag: 'a', bookingLink: 'https://x.test/book?month=2026-11&tz=UTC' },
            { flag: 'z', bookingLink: 'https://z.test/?a=b=c' },
        ])
    })

    it('skips pairs without a flag or without an http(s) link, with one warning each', () => {
        const warn = quiet()
        const configs = parseInterviewConfigs(
            'noequals,=https://x.test,a=javascript:alert(1),b=ftp://x.test,c=not a url,d=https://ok.test',
            warn,
        )
        expect(configs).toEqual([{ flag: 'd', bookingLink: 'https://ok.test/' }])
        // `c=not a url` starts no new pair (no scheme): it stays in the link before it, which is skipped anyway.
        expect(warn).toHaveBeenCalledTimes(4)
        expect(warn.mock.calls.map((call) => call[0]).join('\n')).toContain('"a=javascript:alert(1)"')
        expect(warn.mock.calls.map((call) => call[0]).join('\n')).toContain('"b=ftp://x.test,c=not a url"')
    })

    it('keeps commas inside links: a pair ends only where a new flag=scheme: starts', () => {
        const warn = quiet()
        expect(
            parseInterviewConfigs('a=https://x.test/?a1=x,y,b=https://y.test/?t=10:00,11:00&tz=UTC&k=v,w , c = http://z.test/a,b', warn),
        ).toEqual([
            { flag: 'a', bookingLink: 'https://x.test/?a1=x,y' },
            { flag: 'b', bookingLink: 'https://y.test/?t=10:00,11:00&tz=UTC&k=v,w' },
            { flag: 'c', bookingLink: 'http://z.test/a,b' },
        ])
        expect(warn).not.toHaveBeenCalled()
    })

    it('keeps the first link of a repeated flag', () => {
        const warn = quiet()
        expect(parseInterviewConfigs('a=https://one.test,a=https://two.test', warn)).toEqual([
            { flag: 'a', bookingLink: 'https://one.test/' },
        ])
        expect(warn).toHaveBeenCalledOnce()
    })

    it('returns nothing for non-strings', () => {
        for (const value of [undefined, null, 42, {}, [], true]) expect(parseInterviewConfigs(value, quiet())).toEqual([])
    })
})

describe("the original app's 2022 settings", () => {
    it('zips featureFlagNames and bookButtonURLs into pairs when interviewConfigs is empty', () => {
        const warn = quiet()
        const config = { featureFlagNames: ' high_icp , high_value', bookButtonURLs: 'https://calendly.com/user1/book,https://calendly.com/user2/15min' }
        expect(parseSettings({ ...config, interviewConfigs: '' }, warn).interviewConfigs).toEqual([
            { flag: 'high_icp', bookingLink: 'https://calendly.com/user1/book' },
            { flag: 'high_value', bookingLink: 'https://calendly.com/user2/15min' },
        ])
        expect(warn).not.toHaveBeenCalled()
        expect(parseSettings({ ...config, interviewConfigs: 'new=https://cal.test/new' }, warn).interviewConfigs).toEqual([
            { flag: 'new', bookingLink: 'https://cal.test/new' },
        ])
    })

    it('skips a flag without a link, with a warning, and keeps the others whole', () => {
        const warn = quiet()
        expect(parseSettings({ featureFlagNames: 'a,b,c', bookButtonURLs: 'https://x.test/a,javascript:alert(1)' }, warn).interviewConfigs).toEqual([
            { flag: 'a', bookingLink: 'https://x.test/a' },
        ])
        expect(warn).toHaveBeenCalledTimes(2)
    })
})

describe('parseDomains', () => {
    it('lower-cases, trims and strips pasted schemes, ports and paths', () => {
        expect(parseDomains(' App.Example.com , https://www.example.com/path?x=1, localhost:8000 ,,')).toEqual([
            'app.example.com',
            'www.example.com',
            'localhost',
        ])
        expect(parseDomains('')).toEqual([])
        expect(parseDomains(null)).toEqual([])
    })
})

describe('parseSettings', () => {
    it('gives every default for an empty config', () => {
        const settings = parseSettings({}, quiet())
        expect(settings).toMatchObject({
            ...DEFAULTS,
            interviewConfigs: [],
            minDaysSinceLastSeenPopUp: 90,
            domains: [],
            zIndex: 999999,
            position: 'bottom-right',
            theme: 'auto',
            bookButtonBackground: '#1d4aff',
            bookButtonColor: '#ffffff',
        })
    })

    it('gives defaults, quietly, when nothing is configured, config object or not (interviewConfigs is required in PostHog)', () => {
        const warn = quiet()
        expect(parseSettings(undefined, warn).interviewConfigs).toEqual([])
        expect(parseSettings(null, warn).position).toBe('bottom-right')
        expect(warn).not.toHaveBeenCalled()
    })

    it('reads numbers given as strings or numbers, padded or not', () => {
        const warn = quiet()
        const settings = parseSettings({ interviewConfigs: 'a=https://x.test', minDaysSinceLastSeenPopUp: ' 14 ', zIndex: 5 }, warn)
        expect(settings.minDaysSinceLastSeenPopUp).toBe(14)
        expect(settings.zIndex).toBe(5)
        expect(warn).not.toHaveBeenCalled()
        expect(parseSettings({ minDaysSinceLastSeenPopUp: 0 }, warn).minDaysSinceLastSeenPopUp).toBe(0)
        expect(parseSettings({ minDaysSinceLastSeenPopUp: '7.9' }, warn).minDaysSinceLastSeenPopUp).toBe(7)
    })

    it('falls back with one warning for a non-number, a negative or an absurd number', () => {
        for (const value of ['ninety', '-1', '1e9', 'NaN', 'Infinity']) {
            const warn = quiet()
            expect(parseSettings({ minDaysSinceLastSeenPopUp: value, flagStartsWith: 'x' }, warn).minDaysSinceLastSeenPopUp).toBe(90)
            expect(warn).toHaveBeenCalledOnce()
        }
    })

    it('uses defaults for empty, null or non-text texts and trims the rest', () => {
        const warn = quiet()
        const settings = parseSettings(
            { flagStartsWith: ' interview- ', invitationTitle: '  Hi  ', bookButtonText: '', closeButtonText: null, invitationBody: { html: 1 } },
            warn,
        )
        expect(settings.flagStartsWith).toBe('interview-')
        expect(settings.invitationTitle).toBe('Hi')
        expect(settings.bookButtonText).toBe('Book now')
        expect(settings.closeButtonText).toBe('Close')
        expect(settings.invitationBody).toBe(DEFAULTS.invitationBody)
        expect(warn).not.toHaveBeenCalled()
    })

    it('caps absurdly long texts', () => {
        expect(parseSettings({ invitationTitle: 'x'.repeat(50000), flagStartsWith: 'a' }, quiet()).invitationTitle).toHaveLength(10000)
    })

    it('accepts the position and theme choices, case-insensitively, and falls back otherwise', () => {
        const warn = quiet()
        expect(parseSettings({ position: 'Bottom-Left', theme: 'DARK', flagStartsWith: 'a' }, warn)).toMatchObject({
            position: 'bottom-left',
            theme: 'dark',
        })
        expect(warn).not.toHaveBeenCalled()
        expect(parseSettings({ position: 'top', theme: 'neon', flagStartsWith: 'a' }, warn)).toMatchObject({
            position: 'bottom-right',
            theme: 'auto',
        })
        expect(warn).toHaveBeenCalledTimes(2)
    })

    it('reads bookingMode (auto, embed, new-tab) and prefillNameAndEmail (a boolean or its plugin-form string)', () => {
        const warn = quiet()
        expect(parseSettings({ bookingMode: 'New-Tab', prefillNameAndEmail: 'true' }, warn)).toMatchObject({ bookingMode: 'new-tab', prefillNameAndEmail: true })
        expect(parseSettings({ bookingMode: 'embed', prefillNameAndEmail: true }, warn)).toMatchObject({ bookingMode: 'embed', prefillNameAndEmail: true })
        expect(parseSettings({ prefillNameAndEmail: false }, warn)).toMatchObject({ bookingMode: 'auto', prefillNameAndEmail: false })
        expect(warn).not.toHaveBeenCalled()
        expect(parseSettings({ bookingMode: 'popup', prefillNameAndEmail: 'yes' }, warn)).toMatchObject({ bookingMode: 'auto', prefillNameAndEmail: false })
        expect(warn).toHaveBeenCalledTimes(2)
    })

    it('a flag payload may set bookingMode for that flag', () => {
        expect(parsePayload({ bookingMode: 'new-tab', bookingLink: 'https://calendly.com/a' }, 'f', quiet())).toEqual({
            bookingMode: 'new-tab',
            bookingLink: 'https://calendly.com/a',
        })
    })

    it('accepts CSS colours and rejects anything that could break out of a declaration', () => {
        const warn = quiet()
        const browser = () => true
        expect(parseSettings({ bookButtonBackground: '#0A0', bookButtonColor: 'rgb(255, 255, 255)', flagStartsWith: 'a' }, warn, browser)).toMatchObject({
            bookButtonBackground: '#0a0',
            bookButtonColor: 'rgb(255, 255, 255)',
        })
        expect(warn).not.toHaveBeenCalled()
        const bad = parseSettings({ bookButtonBackground: 'red;position:fixed', bookButtonColor: 'url(x)', flagStartsWith: 'a' }, warn, browser)
        expect(bad.bookButtonBackground).toBe('#1d4aff')
        expect(bad.bookButtonColor).toBe('#ffffff')
        expect(warn).toHaveBeenCalledTimes(2)
    })

    it('uses the default, with one warning each, for a colour the browser would ignore', () => {
        const warn = quiet()
        const browser = (colour: string) => !/^(#.{5}|#.{7}|dodgerblu)$/.test(colour)
        const settings = parseSettings({ bookButtonBackground: 'dodgerblu', bookButtonColor: '#12345', flagStartsWith: 'a' }, warn, browser)
        expect(settings).toMatchObject({ bookButtonBackground: '#1d4aff', bookButtonColor: '#ffffff' })
        expect(warn.mock.calls.map((call) => call[0])).toEqual([
            'Setting bookButtonBackground: ignoring "dodgerblu", using #1d4aff.',
            'Setting bookButtonColor: ignoring "#12345", using #ffffff.',
        ])
        expect(parseSettings({ bookButtonBackground: '#1234567', flagStartsWith: 'a' }, quiet(), browser).bookButtonBackground).toBe('#1d4aff')
    })

    it('never throws and always yields well-formed settings, whatever arrives', () => {
        const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.object(), fc.array(fc.string()))
        const keys = ['interviewConfigs', 'flagStartsWith', 'minDaysSinceLastSeenPopUp', 'domains', 'zIndex', 'position', 'theme', 'invitationTitle', 'bookButtonBackground']
        fc.assert(
            fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue), (config) => {
                const settings = parseSettings(config, () => {})
                expect(Number.isInteger(settings.minDaysSinceLastSeenPopUp)).toBe(true)
                expect(Number.isInteger(settings.zIndex)).toBe(true)
                for (const config of settings.interviewConfigs) expect(config.bookingLink).toMatch(/^https?:\/\//)
                expect(typeof settings.invitationTitle).toBe('string')
            }),
        )
    })
})

describe('parsePayload', () => {
    it('takes the known keys of an object, parsed or as JSON text', () => {
        const payload = { bookingLink: 'https://cal.test/x', invitationTitle: 'T', invitationBody: '<b>B</b>', bookButtonText: 'Go', closeButtonText: 'No', other: 1 }
        const expected = { bookingLink: 'https://cal.test/x', invitationTitle: 'T', invitationBody: '<b>B</b>', bookButtonText: 'Go', closeButtonText: 'No' }
        expect(parsePayload(payload, 'f', quiet())).toEqual(expected)
        expect(parsePayload(JSON.stringify(payload), 'f', quiet())).toEqual(expected)
    })

    it('ignores a non-http link with a warning, keeping the texts', () => {
        const warn = quiet()
        expect(parsePayload({ bookingLink: 'javascript:alert(1)', invitationTitle: 'T' }, 'f', warn)).toEqual({ invitationTitle: 'T' })
        expect(warn).toHaveBeenCalledOnce()
    })

    it('ignores what is not a JSON object', () => {
        for (const payload of ['not json', '[1,2]', '"text"', 42, true, [], 'x'.repeat(20001)]) {
            const warn = quiet()
            expect(parsePayload(payload, 'f', warn)).toEqual({})
            expect(warn.mock.calls.length).toBeLessThanOrEqual(1)
        }
        const warn = quiet()
        expect(parsePayload(undefined, 'f', warn)).toEqual({})
        expect(parsePayload(null, 'f', warn)).toEqual({})
        expect(warn).not.toHaveBeenCalled()
    })
})

describe('endDate', () => {
    it('takes a real YYYY-MM-DD day, as a setting or in a payload, and refuses anything else with a warning', () => {
        expect(isoDay('2026-12-31')).toBe('2026-12-31')
        expect(isoDay('2024-02-29')).toBe('2024-02-29')
        for (const bad of ['2026-02-30', '2026-02-29', '2026-13-01', '2026-1-5', '31/12/2026', '2026-12-31T00:00', 'soon'])
            expect(isoDay(bad)).toBeNull()
        const warn = vi.fn()
        expect(parseSettings({ endDate: '2026-02-30' }, warn).endDate).toBe('')
        expect(warn).toHaveBeenCalledTimes(1)
        expect(parseSettings({ endDate: ' 2027-01-15 ' }, warn).endDate).toBe('2027-01-15')
        const base = parseSettings({ endDate: '2027-01-15' }, warn)
        expect(parseSettings(parsePayload({ endDate: '2027-02-01' }, 'f', warn), warn, undefined, base).endDate).toBe('2027-02-01')
    })

    it('is over from the midnight after that day, in local time, and never without a date', () => {
        const lastDay = '2026-12-03'
        expect(ended(lastDay, new Date(2026, 11, 3, 0, 0).getTime())).toBe(false)
        expect(ended(lastDay, new Date(2026, 11, 3, 23, 59, 59, 999).getTime())).toBe(false)
        expect(ended(lastDay, new Date(2026, 11, 4, 0, 0).getTime())).toBe(true)
        expect(ended('', Date.parse('2100-01-01'))).toBe(false)
    })
})
