// An anonymous visitor's kept answers (src/unsent.ts): sent only to that same visitor once identified, every one of
// them, never to whoever identifies after a reset, and not for ever.
import { describe, expect, it } from 'vitest'
import { keepUnsent, takeUnsent, UNSENT_FOR_MS, type UnsentAnswer, type VisitorNow } from '../../src/unsent'

const NOW = Date.parse('2026-12-03T12:00:00Z')
const anonymous: VisitorNow = { distinctId: 'anon-a', deviceId: 'device-1', identified: false, lastReset: 0 }
const answer = (flag: string, at = NOW - 1000, who: Partial<UnsentAnswer> = {}): UnsentAnswer => ({
    id: 'anon-a',
    device: 'device-1',
    at,
    set: { [`Seen - ${flag}`]: new Date(at).toISOString(), Seen: new Date(at).toISOString() },
    ...who,
})

describe('unsent answers', () => {
    it('keeps every answer, not only the last, and the newest twenty at most', () => {
        let kept = keepUnsent(null, answer('a'))
        kept = keepUnsent(kept, answer('b'))
        expect(JSON.parse(kept).map((a: UnsentAnswer) => Object.keys(a.set)[0])).toEqual(['Seen - a', 'Seen - b'])
        for (let i = 0; i < 30; i++) kept = keepUnsent(kept, answer(`f${i}`))
        expect(JSON.parse(kept)).toHaveLength(20)
        expect(Object.keys(JSON.parse(kept)[19].set)[0]).toBe('Seen - f29')
    })

    it('stays kept while the same visitor is anonymous, and goes, all at once, when they are identified', () => {
        const kept = keepUnsent(keepUnsent(null, answer('a', NOW - 5000)), answer('b', NOW - 1000))
        expect(takeUnsent(kept, anonymous, NOW)).toEqual({ personProperties: null, stillKept: kept })
        // identify() from that anonymous id: the same device, no reset, a new (identified) distinct id.
        const identified = { ...anonymous, distinctId: 'person-42', identified: true }
        expect(takeUnsent(kept, identified, NOW)).toEqual({
            personProperties: {
                'Seen - a': new Date(NOW - 5000).toISOString(),
                'Seen - b': new Date(NOW - 1000).toISOString(),
                Seen: new Date(NOW - 1000).toISOString(), // (the later answer's date)
            },
            stillKept: '',
        })
    })

    it("never reaches someone else: after a reset (a logout), on another device id, or under another anonymous id", () => {
        const kept = keepUnsent(null, answer('a'))
        // A answered, the site called posthog.reset(), B logged in.
        const afterReset = { distinctId: 'person-b', deviceId: 'device-1', identified: true, lastReset: NOW - 500 }
        expect(takeUnsent(kept, afterReset, NOW)).toEqual({ personProperties: null, stillKept: '' })
        // reset(true) mints a new device id too; cleared cookies likewise.
        expect(takeUnsent(kept, { ...afterReset, lastReset: 0, deviceId: 'device-2' }, NOW).personProperties).toBeNull()
        // Anonymous again under another id (reset, then still anonymous): dropped, not waiting for the next identify.
        expect(takeUnsent(kept, { ...anonymous, distinctId: 'anon-c' }, NOW)).toEqual({ personProperties: null, stillKept: '' })
        // A reset before the answer is no reason to drop it.
        expect(takeUnsent(kept, { ...afterReset, lastReset: NOW - 2000 }, NOW).personProperties).not.toBeNull()
    })

    it("expires, and reads anything unreadable (an older version's single object) as nothing", () => {
        const kept = keepUnsent(null, answer('a', NOW - UNSENT_FOR_MS))
        expect(takeUnsent(kept, { ...anonymous, identified: true }, NOW).personProperties).toBeNull()
        for (const junk of ['{"Seen":"2026-01-01"}', 'not json', '[1,null,{"at":"x"}]', '']) {
            expect(takeUnsent(junk, { ...anonymous, identified: true }, NOW)).toEqual({ personProperties: null, stillKept: '' })
        }
    })
})
