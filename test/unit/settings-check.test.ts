// @vitest-environment node
// The settings check deploy runs (src/settings-check.ts): the app's own parser decides, every problem is one line with
// the key, the value and what would be accepted; and its Node colour verdict (scripts/lib/colours.mjs).
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM JavaScript without types
import { isColour } from '../../scripts/lib/colours.mjs'
import { inputsFromSettings } from '../../scripts/hog-inputs.mjs'
import { checkSettings, closestKey, NUMBER_RANGES, problemLine, settingsWarnings } from '../../src/settings-check'
import { MAX_LENGTH, parseSettings } from '../../src/settings'
import { inputsSchema } from '../../src/settings-fields'

const lines = (settings: Record<string, unknown>) => checkSettings(settings, isColour).map(problemLine)
const OK = 'user-interview=https://cal.com/acme/30min'

describe('what the issue lists is refused, one line each, naming key, value and what is accepted', () => {
    it.each([
        [{ interviewConfigs: 'pro-x=cal.com/acme/30min' }, /^interviewConfigs: "pro-x=cal.com\/acme\/30min": a pair the app would skip .*accepted: flag=https:\/\/link pairs/],
        [{ interviewConfigs: 'pro-x https://cal.com/acme/30min' }, /^interviewConfigs: "pro-x https:\/\/cal.com\/acme\/30min": a pair the app would skip/],
        [{ interviewConfigs: 'pro-x=javascript:alert(1)' }, /^interviewConfigs: "pro-x=javascript:alert\(1\)": a pair the app would skip/],
        [{ maxShows: -3 }, /^maxShows: -3: out of range; accepted: a whole number from 0 to 36500$/],
        [{ zIndex: 1e12 }, /^zIndex: 1000000000000: out of range; accepted: a whole number from -2147483647 to 2147483647$/],
        [{ invitationTitle: ['Hi'] }, /^invitationTitle: \["Hi"\]: a list where a text belongs; accepted: a text of at most 10000 characters$/],
        [{ prefillNameAndEmail: ['true'] }, /^prefillNameAndEmail: \["true"\]: not true or false; accepted: true or false$/],
        [{ prefillNameAndEmail: 'yes' }, /^prefillNameAndEmail: "yes": not true or false/],
        [{ invitationBody: 'x'.repeat(1_000_000) }, /^invitationBody: "x{10,}… \(1000002 characters\): 1000000 characters, over the app's limit of 10000/],
        [{ invitatonTitle: 'Hi' }, /^invitatonTitle: "Hi": no such setting: did you mean invitationTitle\?$/],
        [{ position: 'middle' }, /^position: "middle": the app would ignore it and use its default; accepted: one of bottom-right, bottom-left, center$/],
        [{ theme: 'sepia' }, /accepted: one of auto, light, dark, system$/],
        [{ bookButtonBackground: 'dodgerblu' }, /^bookButtonBackground: "dodgerblu": the app would ignore it/],
        [{ bookButtonColor: 'var(--x)' }, /^bookButtonColor: "var\(--x\)": the app would ignore it/],
        [{ endDate: '2026-02-30' }, /^endDate: "2026-02-30": the app would ignore it .*accepted: a real date written YYYY-MM-DD/],
        [{ endDate: '31/12/2026' }, /^endDate: "31\/12\/2026"/],
        [{ targetBookings: 2.5 }, /^targetBookings: 2.5: not a whole number; accepted: a whole number of bookings from 1/],
        [{ targetBookings: -1 }, /^targetBookings: -1: out of range/],
        [{ targetBookings: 'seven' }, /^targetBookings: "seven": not a whole number/],
        [{ featureFlagNames: ['a', 'b'], bookButtonURLs: 'https://x.test/a,https://x.test/b' }, /^featureFlagNames: \["a","b"\]: a comma separated text, not a list/],
        [{ bookButtonURLs: 'https://x.test/a' }, /^bookButtonURLs: "https:\/\/x.test\/a": only together with featureFlagNames/],
        [{ featureFlagNames: 'a,b', bookButtonURLs: 'https://x.test/a' }, /^featureFlagNames: "b \(no link\)": each flag with an http\(s\) link/],
        [{ interviewConfigs: OK, featureFlagNames: 'a' }, /^featureFlagNames: "a": nothing while interviewConfigs is set/],
    ])('%j', (settings, pattern) => {
        const found = lines(settings)
        expect(found, found.join('\n')).toHaveLength(1)
        expect(found[0]).toMatch(pattern)
    })

    it('lists every problem at once, in the order given', () => {
        const found = lines({ interviewConfigs: `${OK},bad=ftp://x`, zIndex: 'high', colour: 'red', maxShows: -3 })
        expect(found.map((line) => line.split(':')[0])).toEqual(['interviewConfigs', 'zIndex', 'colour', 'maxShows'])
    })

    it('accepts what the app reads as given, and what it normalises the way deploy sends it', () => {
        const settings = {
            interviewConfigs: `${OK},b=https://calendly.com/a/b?x=1`,
            zIndex: '1000',
            maxShows: 3,
            theme: 'Dark',
            position: 'center',
            prefillNameAndEmail: 'true',
            shareCoolDownWithSurveys: false,
            bookButtonBackground: '#1D4AFF',
            bookButtonColor: 'rgb(255 255 255 / 90%)',
            invitationTitle: 2026,
            endDate: '2026-12-31',
            targetBookings: '7',
            invitationBody: 'x'.repeat(MAX_LENGTH),
            featureFlagNames: '',
        }
        expect(lines(settings)).toEqual([])
        // What the visitor gets (the HogFunction's typed inputs) is what the app reads: `Dark` is read and sent as `dark`.
        const read = parseSettings({ theme: 'Dark' }, () => {})
        const { inputs } = inputsFromSettings(inputsSchema(), { theme: 'Dark' })
        expect(inputs.theme.value).toBe(read.theme)
    })

    it('empty and null values are no problem: the app uses its default', () => {
        expect(lines({ zIndex: '', theme: null, endDate: '' })).toEqual([])
    })
})

describe('its own texts follow the parser', () => {
    it.each(Object.entries(NUMBER_RANGES).filter(([key]) => key !== 'targetBookings'))('the range of %s is the parser’s', (key, [min, max]) => {
        const warnings: string[] = []
        const read = (value: number) => (parseSettings({ [key]: value }, (m) => warnings.push(m)) as unknown as Record<string, number>)[key]
        expect(read(min)).toBe(min)
        expect(read(max)).toBe(max)
        expect(warnings).toEqual([])
        read(min - 1)
        read(max + 1)
        expect(warnings).toHaveLength(2)
    })

    it('suggests the nearest setting for a typo, and none for a word that is far from every key', () => {
        expect(closestKey('zindex')).toBe('zIndex')
        expect(closestKey('bookButtonColour')).toBe('bookButtonColor')
        expect(closestKey('endDat')).toBe('endDate')
        expect(closestKey('banana')).toBeNull()
    })
})

describe("Node's colour verdict (in place of the browser's CSS.supports)", () => {
    it.each(['#fff', '#ffff', '#1d4aff', '#1d4affcc', 'dodgerblue', 'RebeccaPurple', 'transparent', 'rgb(1, 2, 3)', 'rgba(1,2,3,0.5)', 'rgb(1 2 3 / 50%)', 'hsl(120deg 50% 50%)', 'hsl(120, 50%, 50%)'])(
        'takes %s',
        (colour) => expect(isColour(colour)).toBe(true),
    )
    it.each(['#12345', '#ggg', 'dodgerblu', 'rgb(1, 2)', 'rgb(1, 2, 3, 4, 5)', 'rgb(1 2, 3)', 'red;', 'url(x)', 'var(--x)', ''])('refuses %j', (colour) => expect(isColour(colour)).toBe(false))
})

describe('warnings: what deploys but deserves a word', () => {
    it('a book button under 4.5:1 contrast, as the app reads the colours (a missing one is its default)', () => {
        expect(settingsWarnings({ bookButtonBackground: '#FFFF00' }, isColour)).toEqual([
            "bookButtonBackground #ffff00 and bookButtonColor #ffffff: the book button's text has a contrast of 1.1:1, under the 4.5:1 WCAG asks for (deployed anyway)",
        ])
        expect(checkSettings({ bookButtonBackground: '#FFFF00' }, isColour)).toEqual([]) // a warning, not a problem
    })

    it('none for enough contrast, for colours left at their defaults, or for colours it cannot measure', () => {
        expect(settingsWarnings({ bookButtonBackground: '#000000', bookButtonColor: '#fff' }, isColour)).toEqual([])
        expect(settingsWarnings({ invitationTitle: 'Hi' }, isColour)).toEqual([])
        expect(settingsWarnings({ bookButtonBackground: 'yellow' }, isColour)).toEqual([])
    })
})
