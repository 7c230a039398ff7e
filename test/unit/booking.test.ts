import { describe, expect, it } from 'vitest'
import { bookingLinks, bookingTool, readBookingMessage, type Visitor } from '../../src/booking'

const VISITOR: Visitor = { flag: 'user-interview', distinctId: 'd-1', sessionId: 's-1' }
const HOST = 'app.example.com'

const links = (href: string, mode = 'auto', visitor: Visitor = VISITOR) => bookingLinks(href, visitor, mode, HOST)
const query = (href: string | undefined) => Object.fromEntries(new URL(href!).searchParams)

describe('bookingTool', () => {
    it('knows Calendly and cal.com by their hosts, and any `/embed` link as a cal.com instance', () => {
        const tool = (href: string) => bookingTool(new URL(href))
        expect(tool('https://calendly.com/a/30min')).toBe('calendly')
        expect(tool('https://www.calendly.com/a/30min')).toBe('calendly')
        expect(tool('https://cal.com/a/30min')).toBe('cal.com')
        expect(tool('https://app.cal.com/a/30min')).toBe('cal.com')
        expect(tool('https://cal.eu/a/30min')).toBe('cal.com')
        expect(tool('https://acme.cal.com/a/30min')).toBe('cal.com')
        expect(tool('https://cal.example.org/a/30min/embed')).toBe('cal.com')
        for (const other of [
            'https://calendly.com.evil.example/a',
            'https://notcalendly.com/a',
            'https://evilcal.com/a',
            'https://cal.com.evil.example/a',
            'https://savvycal.com/a/30',
            'https://example.com/embedded',
        ])
            expect(tool(other), other).toBe('')
    })
})

