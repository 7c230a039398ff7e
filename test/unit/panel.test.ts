// The booking panel's logic in happy-dom, message by message: which frame and origin are believed, cal.com's
// handshake, one booked event per booking, the fallbacks, and nothing left listening after it closes. (The real pages,
// frames and CSP are in test/e2e/booking.test.ts.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { inject } from '../../site'
import { bookedKey } from '../../src/memory'
import { fakePosthog, useFreshPage } from './fake-posthog'

const CALENDLY = 'https://calendly.com/team/30min'
const CAL = 'https://cal.com/team/30min'
const CLICKED = 'User Interview Clicked Book Button'
const BOOKED = 'User Interview Booked'
const FLAG = 'user-interview'

let warnings: string[]
let openSpy: ReturnType<typeof vi.fn>
useFreshPage((page) => ({ warnings, openSpy } = page))

// happy-dom loads no frame (and says so on the console, each time): each frame gets a window of its own to post
// from and to.
const frameWindows = new WeakMap<HTMLIFrameElement, { postMessage: ReturnType<typeof vi.fn> }>()
const contentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')
beforeEach(() => {
    Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
        configurable: true,
        get(this: HTMLIFrameElement) {
            if (!frameWindows.has(this)) frameWindows.set(this, { postMessage: vi.fn() })
            return frameWindows.get(this)
        },
    })
})
afterEach(() => {
    if (contentWindow) Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', contentWindow)
})

const root = () => document.querySelector('user-interviewer')?.shadowRoot ?? null
const panel = () => root()?.querySelector('dialog') ?? null
const iframe = () => root()?.querySelector('iframe') ?? null
const status = () => root()?.querySelector('[role="status"]')?.textContent
const named = (posthog: ReturnType<typeof fakePosthog>, event: string) => posthog.captured.filter((c) => c.event === event)

/** The app with one interview booked at `link`, flags loaded, and Book clicked. */
function book(link: string, config: Record<string, unknown> = {}) {
    const posthog = fakePosthog()
    inject({ config: { interviewConfigs: `${FLAG}=${link}`, ...config }, posthog })
    posthog.loadFlags([FLAG])
    ;(root()!.querySelector('button.book') as HTMLButtonElement).click()
    return posthog
}

/**
 * A message as the browser delivers one from another window: trusted. (happy-dom's are never; in a browser no script
 * can make one, which test/e2e/booking.test.ts proves with a forged event from the host page.)
 */
function post(data: unknown, origin: string, source: unknown = iframe()!.contentWindow, isTrusted = true) {
    const event = new MessageEvent('message', { data, origin, source: source as Window })
    Object.defineProperty(event, 'isTrusted', { value: isTrusted })
    window.dispatchEvent(event)
}

const scheduled = (id: string) => ({ event: 'calendly.event_scheduled', payload: { event: { uri: id }, invitee: { uri: `${id}/invitees/1` } } })

