// Hostile posthog-js instances and hostile pages, in happy-dom: older or stubbed posthog-js shapes, flag callbacks that
// fire too often, never, or late; storage that throws; a page without <body> or that swaps it; impatient clicks.
// (site.test.ts covers the ordinary paths; these are the ones a real host page throws at the app.)
import { describe, expect, it, vi } from 'vitest'
import { inject } from '../../site'
import { answeredKey, LAST_ANSWERED_KEY } from '../../src/memory'
import { asHiddenTab, fakePosthog, useFreshPage } from './fake-posthog'

const CONFIG = { interviewConfigs: 'high-icp=https://cal.test/high,user-interview=https://cal.test/ui' }
const SHOWN = 'User Interview Shown Pop Up'
const DISMISSED = 'User Interview Dismissed Pop Up'
const CLICKED = 'User Interview Clicked Book Button'
const BOOKED = 'User Interview Booked'

const hosts = () => document.querySelectorAll('user-interviewer')
const host = () => hosts()[0] as HTMLElement | undefined
const root = () => host()?.shadowRoot ?? null
const dialog = () => root()?.querySelector('[role="dialog"]') as HTMLElement | null
const button = (action: string) => root()?.querySelector(`button.${action}`) as HTMLButtonElement | null
const events = (posthog: ReturnType<typeof fakePosthog>) => posthog.captured.map((c) => c.event)
const at = (url: string) => history.replaceState(null, '', url)
/** `inject` from a fresh copy of the app, as on a new page (its once-per-page warnings not yet said). */
const freshInject = async () => {
    vi.resetModules()
    return (await import('../../site')).inject
}
const nextMicrotask = () => new Promise<void>((resolve) => queueMicrotask(resolve))

let warnings: string[]
let openSpy: ReturnType<typeof vi.fn>
useFreshPage((page) => ({ warnings, openSpy } = page))

function expectOnlyPrefixedWarnings() {
    for (const line of warnings) expect(line).toMatch(/^\[User Interviewer\] /)
}

describe("posthog-js's site-app loader contract", () => {
    // posthog-js 1.449 (site-apps.js `setupSiteApp`) runs `const { processEvent } = loader.init(...)`, and PostHog's
    // inline loader is `init: (config) => (SOURCE)().inject({...})`: when inject returns undefined, posthog-js throws
    // inside its own try/catch, logs "Error while initializing PostHog app" and marks the app errored.
    it('inject returns an object in every outcome: running, standing down, and failing', () => {
        const outcomes = {
            running: inject({ config: CONFIG, posthog: fakePosthog() }),
            optedOut: inject({ config: CONFIG, posthog: fakePosthog({ optedOut: true }) }),
            offDomain: inject({ config: { ...CONFIG, domains: 'elsewhere.example' }, posthog: fakePosthog() }),
            noPosthog: inject({ config: CONFIG }),
            noArguments: (inject as unknown as () => unknown)(),
        }
        for (const [outcome, result] of Object.entries(outcomes)) {
            expect(result, outcome).toBeTypeOf('object')
            expect(result, outcome).not.toBeNull()
            const { processEvent } = result as { processEvent?: unknown }
            expect(processEvent === undefined || typeof processEvent === 'function', outcome).toBe(true)
        }
    })
})