describe('bookingLinks', () => {
    it('Calendly: the flag and distinct_id in utm_*, framed with embed_domain and embed_type=Inline', () => {
        const result = links('https://calendly.com/team/30min')
        expect(result.tool).toBe('calendly')
        expect(result.link).toBe('https://calendly.com/team/30min?utm_source=posthog&utm_campaign=user-interview&utm_content=d-1')
        expect(result.frame).toBe(`${result.link}&embed_domain=app.example.com&embed_type=Inline`)
    })

    it('Calendly at www: framed from calendly.com, whose origin its messages come from', () => {
        expect(new URL(links('https://www.calendly.com/team/30min').frame!).hostname).toBe('calendly.com')
    })

    it('cal.com: metadata[] for the flag and distinct_id, framed from app.cal.com at /embed with its namespace', () => {
        const result = links('https://cal.com/team/30min')
        expect(result.link).toBe('https://cal.com/team/30min?metadata%5BfeatureFlagName%5D=user-interview&metadata%5Bdistinct_id%5D=d-1')
        const frame = new URL(result.frame!)
        expect(frame.origin + frame.pathname).toBe('https://app.cal.com/team/30min/embed')
        expect(query(result.frame)).toEqual({
            'metadata[featureFlagName]': 'user-interview',
            'metadata[distinct_id]': 'd-1',
            embed: 'user-interviewer',
            embedType: 'inline',
        })
        expect(new URL(links('https://cal.eu/team/30min/').frame!).href).toMatch(/^https:\/\/app\.cal\.eu\/team\/30min\/embed\?/)
        expect(new URL(links('https://app.cal.com/team/30min').frame!).pathname).toBe('/team/30min/embed')
    })

    it('http links to the tools are framed over https (an http frame is mixed content, and their messages come from https)', () => {
        expect(links('http://calendly.com/team/30min').frame).toMatch(/^https:\/\/calendly\.com\/team\/30min\?/)
        expect(links('http://cal.com/team/30min').frame).toMatch(/^https:\/\/app\.cal\.com\/team\/30min\/embed\?/)
        // (a self-hosted instance keeps its own scheme)
        expect(links('http://127.0.0.1:8010/cal/team/30min/embed').frame).toMatch(/^http:\/\/127\.0\.0\.1:8010\/cal\/team\/30min\/embed\?/)
    })

    it('a cal.com organization domain is cal.com, framed from itself', () => {
        const frame = new URL(links('https://acme.cal.com/team/30min').frame!)
        expect(frame.origin + frame.pathname).toBe('https://acme.cal.com/team/30min/embed')
    })

    it('a self-hosted cal.com `/embed` link keeps its origin and path', () => {
        const frame = new URL(links('https://cal.example.org/team/30min/embed').frame!)
        expect(frame.origin + frame.pathname).toBe('https://cal.example.org/team/30min/embed')
        expect(frame.searchParams.get('embed')).toBe('user-interviewer')
    })

    it("keeps the team's own query byte for byte, and a parameter it already set", () => {
        const result = links('https://calendly.com/team/30min?month=2026-12&utm_campaign=spring%20launch&x=a+b&y=%E2%9C%93#top')
        expect(result.link).toBe(
            'https://calendly.com/team/30min?month=2026-12&utm_campaign=spring%20launch&x=a+b&y=%E2%9C%93&utm_source=posthog&utm_content=d-1#top',
        )
        // A link with an empty query stays as it was when nothing is added.
        expect(links('https://book.example.com/a?').link).toBe('https://book.example.com/a?')
    })

    it('prefills name and email where given (the team opted in), for both tools, never over the link\'s own', () => {
        const visitor = { ...VISITOR, name: 'Ada Lovelace', email: 'ada@example.com' }
        expect(query(links('https://calendly.com/t/30', 'auto', visitor).link)).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' })
        expect(query(links('https://cal.com/t/30?name=Set', 'auto', visitor).link)).toMatchObject({ name: 'Set', email: 'ada@example.com' })
        // Not a string: nothing.
        expect(query(links('https://cal.com/t/30', 'auto', { ...VISITOR, name: { first: 'x' }, email: ['a'] }).link)).not.toHaveProperty('name')
        // Another tool's page gets none of it.
        expect(links('https://book.example.com/a', 'auto', visitor).link).toBe('https://book.example.com/a')
    })

    it('leaves out ids posthog-js did not give', () => {
        expect(links('https://calendly.com/t/30', 'auto', { flag: 'f' }).link).toBe('https://calendly.com/t/30?utm_source=posthog&utm_campaign=f')
    })

    it("a PostHog user-interview page gets distinct_id and session_id, which that page reads; nothing else does", () => {
        expect(links('https://us.posthog.com/interview/tok_123').link).toBe('https://us.posthog.com/interview/tok_123?distinct_id=d-1&session_id=s-1')
        expect(links('https://eu.posthog.com/interview/tok/').link).toBe('https://eu.posthog.com/interview/tok/?distinct_id=d-1&session_id=s-1')
        expect(links('https://us.posthog.com/interview/tok/extra').link).toBe('https://us.posthog.com/interview/tok/extra')
        expect(links('https://posthog.com.evil.example/interview/tok').link).toBe('https://posthog.com.evil.example/interview/tok')
        expect(links('https://book.example.com/interview/tok').link).toBe('https://book.example.com/interview/tok')
        expect(links('https://us.posthog.com/interview/tok').frame).toBeUndefined()
    })

    it('modes: auto embeds only the two tools; new-tab never embeds; embed frames any link as it is', () => {
        expect(links('https://calendly.com/t/30', 'new-tab').frame).toBeUndefined()
        expect(links('https://cal.com/t/30', 'new-tab').frame).toBeUndefined()
        expect(links('https://book.example.com/a').frame).toBeUndefined()
        expect(links('https://book.example.com/a', 'embed')).toEqual({ link: 'https://book.example.com/a', frame: 'https://book.example.com/a', tool: '' })
    })
})

