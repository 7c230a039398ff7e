// Unit-test setup: the tests render the booking panel, whose <iframe> happy-dom is told not to load (vitest.config.ts,
// disableIframePageLoading). happy-dom then prints a DOMException with its stack for every such frame, on the console
// vitest handed it when the environment was made: Node's own console, not the test's (so vitest's onConsoleLog never
// sees it). That one expected message is dropped here; everything else, and every other error, is printed as before.
import nodeConsole from 'node:console'

const QUIETED = Symbol.for('user-interviewer.quiet-frames')

/** happy-dom's report of a frame it did not load because loading is disabled, and nothing else. */
export function isDisabledFrameLoad(value: unknown): boolean {
    return (
        typeof value === 'object' &&
        value !== null &&
        (value as { name?: unknown }).name === 'NotSupportedError' &&
        /^Failed to load iframe page ".*"\. Iframe page loading is disabled\.$/s.test(String((value as { message?: unknown }).message))
    )
}

// Node's console is one object per process, shared by the test files a worker runs: wrap it once.
const target = nodeConsole as Console & { [QUIETED]?: true }
if (!target[QUIETED]) {
    const printError = target.error.bind(target)
    target.error = (...args: unknown[]) => {
        if (args.length === 1 && isDisabledFrameLoad(args[0])) return
        printError(...args)
    }
    target[QUIETED] = true
}