describe('older or stubbed posthog-js shapes', () => {
    it.each(['getFeatureFlagPayload', 'get_property', 'has_opted_out_capturing'] as const)('works without posthog.%s', (name) => {
        const posthog = fakePosthog({ payloads: { 'interview-x': { bookingLink: 'https://cal.test/x' } } })
        delete (posthog as Record<string, unknown>)[name]
        const callback = vi.fn()
        expect(() => inject({ config: { ...CONFIG, flagStartsWith: 'interview-' }, posthog, callback })).not.toThrow()
        expect(callback).toHaveBeenCalledExactlyOnceWith(true)
        expect(() => posthog.loadFlags(['interview-x'])).not.toThrow()
        if (name === 'getFeatureFlagPayload') {
            // No payloads to read: a prefix flag has no booking link, so nothing shows; a configured flag still does.
            expect(host()).toBeUndefined()
            posthog.loadFlags(['interview-x', 'user-interview'])
            expect(posthog.captured).toEqual([{ event: SHOWN, properties: { featureFlagName: 'user-interview' } }])
        } else {
            expect(posthog.captured).toEqual([{ event: SHOWN, properties: { featureFlagName: 'interview-x' } }])
        }
        button('book')!.click()
        expect(events(posthog)).toEqual([SHOWN, CLICKED])
        expect(openSpy).toHaveBeenCalledOnce()
        expect(localStorage.getItem(LAST_ANSWERED_KEY)).not.toBeNull()
        posthog.loadFlags(['interview-x', 'user-interview'])
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([SHOWN, CLICKED])
        expectOnlyPrefixedWarnings()
    })

    it('copes with an onFeatureFlags that returns nothing (older posthog-js) and keeps calling back', () => {
        const posthog = fakePosthog()
        const original = posthog.onFeatureFlags.getMockImplementation()!
        // Older posthog-js: onFeatureFlags(handler) registered the handler and returned nothing.
        posthog.onFeatureFlags.mockImplementation(((handler: Parameters<typeof original>[0]) => void original(handler)) as never)
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['user-interview'])
        posthog.loadFlags(['user-interview', 'high-icp'])
        posthog.loadFlags(['high-icp'])
        expect(hosts()).toHaveLength(1)
        expect(posthog.captured).toEqual([{ event: SHOWN, properties: { featureFlagName: 'user-interview' } }])
        button('close')!.click()
        posthog.loadFlags(['user-interview', 'high-icp'])
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([SHOWN, DISMISSED])
        expect(posthog.handlerCount()).toBe(1) // the app's one flags handler, which it never takes back
        expectOnlyPrefixedWarnings()
    })

    it('copes with posthog functions that return junk', () => {
        const posthog = fakePosthog()
        posthog.getFeatureFlagPayload.mockImplementation((() => Symbol('junk')) as never)
        posthog.get_property.mockImplementation((() => 'not an object') as never)
        posthog.has_opted_out_capturing.mockImplementation((() => undefined) as never)
        expect(() => inject({ config: { ...CONFIG, flagStartsWith: 'interview-' }, posthog })).not.toThrow()
        expect(() => posthog.loadFlags(['interview-y', 'high-icp'])).not.toThrow()
        expect(posthog.captured).toEqual([{ event: SHOWN, properties: { featureFlagName: 'high-icp' } }])
        expectOnlyPrefixedWarnings()
    })
})

describe('flag callbacks', () => {
    it('fires many times: one popup, one shown event, and none after the answer', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        for (let i = 0; i < 100; i++) posthog.loadFlags(i % 3 ? ['user-interview', 'high-icp'] : i % 2 ? ['high-icp'] : [])
        expect(hosts()).toHaveLength(1)
        expect(events(posthog)).toEqual([SHOWN])
        button('close')!.click()
        for (let i = 0; i < 100; i++) posthog.loadFlags(['user-interview', 'high-icp'])
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([SHOWN, DISMISSED])
    })

    it('never fires: reports ready, and touches neither the DOM nor the events', () => {
        const posthog = fakePosthog()
        const before = document.documentElement.outerHTML
        const callback = vi.fn()
        inject({ config: CONFIG, posthog, callback })
        expect(callback).toHaveBeenCalledExactlyOnceWith(true)
        expect(document.documentElement.outerHTML).toBe(before)
        expect(posthog.captured).toEqual([])
        expect(warnings).toEqual([])
    })

    it('re-reads payloads on a reload after identify: a prefix flag without a booking link, then with one', () => {
        const payloads: Record<string, unknown> = {}
        const posthog = fakePosthog({ payloads })
        inject({ config: { flagStartsWith: 'interview-' }, posthog })
        posthog.loadFlags(['interview-beta']) // anonymous: the flag is on, but its payload (for this person) is not there
        expect(host()).toBeUndefined()
        payloads['interview-beta'] = JSON.stringify({ bookingLink: 'https://cal.test/beta', invitationTitle: 'Beta?' })
        posthog.loadFlags(['interview-beta']) // identify: flags reload for the known person
        expect(root()!.querySelector('h2')!.textContent).toBe('Beta?')
        button('book')!.click()
        expect(openSpy).toHaveBeenCalledExactlyOnceWith('https://cal.test/beta', '_blank')
        expect(events(posthog)).toEqual([SHOWN, CLICKED])
    })

    it('a host page that reloads flags from its PHUserInterviewBoxOpened listener still gets one popup', () => {
        const posthog = fakePosthog()
        const reload = () => posthog.loadFlags(['high-icp', 'user-interview'])
        window.addEventListener('PHUserInterviewBoxOpened', reload)
        try {
            inject({ config: CONFIG, posthog })
            posthog.loadFlags(['user-interview'])
        } finally {
            window.removeEventListener('PHUserInterviewBoxOpened', reload)
        }
        expect(hosts()).toHaveLength(1)
        expect(events(posthog)).toEqual([SHOWN])
    })
})