describe('readBookingMessage', () => {
    const calendly = (event: string, payload: unknown = {}) => ({ event, payload })
    const cal = (type: string, data: unknown = {}) => ({ originator: 'CAL', type, namespace: 'user-interviewer', fullType: `CAL:user-interviewer:${type}`, data })
    const fromCalendly = (data: unknown) => readBookingMessage(data, 'calendly')
    const fromCal = (data: unknown) => readBookingMessage(data, 'cal.com')

    it("Calendly: any calendly.* message says the page is there; event_scheduled is a booking, its event's URI the id", () => {
        expect(fromCalendly(calendly('calendly.event_type_viewed'))).toEqual({ handshake: false, booked: undefined })
        expect(fromCalendly(calendly('calendly.page_height', { height: '602px' }))).toEqual({ handshake: false, booked: undefined })
        expect(
            fromCalendly(calendly('calendly.event_scheduled', { event: { uri: 'https://api.calendly.com/scheduled_events/E1' }, invitee: { uri: 'i' } })),
        ).toEqual({ handshake: false, booked: 'https://api.calendly.com/scheduled_events/E1' })
    })

    it("cal.com: __iframeReady asks for the handshake; bookingSuccessfulV2 is the booking, its uid the id; the rest are signs of life", () => {
        expect(fromCal(cal('__iframeReady', { isPrerendering: false }))).toEqual({ handshake: true, booked: undefined })
        expect(fromCal(cal('linkReady'))).toEqual({ handshake: false, booked: undefined })
        expect(fromCal(cal('bookingSuccessfulV2', { uid: 'u1', title: 't' }))).toEqual({ handshake: false, booked: 'u1' })
        // The older message of the same booking, a reschedule and a dry run are not (new) bookings.
        for (const type of ['bookingSuccessful', 'rescheduleBookingSuccessfulV2', 'dryRunBookingSuccessfulV2'])
            expect(fromCal(cal(type, { uid: 'u1', booking: { uid: 'u1' } }))?.booked, type).toBeUndefined()
    })

    it("only the link's own tool's messages count: not the other tool's shape, and nothing from any other page", () => {
        expect(fromCal(calendly('calendly.event_scheduled', { event: { uri: 'https://api.calendly.com/scheduled_events/E1' } }))).toBeNull()
        expect(fromCalendly(cal('bookingSuccessfulV2', { uid: 'u1' }))).toBeNull()
        expect(fromCalendly(cal('__iframeReady'))).toBeNull()
        expect(readBookingMessage(calendly('calendly.event_scheduled', { event: { uri: 'x' } }), '')).toBeNull()
        expect(readBookingMessage(cal('bookingSuccessfulV2', { uid: 'u1' }), '')).toBeNull()
    })

    it('anything else is nothing; a booking without a string id is no booking', () => {
        for (const data of [null, undefined, 'calendly.event_scheduled', 42, [], {}, { event: 'other.thing' }, { originator: 'cal', type: 'x' }, { originator: 'CAL' }, { originator: 'CAL', type: '' }, { event: 5 }]) {
            expect(fromCalendly(data), JSON.stringify(data)).toBeNull()
            expect(fromCal(data), JSON.stringify(data)).toBeNull()
        }
        for (const id of [undefined, null, 5, {}, ['x'], ''])
            expect(fromCalendly(calendly('calendly.event_scheduled', { event: { uri: id } }))?.booked).toBeUndefined()
        expect(fromCalendly(calendly('calendly.event_scheduled', null))?.booked).toBeUndefined()
        expect(fromCal(cal('bookingSuccessfulV2', null))?.booked).toBeUndefined()
        expect(fromCal(cal('bookingSuccessfulV2', { uid: 7 }))?.booked).toBeUndefined()
    })
})

describe('what leaves the page without prefillNameAndEmail', () => {
    const byEmail: Visitor = { flag: 'user-interview', distinctId: 'ada@example.com', deviceId: '0190-device', sessionId: 's-1' }

    it("never an email address: a team that identifies people by email sends the anonymous device id instead", () => {
        expect(query(links('https://calendly.com/team/30min', 'auto', byEmail).link).utm_content).toBe('0190-device')
        expect(query(links('https://cal.com/team/30min', 'auto', byEmail).frame)['metadata[distinct_id]']).toBe('0190-device')
        // A device id that is an email too (a bootstrapped distinct id): nothing at all.
        const both = { ...byEmail, deviceId: 'ada@example.com' }
        expect(query(links('https://calendly.com/team/30min', 'auto', both).link).utm_content).toBeUndefined()
        expect(query(links('https://cal.com/team/30min', 'auto', both).frame)['metadata[distinct_id]']).toBeUndefined()
    })

    it('the distinct id as it is when it is no email address, and the email where the team opted in to prefill', () => {
        expect(query(links('https://calendly.com/team/30min', 'auto', { ...byEmail, distinctId: 'user-42' }).link).utm_content).toBe('user-42')
        const optedIn = { ...byEmail, prefill: true, email: 'ada@example.com' }
        expect(query(links('https://calendly.com/team/30min', 'auto', optedIn).link)).toMatchObject({ utm_content: 'ada@example.com', email: 'ada@example.com' })
    })
})
