// A stand-in for posthog-js in unit tests: records captures, and lets a test decide when flags load.
import type { JsonType } from 'posthog-js'
import { afterEach, beforeEach, vi } from 'vitest'

export interface Captured {
    event: string
    properties: Record<string, unknown>
}

export function fakePosthog(
    options: { payloads?: Record<string, unknown>; optedOut?: boolean; personProperties?: Record<string, unknown>; identified?: boolean } = {},
) {
    const handlers: Array<(flags: string[], variants: Record<string, string | boolean>) => void> = []
    const captured: Captured[] = []
    let loaded: string[] | null = null
    const posthog = {
        captured,
        /** posthog-js's `$user_state`: set by `identify`. */
        identified: !!options.identified,
        capture: vi.fn((event: string, properties: Record<string, unknown>, _options?: unknown) => {
            captured.push({ event, properties })
            return undefined
        }),
        setPersonProperties: vi.fn((set: Record<string, unknown>) => void captured.push({ event: '$set', properties: { $set: set } })),
        onFeatureFlags: vi.fn((handler: (flags: string[], variants: Record<string, string | boolean>) => void) => {
            handlers.push(handler)
            if (loaded) handler(loaded, {})
            return () => {
                const at = handlers.indexOf(handler)
                if (at >= 0) handlers.splice(at, 1)
            }
        }),
        getFeatureFlagPayload: vi.fn((flag: string) => options.payloads?.[flag] as JsonType),
        get_property: vi.fn((name: string) =>
            name === '$stored_person_properties' ? options.personProperties : name === '$user_state' ? (posthog.identified ? 'identified' : 'anonymous') : undefined,
        ),
        has_opted_out_capturing: vi.fn(() => !!options.optedOut),
        get_distinct_id: vi.fn(() => 'distinct-1'),
        get_session_id: vi.fn(() => 'session-1'),
        /** What posthog-js does when flags (re)load: call every handler with the enabled flags. */
        loadFlags(flags: string[]) {
            loaded = flags
            handlers.slice().forEach((handler) => handler(flags, {}))
        },
        handlerCount: () => handlers.length,
        /** What posthog-js's identify() does that the app sees: the visitor is identified, and flags reload. */
        identify() {
            posthog.identified = true
            if (loaded) posthog.loadFlags(loaded)
        },
    }
    return posthog
}

/**
 * As in a background tab, which paints nothing: the app then renders the popup, focuses it and sends the shown event
 * at once rather than after its first paint, so tests can count synchronously. The visible path has its own tests.
 */
export function asHiddenTab(): void {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
}

/** Resolves after the next frame and a task after it: by then the app has done what it defers until after a paint. */
export function afterNextPaint(): Promise<void> {
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 5)))
}

export interface FreshPage {
    /** Every console.warn line the test caused. */
    warnings: string[]
    /** Stands in for window.open (a test never opens a real tab): returns a fake tab. */
    openSpy: ReturnType<typeof vi.fn>
}

/**
 * Each test on a fresh page: no app state on window, empty storage, a plain body at `/`, console.warn recorded,
 * window.open stubbed; afterwards, any popup left open is closed through its own button (so its observers stop).
 */
export function useFreshPage(assign: (page: FreshPage) => void): void {
    beforeEach(() => {
        delete (window as unknown as Record<string, unknown>).__userInterviewer
        localStorage.clear()
        document.body.innerHTML = '<main>host page</main>'
        history.replaceState(null, '', '/')
        // window.open as it works: a new tab, whose opener the app cuts.
        const page: FreshPage = { warnings: [], openSpy: vi.fn(() => ({ opener: window })) }
        vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void page.warnings.push(String(line)))
        window.open = page.openSpy as unknown as typeof window.open
        asHiddenTab()
        assign(page)
    })
    afterEach(() => {
        const hosts = () => document.querySelectorAll('user-interviewer')
        hosts().forEach((el) => (el.shadowRoot?.querySelector('button.close') as HTMLElement | null)?.click())
        hosts().forEach((el) => el.remove())
        if (!document.body) document.documentElement.appendChild(document.createElement('body'))
        vi.restoreAllMocks()
    })
}