describe('booking panel', () => {
    it('Book on a Calendly link: the clicked event, then the panel with the embed frame (no tab)', () => {
        const posthog = book(CALENDLY)
        expect(named(posthog, CLICKED)).toHaveLength(1)
        expect(openSpy).not.toHaveBeenCalled()
        expect(panel()).not.toBeNull()
        expect(iframe()!.getAttribute('src')).toBe(
            `${CALENDLY}?utm_source=posthog&utm_campaign=${FLAG}&utm_content=distinct-1&embed_domain=${encodeURIComponent(location.host)}&embed_type=Inline`,
        )
        expect(status()).toBe('Loading the booking page…')
    })

    it("believes only the panel's frame at the page's origin; one booked event per booking", () => {
        const posthog = book(CALENDLY)
        const frame = iframe()!
        post(scheduled('E-page'), 'https://calendly.com', window)
        post(scheduled('E-origin'), 'https://evil.example')
        post(scheduled('E-origin'), 'http://calendly.com')
        post(scheduled('E-null'), 'https://calendly.com', null)
        // A script's own MessageEvent, however right its source and origin: not trusted, not believed.
        post(scheduled('E-forged'), 'https://calendly.com', frame.contentWindow, false)
        expect(named(posthog, BOOKED)).toEqual([])
        expect(status()).toBe('Loading the booking page…')

        post({ event: 'calendly.event_type_viewed', payload: {} }, 'https://calendly.com')
        expect(status()).toBe('')
        post(scheduled('E1'), 'https://calendly.com')
        post(scheduled('E1'), 'https://calendly.com') // (Calendly may say it twice)
        expect(named(posthog, BOOKED)).toEqual([
            { event: BOOKED, properties: expect.objectContaining({ featureFlagName: FLAG, bookingTool: 'calendly', bookingId: 'E1', $set: expect.any(Object) }) },
        ])
        expect(status()).toBe("You're booked. Thank you!")
        expect(localStorage.getItem(bookedKey(FLAG))).toBe('E1')
        // Re-rendered, the frame is the same element (it does not reload).
        expect(iframe()).toBe(frame)
        // Another booking in the same panel is another booking.
        post(scheduled('E2'), 'https://calendly.com')
        expect(named(posthog, BOOKED).map((e) => e.properties.bookingId)).toEqual(['E1', 'E2'])
    })

    it("answers cal.com's __iframeReady, to that frame at its origin only; its two booking messages count once", () => {
        const posthog = book(CAL)
        const reply = (iframe()!.contentWindow as unknown as { postMessage: ReturnType<typeof vi.fn> }).postMessage
        const cal = (type: string, data: unknown = {}) => ({ originator: 'CAL', type, namespace: 'user-interviewer', data })
        post(cal('__iframeReady'), 'https://cal.com') // (the frame is app.cal.com's)
        expect(reply).not.toHaveBeenCalled()
        post(cal('__iframeReady'), 'https://app.cal.com')
        expect(reply).toHaveBeenCalledExactlyOnceWith({ originator: 'CAL', method: 'parentKnowsIframeReady', arg: undefined }, 'https://app.cal.com')
        expect(status()).toBe('Loading the booking page…') // (its page is still hidden until it has the answer)
        post(cal('linkReady'), 'https://app.cal.com')
        expect(status()).toBe('')
        post(cal('bookingSuccessful', { booking: { uid: 'u1', attendees: [{ email: 'a@b.c' }] } }), 'https://app.cal.com')
        post(cal('bookingSuccessfulV2', { uid: 'u1' }), 'https://app.cal.com')
        expect(named(posthog, BOOKED).map((e) => e.properties)).toEqual([expect.objectContaining({ bookingTool: 'cal.com', bookingId: 'u1' })])
        expect(JSON.stringify(posthog.captured)).not.toContain('a@b.c')
    })

    it('after it closes, nothing listens: no booking, no fallback tab', () => {
        vi.useFakeTimers()
        try {
            const posthog = book(CALENDLY)
            const source = iframe()!.contentWindow
            ;(root()!.querySelector('button.close') as HTMLButtonElement).click()
            expect(document.querySelector('user-interviewer')).toBeNull()
            post(scheduled('E1'), 'https://calendly.com', source)
            vi.advanceTimersByTime(60_000)
            expect(named(posthog, BOOKED)).toEqual([])
            expect(openSpy).not.toHaveBeenCalled()
            expect(warnings).toEqual([])
        } finally {
            vi.useRealTimers()
        }
    })

    it('no sign of the page after 10 s: the link in a new tab, once; where no tab opens, the link in place of the frame', () => {
        vi.useFakeTimers()
        try {
            book(CALENDLY)
            vi.advanceTimersByTime(9_999)
            expect(openSpy).not.toHaveBeenCalled()
            vi.advanceTimersByTime(1)
            expect(openSpy).toHaveBeenCalledExactlyOnceWith(`${CALENDLY}?utm_source=posthog&utm_campaign=${FLAG}&utm_content=distinct-1`, '_blank')
            expect(document.querySelector('user-interviewer')).toBeNull()

            localStorage.clear()
            delete (window as unknown as Record<string, unknown>).__userInterviewer
            openSpy.mockReturnValue(null)
            book(CALENDLY)
            vi.advanceTimersByTime(10_000)
            expect(openSpy).toHaveBeenCalledTimes(2)
            expect(iframe()).toBeNull()
            expect(root()!.querySelector('a.fallback')!.getAttribute('href')).toBe(`${CALENDLY}?utm_source=posthog&utm_campaign=${FLAG}&utm_content=distinct-1`)
            // A violation after that opens no second tab.
            document.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), { disposition: 'enforce', effectiveDirective: 'frame-src', blockedURI: CALENDLY }))
            expect(openSpy).toHaveBeenCalledTimes(2)
        } finally {
            vi.useRealTimers()
        }
    })

    it('an enforced frame-src violation for the frame falls back at once; a report-only one, or one for something else, does not', () => {
        book(CALENDLY)
        const violation = (fields: Record<string, string>) =>
            document.dispatchEvent(
                Object.assign(new Event('securitypolicyviolation'), { disposition: 'enforce', effectiveDirective: 'frame-src', blockedURI: `${CALENDLY}?x`, ...fields }),
            )
        violation({ disposition: 'report' })
        violation({ effectiveDirective: 'img-src' })
        violation({ blockedURI: 'https://other.example/frame' })
        expect(openSpy).not.toHaveBeenCalled()
        expect(panel()).not.toBeNull()
        violation({})
        expect(openSpy).toHaveBeenCalledOnce()
        expect(document.querySelector('user-interviewer')).toBeNull()
    })

    it('Escape (the dialog\'s cancel) closes it; no dismissal is captured', () => {
        const posthog = book(CAL)
        panel()!.dispatchEvent(new Event('cancel'))
        expect(document.querySelector('user-interviewer')).toBeNull()
        expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', CLICKED])
    })

    it('a posthog-js whose ids throw: the click is captured once and the bare link opens in a new tab', () => {
        const posthog = fakePosthog()
        posthog.get_distinct_id.mockImplementation(() => {
            throw new Error('broken')
        })
        inject({ config: { interviewConfigs: `${FLAG}=${CALENDLY}` }, posthog })
        posthog.loadFlags([FLAG])
        const bookButton = root()!.querySelector('button.book') as HTMLButtonElement
        bookButton.click()
        bookButton.click()
        expect(named(posthog, CLICKED)).toHaveLength(1)
        expect(openSpy).toHaveBeenCalledExactlyOnceWith(CALENDLY, '_blank')
        expect(document.querySelector('user-interviewer')).toBeNull()
        expect(warnings.every((line) => line.startsWith('[User Interviewer] '))).toBe(true)
    })

    it('without get_distinct_id and get_session_id (an older posthog-js): the panel, without those parameters', () => {
        const posthog = fakePosthog()
        delete (posthog as Record<string, unknown>).get_distinct_id
        delete (posthog as Record<string, unknown>).get_session_id
        inject({ config: { interviewConfigs: `${FLAG}=${CALENDLY}` }, posthog })
        posthog.loadFlags([FLAG])
        ;(root()!.querySelector('button.book') as HTMLButtonElement).click()
        expect(iframe()!.getAttribute('src')).toBe(
            `${CALENDLY}?utm_source=posthog&utm_campaign=${FLAG}&embed_domain=${encodeURIComponent(location.host)}&embed_type=Inline`,
        )
    })
})
