import { describe, expect, it, vi } from 'vitest'
import { inject } from '../../site'
import { answeredKey, LAST_ANSWERED_KEY } from '../../src/memory'
import { afterNextPaint, fakePosthog, useFreshPage } from './fake-posthog'

const CONFIG = {
    interviewConfigs: 'high-icp=https://cal.test/high,user-interview=https://cal.test/ui',
    invitationTitle: 'Talk to us',
    invitationBody: '<p>Hello <b>there</b><img src=x onerror=alert(1)></p>',
    footerHTML: 'More? <a href="https://example.test/faq">FAQ</a> <a href="javascript:alert(1)">bad</a>',
}
const SEEN = 'Seen User Interview Invitation'

const host = () => document.querySelector('user-interviewer') as HTMLElement | null
const root = () => host()?.shadowRoot ?? null
const dialog = () => root()?.querySelector('[role="dialog"]') as HTMLElement | null
const button = (action: string) => root()?.querySelector(`button.${action}`) as HTMLButtonElement | null
const at = (url: string) => history.replaceState(null, '', url)

let warnings: string[]
let openSpy: ReturnType<typeof vi.fn>
useFreshPage((page) => ({ warnings, openSpy } = page))

describe('inject', () => {
    it('shows nothing and touches no DOM until flags say so, then shows once', () => {
        const posthog = fakePosthog()
        const callback = vi.fn()
        inject({ config: CONFIG, posthog, callback })
        expect(callback).toHaveBeenCalledWith(true)
        expect(host()).toBeNull()
        posthog.loadFlags(['something-else'])
        expect(host()).toBeNull()
        expect(posthog.captured).toEqual([])
        posthog.loadFlags(['user-interview'])
        expect(dialog()).not.toBeNull()
        expect(posthog.captured).toEqual([{ event: 'User Interview Shown Pop Up', properties: { featureFlagName: 'user-interview' } }])
        posthog.loadFlags(['user-interview', 'high-icp'])
        expect(document.querySelectorAll('user-interviewer')).toHaveLength(1)
        expect(posthog.captured).toHaveLength(1)
        expect(posthog.handlerCount()).toBe(1) // one flags handler: after the popup, it only watches for an unsent answer
    })

    it('in a visible page, renders in a task of its own, then focuses and sends the shown event after its paint, once', async () => {
        vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
        const task = () => new Promise((resolve) => setTimeout(resolve))
        const SHOWN = { event: 'User Interview Shown Pop Up', properties: { featureFlagName: 'user-interview' } }
        const a = fakePosthog()
        inject({ config: CONFIG, posthog: a })
        a.loadFlags(['user-interview'])
        // Not inside posthog-js's flags callback: in a task of its own.
        expect(host()).toBeNull()
        a.loadFlags(['user-interview'])
        await task()
        expect(dialog()).not.toBeNull()
        expect(root()!.activeElement).toBeNull()
        expect(a.captured).toEqual([])
        await afterNextPaint()
        expect(root()!.activeElement).toBe(dialog())
        expect(a.captured).toEqual([SHOWN])
        button('close')!.click()
        await afterNextPaint()
        expect(a.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', 'User Interview Dismissed Pop Up'])

        // Answered before the first paint: shown, then dismissed, each once.
        delete (window as unknown as Record<string, unknown>).__userInterviewer
        localStorage.clear()
        const b = fakePosthog()
        inject({ config: CONFIG, posthog: b })
        b.loadFlags(['user-interview'])
        await task()
        button('close')!.click()
        await afterNextPaint()
        expect(b.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', 'User Interview Dismissed Pop Up'])
    })

    it('renders texts as text and the HTML fields through the sanitiser', () => {
        const posthog = fakePosthog()
        inject({ config: { ...CONFIG, invitationTitle: '<img src=x onerror=alert(1)>' }, posthog })
        posthog.loadFlags(['high-icp'])
        expect(root()!.querySelector('h2')!.textContent).toBe('<img src=x onerror=alert(1)>')
        const html = root()!.innerHTML
        expect(html).toContain('<b>there</b>')
        const attributes = [...root()!.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`))
        expect(attributes.filter((a) => /^on|javascript:/i.test(a))).toEqual([])
        expect(root()!.querySelector('script, img[src="x"]')).toBeNull()
        const link = root()!.querySelector('a[href="https://example.test/faq"]') as HTMLAnchorElement
        expect(link.target).toBe('_blank')
        expect(link.rel).toContain('noopener')
        expect(button('book')!.textContent!.trim()).toBe('Book now')
        expect(button('close')!.textContent!.trim()).toBe('Close')
    })

    it('is a labelled dialog that takes focus', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        const el = dialog()!
        expect(el.getAttribute('aria-labelledby')).toBe('title')
        expect(root()!.getElementById('title')!.textContent).toBe('Talk to us')
        expect(button('close')!.textContent).toBe('Close')
        expect(root()!.activeElement).toBe(el)
    })

    it('never takes focus from an element the visitor is using, and a held Escape is no answer', async () => {
        vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
        document.body.innerHTML = '<input id="search" autofocus>'
        const input = document.getElementById('search') as HTMLInputElement
        input.focus()
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        await new Promise((resolve) => setTimeout(resolve))
        await afterNextPaint()
        expect(dialog()).not.toBeNull()
        expect(document.activeElement).toBe(input)
        expect(root()!.activeElement).toBeNull()
        // Escape held down in the page: its repeats reaching the popup are not a dismissal.
        dialog()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', repeat: true, bubbles: true }))
        expect(host()).not.toBeNull()
        expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up'])
    })

    it('applies the look settings: position, theme, z-index and book colours', () => {
        const posthog = fakePosthog()
        inject({
            config: { ...CONFIG, position: 'center', theme: 'dark', zIndex: '42', bookButtonBackground: '#0a7d32', bookButtonColor: '#fff' },
            posthog,
        })
        posthog.loadFlags(['high-icp'])
        const el = dialog()!
        expect(el.className.split(' ').sort()).toEqual(['center', 'dark', 'popup'])
        expect(el.style.zIndex).toBe('42')
        expect(el.style.getPropertyValue('--ui-book-background')).toBe('#0a7d32')
        expect(el.style.getPropertyValue('--ui-book-text')).toBe('#fff')
    })

    it('uses the default look: bottom right, following the page (a plain page is light)', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        expect(dialog()!.className).toBe('popup bottom-right light')
        expect(dialog()!.style.zIndex).toBe('999999')
    })

    it('uses renamed events and person property names', () => {
        const posthog = fakePosthog()
        inject({
            config: { ...CONFIG, shownUserInterviewPopupEvent: 'Shown', clickBookButtonEvent: 'Booked click', userPropertyNameSeenUserInterview: 'Seen' },
            posthog,
        })
        posthog.loadFlags(['high-icp'])
        button('book')!.click()
        expect(posthog.captured.map((c) => c.event)).toEqual(['Shown', 'Booked click'])
        expect(Object.keys(posthog.captured[1].properties.$set as object).sort()).toEqual(['Seen', 'Seen - high-icp'])
    })

    it('fires the window events on open and close', () => {
        const events: string[] = []
        const listener = (event: Event) => events.push(`${event.type}:${(event as CustomEvent).detail.featureFlagName}`)
        window.addEventListener('PHUserInterviewBoxOpened', listener)
        window.addEventListener('PHUserInterviewBoxClosed', listener)
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        button('close')!.click()
        expect(events).toEqual(['PHUserInterviewBoxOpened:high-icp', 'PHUserInterviewBoxClosed:high-icp'])
        window.removeEventListener('PHUserInterviewBoxOpened', listener)
        window.removeEventListener('PHUserInterviewBoxClosed', listener)
    })

    for (const action of ['close'] as const) {
        it(`counts the ${action} button as a dismissal, once, and remembers it`, () => {
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            posthog.loadFlags(['high-icp'])
            const closeButton = button(action)!
            closeButton.click()
            closeButton.click()
            expect(host()).toBeNull()
            const dismissed = posthog.captured.filter((c) => c.event === 'User Interview Dismissed Pop Up')
            expect(dismissed).toHaveLength(1)
            const $set = dismissed[0].properties.$set as Record<string, string>
            expect(dismissed[0].properties.featureFlagName).toBe('high-icp')
            expect(Object.keys($set).sort()).toEqual([SEEN, `${SEEN} - high-icp`])
            expect(new Date($set[SEEN]).toISOString()).toBe($set[SEEN])
            expect(localStorage.getItem(answeredKey('high-icp'))).toBe('true')
            expect(localStorage.getItem(LAST_ANSWERED_KEY)).toBe($set[SEEN])
            expect(openSpy).not.toHaveBeenCalled()
        })
    }

    it('dismisses on Escape', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        dialog()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
        expect(host()).toBeNull()
        expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', 'User Interview Dismissed Pop Up'])
    })

    it('books: captures the click with $set and opens the link in a new tab without an opener', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        button('book')!.click()
        expect(posthog.captured[1]).toMatchObject({ event: 'User Interview Clicked Book Button', properties: { featureFlagName: 'high-icp' } })
        expect(openSpy).toHaveBeenCalledWith('https://cal.test/high', '_blank')
        expect(openSpy.mock.results[0].value.opener).toBeNull()
        expect(host()).toBeNull()
    })

    it('books where nothing can open (sandboxed frame, popup blocker): goes to the link here, the click captured first', () => {
        openSpy.mockReturnValue(null)
        const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
        const posthog = fakePosthog()
        posthog.capture.mockImplementation((event: string, properties: Record<string, unknown>) => {
            expect(assign).not.toHaveBeenCalled()
            posthog.captured.push({ event, properties })
            return undefined
        })
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        button('book')!.click()
        expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', 'User Interview Clicked Book Button'])
        expect(assign).toHaveBeenCalledExactlyOnceWith('https://cal.test/high')
    })

    it('does not come back after an answer, across page loads, within the cool-down', () => {
        const first = fakePosthog()
        inject({ config: CONFIG, posthog: first })
        first.loadFlags(['high-icp', 'user-interview'])
        button('close')!.click()
        delete (window as unknown as Record<string, unknown>).__userInterviewer
        const second = fakePosthog()
        inject({ config: CONFIG, posthog: second })
        second.loadFlags(['high-icp', 'user-interview'])
        expect(host()).toBeNull()
        expect(second.captured).toEqual([])
    })

    it('shows the next flag once the cool-down has passed, never an answered one', () => {
        localStorage.setItem(answeredKey('high-icp'), 'true')
        localStorage.setItem(LAST_ANSWERED_KEY, new Date(Date.now() - 91 * 86400000).toISOString())
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp', 'user-interview'])
        expect(posthog.captured[0].properties.featureFlagName).toBe('user-interview')
    })

    it('honours minDaysSinceLastSeenPopUp', () => {
        localStorage.setItem(LAST_ANSWERED_KEY, new Date(Date.now() - 3 * 86400000).toISOString())
        const posthog = fakePosthog()
        inject({ config: { ...CONFIG, minDaysSinceLastSeenPopUp: '2' }, posthog })
        posthog.loadFlags(['high-icp'])
        expect(host()).not.toBeNull()
    })

    for (const minDays of ['0', '90']) {
        it(`shows (minDaysSinceLastSeenPopUp ${minDays}) after an answer stamped days in the future`, () => {
            localStorage.setItem(LAST_ANSWERED_KEY, new Date(Date.now() + 3 * 86400000).toISOString())
            const posthog = fakePosthog()
            inject({ config: { ...CONFIG, minDaysSinceLastSeenPopUp: minDays }, posthog })
            posthog.loadFlags(['high-icp'])
            expect(host()).not.toBeNull()
        })
    }

    it('honours answers known only from the stored person properties', () => {
        const posthog = fakePosthog({ personProperties: { [`${SEEN} - high-icp`]: '2020-01-01T00:00:00.000Z' } })
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp', 'user-interview'])
        expect(posthog.captured[0].properties.featureFlagName).toBe('user-interview')
    })

    it('uses the prefix flags and their payload overrides', () => {
        const posthog = fakePosthog({
            payloads: { 'interview-beta': { bookingLink: 'https://cal.test/beta', invitationTitle: 'Beta chat', closeButtonText: 'Later' } },
        })
        inject({ config: { flagStartsWith: 'interview-' }, posthog })
        posthog.loadFlags(['interview-beta'])
        expect(root()!.querySelector('h2')!.textContent).toBe('Beta chat')
        expect(button('close')!.textContent!.trim()).toBe('Later')
        button('book')!.click()
        expect(openSpy).toHaveBeenCalledWith('https://cal.test/beta', '_blank')
    })

    it('does nothing at all off the listed domains', () => {
        const posthog = fakePosthog()
        inject({ config: { ...CONFIG, domains: 'app.example.com' }, posthog })
        expect(posthog.onFeatureFlags).not.toHaveBeenCalled()
        expect(host()).toBeNull()
    })

    it('runs on a listed domain', () => {
        const posthog = fakePosthog()
        inject({ config: { ...CONFIG, domains: `other.test, ${location.hostname}` }, posthog })
        posthog.loadFlags(['high-icp'])
        expect(host()).not.toBeNull()
    })

    it('does nothing for a visitor who opted out of capturing', () => {
        const posthog = fakePosthog({ optedOut: true })
        inject({ config: CONFIG, posthog })
        expect(posthog.onFeatureFlags).not.toHaveBeenCalled()
        expect(host()).toBeNull()
        expect(posthog.captured).toEqual([])
    })

    it('shows one popup when inject runs twice on a page', () => {
        const a = fakePosthog()
        const b = fakePosthog()
        inject({ config: CONFIG, posthog: a })
        inject({ config: CONFIG, posthog: b })
        a.loadFlags(['high-icp'])
        b.loadFlags(['high-icp'])
        expect(document.querySelectorAll('user-interviewer')).toHaveLength(1)
        expect(a.captured.length + b.captured.length).toBe(1)
    })

    it('shows when flags were already loaded before inject', () => {
        const posthog = fakePosthog()
        posthog.loadFlags(['user-interview'])
        inject({ config: CONFIG, posthog })
        expect(host()).not.toBeNull()
        expect(posthog.handlerCount()).toBe(1) // one flags handler (which also watches for an unsent answer)
    })

    it('waits for <body> when flags arrive before it', () => {
        const body = document.body
        body.remove()
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        expect(host()).toBeNull()
        document.documentElement.appendChild(body)
        document.dispatchEvent(new Event('DOMContentLoaded'))
        expect(host()).not.toBeNull()
        expect(posthog.captured).toHaveLength(1)
    })

    it('stays open on sessionStorage events (a same-origin frame clearing its session storage)', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        window.dispatchEvent(new StorageEvent('storage', { key: null, storageArea: sessionStorage }))
        window.dispatchEvent(new StorageEvent('storage', { key: answeredKey('high-icp'), newValue: 'true', storageArea: sessionStorage }))
        expect(host()).not.toBeNull()
        window.dispatchEvent(new StorageEvent('storage', { key: null, storageArea: localStorage }))
        expect(host()).toBeNull()
    })

    it('stands down where it cannot be seen: a <frameset> page, a frame laid out at no size', () => {
        const body = document.body
        const frameset = document.createElement('frameset')
        document.documentElement.replaceChild(frameset, body)
        const a = fakePosthog()
        inject({ config: CONFIG, posthog: a })
        a.loadFlags(['high-icp'])
        expect(document.querySelector('user-interviewer')).toBeNull()
        expect(a.captured).toEqual([])
        document.documentElement.replaceChild(body, frameset)

        delete (window as unknown as Record<string, unknown>).__userInterviewer
        vi.spyOn(window, 'innerWidth', 'get').mockReturnValue(0)
        vi.spyOn(window, 'innerHeight', 'get').mockReturnValue(0)
        const b = fakePosthog()
        inject({ config: CONFIG, posthog: b })
        b.loadFlags(['high-icp'])
        expect(host()).toBeNull()
        expect(b.captured).toEqual([])
    })

    it('closes quietly when the invitation is answered in another tab', async () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        window.dispatchEvent(new StorageEvent('storage', { key: answeredKey('high-icp'), newValue: 'true', storageArea: localStorage }))
        expect(host()).toBeNull()
        expect(posthog.captured).toHaveLength(1)
    })

    describe("an anonymous visitor's answer (PostHog drops their $set)", () => {
        const seen = (set: object) => Object.keys(set).sort()

        it('is kept, and set on their person once posthog-js says they are identified, once', () => {
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            posthog.loadFlags(['high-icp'])
            button('close')!.click()
            const $set = posthog.captured[1].properties.$set as Record<string, string>
            expect(posthog.setPersonProperties).not.toHaveBeenCalled()
            posthog.loadFlags(['high-icp']) // a reload while still anonymous: nothing, no profile made for them
            expect(posthog.setPersonProperties).not.toHaveBeenCalled()
            posthog.identify()
            expect(posthog.setPersonProperties).toHaveBeenCalledExactlyOnceWith($set)
            expect(seen($set)).toEqual([SEEN, `${SEEN} - high-icp`])
            posthog.loadFlags(['high-icp'])
            expect(posthog.setPersonProperties).toHaveBeenCalledOnce()
        })

        it('reaches the person on a later page, where they are identified', () => {
            at('/?bookedUserInterviewEvent=high-icp')
            const first = fakePosthog()
            inject({ config: CONFIG, posthog: first })
            const $set = first.captured[0].properties.$set
            first.loadFlags([])
            expect(first.setPersonProperties).not.toHaveBeenCalled()

            delete (window as unknown as Record<string, unknown>).__userInterviewer
            at('/')
            const later = fakePosthog({ identified: true })
            inject({ config: CONFIG, posthog: later })
            later.loadFlags([])
            expect(later.setPersonProperties).toHaveBeenCalledExactlyOnceWith($set)
            expect(later.captured.map((c) => c.event)).toEqual(['$set'])
        })

        it('goes before a newer answer, which it must not overwrite, even while flags are still loading', () => {
            at('/?bookedUserInterviewEvent=high-icp')
            const first = fakePosthog()
            inject({ config: CONFIG, posthog: first })
            const older = first.captured[0].properties.$set

            delete (window as unknown as Record<string, unknown>).__userInterviewer
            localStorage.removeItem('ph-high-icp-user_interview_booked')
            at('/?bookedUserInterviewEvent=high-icp')
            const later = fakePosthog({ identified: true })
            inject({ config: CONFIG, posthog: later }) // the redirect again: a new answer, before any flag load
            expect(later.captured.map((c) => c.event)).toEqual(['$set', 'User Interview Booked'])
            expect(later.setPersonProperties).toHaveBeenCalledExactlyOnceWith(older)
            later.loadFlags([])
            expect(later.setPersonProperties).toHaveBeenCalledOnce()
        })

        it('an identified visitor: the answer event carries it, nothing is kept', () => {
            const posthog = fakePosthog({ identified: true })
            inject({ config: CONFIG, posthog })
            posthog.loadFlags(['high-icp'])
            button('book')!.click()
            posthog.loadFlags(['high-icp'])
            expect(posthog.setPersonProperties).not.toHaveBeenCalled()
            expect(seen(posthog.captured[1].properties.$set as object)).toEqual([SEEN, `${SEEN} - high-icp`])
        })
    })

    describe("visitors and installs of the original app's last versions", () => {
        it("does not invite again for a flag answered under the 2023 key, and honours its cool-down date", () => {
            localStorage.setItem('ph-high-icp', 'true')
            const a = fakePosthog()
            inject({ config: { ...CONFIG, minDaysSinceLastSeenPopUp: '0' }, posthog: a })
            a.loadFlags(['high-icp', 'user-interview'])
            expect(a.captured.map((c) => c.properties.featureFlagName)).toEqual(['user-interview'])

            delete (window as unknown as Record<string, unknown>).__userInterviewer
            button('close')!.click()
            localStorage.clear()
            localStorage.setItem(SEEN, new Date(Date.now() - 10 * 86400000).toISOString())
            const b = fakePosthog()
            inject({ config: CONFIG, posthog: b })
            b.loadFlags(['high-icp', 'user-interview'])
            expect(host()).toBeNull()
            expect(b.captured).toEqual([])
        })

        it('counts the earlier redirect parameter, bookedUserInterview, and removes it', () => {
            at('/home?a=1&bookedUserInterview=high-icp#x')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            expect(posthog.captured).toHaveLength(1)
            expect(posthog.captured[0]).toMatchObject({ event: 'User Interview Booked', properties: { featureFlagName: 'high-icp' } })
            expect(location.pathname + location.search + location.hash).toBe('/home?a=1#x')
        })

        it('counts a redirect for a prefix flag answered under the 2023 key', () => {
            localStorage.setItem('ph-interview-x', 'true')
            at('/?bookedUserInterviewEvent=interview-x')
            const posthog = fakePosthog()
            inject({ config: { flagStartsWith: 'interview-' }, posthog })
            expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Booked'])
        })

        it('runs on the 2022 settings, featureFlagNames and bookButtonURLs', () => {
            const posthog = fakePosthog()
            inject({ config: { featureFlagNames: 'high-icp,user-interview', bookButtonURLs: 'https://cal.test/old-high,https://cal.test/old-ui' }, posthog })
            posthog.loadFlags(['user-interview'])
            button('book')!.click()
            expect(openSpy).toHaveBeenCalledWith('https://cal.test/old-ui', '_blank')
        })
    })

    describe('booking redirect', () => {
        it('captures the booked event once, sets the properties, cleans the address and never shows that flag', () => {
            at('/home?x=1&bookedUserInterviewEvent=high-icp#top')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            expect(posthog.captured).toHaveLength(1)
            expect(posthog.captured[0]).toMatchObject({ event: 'User Interview Booked', properties: { featureFlagName: 'high-icp' } })
            expect(Object.keys(posthog.captured[0].properties.$set as object).sort()).toEqual([SEEN, `${SEEN} - high-icp`])
            expect(location.search).toBe('?x=1')
            expect(location.hash).toBe('#top')
            delete (window as unknown as Record<string, unknown>).__userInterviewer
            at('/home?bookedUserInterviewEvent=high-icp')
            const again = fakePosthog()
            inject({ config: { ...CONFIG, minDaysSinceLastSeenPopUp: '0' }, posthog: again })
            again.loadFlags(['high-icp'])
            expect(again.captured).toEqual([])
            expect(host()).toBeNull()
        })

        it("removes only its parameter: every other byte of the page's address stays", () => {
            at('/p?name=John%20Smith&bookedUserInterviewEvent=high-icp&next=/a/b,c&debug#top')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Booked'])
            expect(location.pathname + location.search + location.hash).toBe('/p?name=John%20Smith&next=/a/b,c&debug#top')
        })

        it('counts a redirect to a hash-routed app, and removes it from the hash', () => {
            at('/#/home?tab=1&bookedUserInterviewEvent=high-icp')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            expect(posthog.captured).toHaveLength(1)
            expect(posthog.captured[0]).toMatchObject({ event: 'User Interview Booked', properties: { featureFlagName: 'high-icp' } })
            expect(location.hash).toBe('#/home?tab=1')
            expect(location.search).toBe('')
        })

        it('ignores flags it does not know, and renders nothing from the parameter', () => {
            at('/?bookedUserInterviewEvent=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            expect(posthog.captured).toEqual([])
            expect(host()).toBeNull()
            expect(warnings.some((line) => line.startsWith('[User Interviewer] Ignoring bookedUserInterviewEvent'))).toBe(true)
        })

        it('counts a prefix flag only after this browser saw its invitation', () => {
            at('/?bookedUserInterviewEvent=interview-x')
            const posthog = fakePosthog()
            inject({ config: { flagStartsWith: 'interview-' }, posthog })
            expect(posthog.captured).toEqual([])
            delete (window as unknown as Record<string, unknown>).__userInterviewer
            localStorage.setItem(answeredKey('interview-x'), 'true')
            const again = fakePosthog()
            inject({ config: { flagStartsWith: 'interview-' }, posthog: again })
            expect(again.captured.map((c) => c.event)).toEqual(['User Interview Booked'])
        })
    })

    describe('preview', () => {
        it('shows the named flag without a flag match, and captures and stores nothing', () => {
            at('/?userInterviewPreview=user-interview')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            expect(dialog()).not.toBeNull()
            button('book')!.click()
            expect(openSpy).toHaveBeenCalledWith('https://cal.test/ui', '_blank')
            expect(posthog.captured).toEqual([])
            expect(localStorage.length).toBe(0)
        })

        it('waits for flags to preview a prefix flag from its payload', () => {
            at('/?userInterviewPreview=interview-new')
            const posthog = fakePosthog({ payloads: { 'interview-new': { bookingLink: 'https://cal.test/new' } } })
            inject({ config: { flagStartsWith: 'interview-' }, posthog })
            expect(dialog()).not.toBeNull()
        })

        it('warns about an unknown flag', () => {
            at('/?userInterviewPreview=nope')
            const posthog = fakePosthog()
            inject({ config: CONFIG, posthog })
            posthog.loadFlags([])
            expect(host()).toBeNull()
            expect(warnings.some((line) => line.includes('Cannot preview'))).toBe(true)
        })

        it("says what is wrong with a flag whose link the app skips (its link), not that it is unknown", () => {
            at('/?userInterviewPreview=pro-x')
            const posthog = fakePosthog()
            inject({ config: { interviewConfigs: 'pro-x=cal.com/acme/30min' }, posthog })
            posthog.loadFlags([])
            expect(host()).toBeNull()
            expect(warnings.filter((line) => line.includes('pro-x'))).toEqual([
                '[User Interviewer] Skipping interviewConfigs "pro-x=cal.com/acme/30min": not a new flag=https://link.',
                '[User Interviewer] Cannot preview pro-x: it has no http(s) booking link.',
            ])
            expect(warnings.join('\n')).not.toMatch(/unknown/i)
        })
    })

    describe('never throws into the page', () => {
        it('stands down without posthog or its functions', () => {
            for (const posthog of [undefined, {}, { capture: () => {} }, { capture: 1, onFeatureFlags: 2 }] as never[]) {
                const callback = vi.fn()
                expect(() => inject({ config: CONFIG, posthog, callback })).not.toThrow()
                expect(callback).toHaveBeenCalledWith(false)
            }
            expect(() => (inject as unknown as () => void)()).not.toThrow()
            expect(warnings.filter((line) => line.includes('lacks onFeatureFlags'))).toHaveLength(1)
        })

        it('survives a posthog whose functions throw', () => {
            const posthog = fakePosthog()
            posthog.capture.mockImplementation(() => {
                throw new Error('capture broke')
            })
            posthog.getFeatureFlagPayload.mockImplementation(() => {
                throw new Error('payload broke')
            })
            const callback = vi.fn()
            expect(() => inject({ config: { ...CONFIG, flagStartsWith: 'interview-' }, posthog, callback })).not.toThrow()
            expect(() => posthog.loadFlags(['interview-a', 'high-icp'])).not.toThrow()
            expect(callback).toHaveBeenCalledWith(true)
            expect(warnings.every((line) => line.startsWith('[User Interviewer]'))).toBe(true)
        })

        it('survives a throwing callback and storage that throws', () => {
            vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
                throw new DOMException('denied', 'SecurityError')
            })
            const posthog = fakePosthog()
            expect(() =>
                inject({
                    config: CONFIG,
                    posthog,
                    callback: () => {
                        throw new Error('callback broke')
                    },
                }),
            ).not.toThrow()
            posthog.loadFlags(['high-icp'])
            button('close')!.click()
            posthog.loadFlags(['high-icp'])
            expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', 'User Interview Dismissed Pop Up'])
            expect(warnings.filter((line) => line.includes('localStorage unavailable'))).toHaveLength(1)
        })
    })

    it("uses low-contrast book colours as set, and leaves the warning to npm run deploy's check: nothing on the visitor's console", () => {
        const posthog = fakePosthog()
        inject({ config: { ...CONFIG, bookButtonBackground: '#ffff00', bookButtonColor: '#ffffff' }, posthog })
        posthog.loadFlags(['user-interview'])
        expect(dialog()!.getAttribute('style')).toContain('#ffff00')
        expect(warnings).toEqual([])
    })

    it('answers quietly with a posthog-js that has no get_property (no error, the answer kept unsent)', () => {
        const posthog = fakePosthog() as Partial<ReturnType<typeof fakePosthog>>
        delete posthog.get_property
        inject({ config: CONFIG, posthog: posthog as never })
        posthog.loadFlags!(['user-interview'])
        button('close')!.click()
        expect(posthog.captured!.map((c) => c.event)).toEqual(['User Interview Shown Pop Up', 'User Interview Dismissed Pop Up'])
        expect(warnings).toEqual([])
        expect(localStorage.getItem('user_interview_unsent')).toContain(SEEN)
    })
})