describe('opted out', () => {
    it('opting out after inject but before flags load: no popup, no events, no DOM', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.has_opted_out_capturing.mockReturnValue(true)
        const before = document.documentElement.outerHTML
        posthog.loadFlags(['user-interview'])
        posthog.loadFlags(['user-interview', 'high-icp'])
        expect(document.documentElement.outerHTML).toBe(before)
        expect(posthog.captured).toEqual([])
        expect(localStorage.length).toBe(0)
    })

    it('opted out on a booking redirect: nothing captured or stored', () => {
        at('/?bookedUserInterviewEvent=user-interview')
        const posthog = fakePosthog({ optedOut: true })
        inject({ config: CONFIG, posthog })
        expect(posthog.captured).toEqual([])
        expect(localStorage.length).toBe(0)
    })
})

describe('storage that throws', () => {
    /**
     * A `localStorage` with these methods replaced. (happy-dom's Storage is a Proxy that binds its methods once, so
     * spying on Storage.prototype is not reliable: replace the whole object behind the window getter instead.)
     */
    const useStorage = (overrides: Partial<Storage>) => {
        const data = new Map<string, string>()
        const storage = {
            getItem: (key: string) => (data.has(key) ? data.get(key)! : null),
            setItem: (key: string, value: string) => void data.set(key, String(value)),
            removeItem: (key: string) => void data.delete(key),
            clear: () => data.clear(),
            key: (i: number) => [...data.keys()][i] ?? null,
            get length() {
                return data.size
            },
            ...overrides,
        }
        vi.spyOn(window, 'localStorage', 'get').mockReturnValue(storage as Storage)
        return data
    }
    const quota = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }

    it('setItem throws QuotaExceededError: answers are kept in memory, no popup loop, one warning', async () => {
        const inject = await freshInject()
        useStorage({ setItem: quota })
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['user-interview'])
        button('close')!.click()
        expect(host()).toBeUndefined()
        posthog.loadFlags(['user-interview'])
        posthog.loadFlags(['user-interview', 'high-icp'])
        // Another copy of the app on this page (a second inject) does not show it again either.
        const second = fakePosthog()
        inject({ config: CONFIG, posthog: second })
        second.loadFlags(['user-interview', 'high-icp'])
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([SHOWN, DISMISSED])
        expect(second.captured).toEqual([])
        expect(warnings.filter((line) => /storage/i.test(line))).toHaveLength(1)
        expectOnlyPrefixedWarnings()
    })

    it('setItem throws: a booking redirect is remembered in memory, so that flag does not show on this page', async () => {
        const inject = await freshInject()
        useStorage({ setItem: quota })
        at('/?bookedUserInterviewEvent=user-interview')
        const posthog = fakePosthog()
        inject({ config: { ...CONFIG, minDaysSinceLastSeenPopUp: '0' }, posthog })
        posthog.loadFlags(['user-interview'])
        posthog.loadFlags(['user-interview'])
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([BOOKED])
        expect(location.search).toBe('')
        expect(warnings.filter((line) => /storage/i.test(line))).toHaveLength(1)
    })

    it('getItem throws and localStorage is null: still one popup and one answer', () => {
        useStorage({
            getItem: () => {
                throw new DOMException('denied', 'SecurityError')
            },
        })
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        button('book')!.click()
        posthog.loadFlags(['high-icp'])
        expect(events(posthog)).toEqual([SHOWN, CLICKED])
        vi.restoreAllMocks()
        vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void warnings.push(String(line)))
        asHiddenTab() // (as useFreshPage does)

        delete (window as unknown as Record<string, unknown>).__userInterviewer
        vi.spyOn(window, 'localStorage', 'get').mockReturnValue(null as unknown as Storage)
        const other = fakePosthog()
        expect(() => inject({ config: CONFIG, posthog: other })).not.toThrow()
        other.loadFlags(['high-icp'])
        button('close')!.click()
        other.loadFlags(['high-icp'])
        expect(events(other)).toEqual([SHOWN, DISMISSED])
        expectOnlyPrefixedWarnings()
    })
})

