// The app's one console voice and its one safety net: every entry point from posthog-js or the DOM goes through
// `guard`, so a failure is said once, prefixed, and never thrown into the host page.
import { createWarn } from './log'

export const warn = createWarn((line, detail) => (detail === undefined ? console.warn(line) : console.warn(line, detail)))

/** `fn`, with any exception turned into one warning (and undefined): the host page never sees it. */
export function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
    return (...args) => {
        try {
            return fn(...args)
        } catch (error) {
            warn('Stopped by an error.', error)
            return undefined
        }
    }
}
