// One console line per distinct message, prefixed, so a broken setting does not flood the host page's console.
export const LOG_PREFIX = '[User Interviewer]'

export type Warn = (message: string, detail?: unknown) => void

export function createWarn(sink: (line: string, detail?: unknown) => void): Warn {
    const said: Record<string, boolean> = {}
    return (message, detail) => {
        try {
            if (!said[message]) sink(`${LOG_PREFIX} ${message}`, detail)
        } catch {
            // A console that throws is not worth breaking the page over.
        }
        said[message] = true
    }
}