describe('hostile page structure', () => {
    it('no <body> at inject time with flags already loaded: one popup once <body> exists, however often DOMContentLoaded fires', () => {
        const body = document.body
        body.remove()
        const posthog = fakePosthog()
        posthog.loadFlags(['user-interview'])
        expect(() => inject({ config: CONFIG, posthog })).not.toThrow()
        posthog.loadFlags(['user-interview', 'high-icp'])
        expect(hosts()).toHaveLength(0)
        document.documentElement.appendChild(body)
        document.dispatchEvent(new Event('DOMContentLoaded'))
        document.dispatchEvent(new Event('DOMContentLoaded'))
        posthog.loadFlags(['high-icp'])
        expect(hosts()).toHaveLength(1)
        expect(host()!.parentElement).toBe(document.body)
        // The invitation is chosen when it can show: by then both flags were on, and high-icp comes first.
        expect(posthog.captured).toEqual([{ event: SHOWN, properties: { featureFlagName: 'high-icp' } }])
    })

    it('the page replaces <body> while the popup is shown: the popup is put back, and still answers once', async () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        expect(host()!.parentElement).toBe(document.body)
        const fresh = document.createElement('body')
        fresh.innerHTML = '<main>new route</main>'
        document.documentElement.replaceChild(fresh, document.body)
        await nextMicrotask()
        expect(hosts()).toHaveLength(1)
        expect(host()!.isConnected).toBe(true)
        expect(host()!.parentElement).toBe(fresh)
        // And once more: the observer keeps watching.
        const third = document.createElement('body')
        document.documentElement.replaceChild(third, document.body)
        await nextMicrotask()
        expect(host()!.parentElement).toBe(third)
        button('close')!.click()
        expect(hosts()).toHaveLength(0)
        // Gone for good: swapping <body> again does not bring it back.
        document.documentElement.replaceChild(document.createElement('body'), document.body)
        await nextMicrotask()
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([SHOWN, DISMISSED])
    })
})

describe('impatient visitors: exactly one answer', () => {
    it('double-click on Book: one clicked event, one new tab', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        const book = button('book')!
        book.click()
        book.click()
        book.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }))
        expect(events(posthog)).toEqual([SHOWN, CLICKED])
        expect(openSpy).toHaveBeenCalledOnce()
    })

    it('Book then Close (a fast second click on the other button): only the book answer', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        const book = button('book')!
        const close = button('close')!
        book.click()
        close.click()
        expect(events(posthog)).toEqual([SHOWN, CLICKED])
    })

    it('Escape, then a click on Book or Close: one dismissal, no new tab', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        const el = dialog()!
        const book = button('book')!
        const close = button('close')!
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
        book.click()
        close.click()
        expect(events(posthog)).toEqual([SHOWN, DISMISSED])
        expect(openSpy).not.toHaveBeenCalled()
        expect(localStorage.getItem(answeredKey('high-icp'))).toBe('true')
    })

    it('an answer in another tab while this one is mid-click: no second answer from this tab', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        const book = button('book')!
        window.dispatchEvent(new StorageEvent('storage', { key: LAST_ANSWERED_KEY, newValue: new Date().toISOString(), storageArea: localStorage }))
        book.click()
        expect(events(posthog)).toEqual([SHOWN])
        expect(openSpy).not.toHaveBeenCalled()
        expect(hosts()).toHaveLength(0)
    })

    it('localStorage.clear() in another tab (storage event with a null key) closes it quietly', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['high-icp'])
        window.dispatchEvent(new StorageEvent('storage', { key: null, storageArea: localStorage }))
        expect(hosts()).toHaveLength(0)
        expect(events(posthog)).toEqual([SHOWN])
    })
})

describe('a posthog whose capture throws', () => {
    it('still shows, closes on an answer, and opens the booking link', () => {
        const posthog = fakePosthog()
        posthog.capture.mockImplementation(() => {
            throw new Error('capture broke')
        })
        inject({ config: { interviewConfigs: 'f=https://cal.test/f' }, posthog })
        posthog.loadFlags(['f'])
        const book = document.querySelector('user-interviewer')!.shadowRoot!.querySelector('button.book') as HTMLElement
        book.click()
        expect(document.querySelector('user-interviewer')).toBeNull()
        expect(openSpy).toHaveBeenCalledWith('https://cal.test/f', '_blank')
        expect(localStorage.getItem('ph-f-user_interview_popup_shown')).toBe('true')
        expect(warnings.every((line) => line.startsWith('[User Interviewer]'))).toBe(true)
    })
})
