// What every campaign command shares: its arguments' checks (--host, --project), one-line failures, and the output,
// through which the personal API key never passes, whole or in part.

export const KEY_ENV = 'POSTHOG_PERSONAL_API_KEY'

/** A failure to report as one `<command>:` line (or several, one per problem, for `lines`). */
export class CliError extends Error {
    /** @param {string} message @param {string[]} [lines] every problem, when there are several */
    constructor(message, lines) {
        super(message)
        this.lines = lines ?? [message]
    }
}

/** Text on one line, at most 300 characters (cut only after redaction: see `redactor`). */
export function oneLine(text) {
    const line = String(text).replace(/\s+/g, ' ').trim()
    return line.length > 300 ? `${line.slice(0, 297)}...` : line
}

/** Loopback hosts, the only ones a key may travel to over plain http. */
export function isLoopback(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/** An https URL (http for loopback only) without a trailing slash, query or credentials. */
export function parseHost(raw) {
    if (!raw) throw new CliError('--host is required, e.g. --host https://us.posthog.com (see --help)')
    let url
    try {
        url = new URL(raw)
    } catch {
        throw new CliError(`--host ${JSON.stringify(raw)} is not a URL, e.g. https://us.posthog.com`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--host must be an https URL, not ${url.protocol}`)
    // The key can put script on every visitor's page: never in clear over a network (loopback is this machine).
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
        throw new CliError(`--host ${url.origin} is plain http: the key would travel in clear; use https:// (http is accepted for localhost only)`)
    }
    if (url.username || url.password) throw new CliError(`--host must not hold credentials: put the key in ${KEY_ENV}`)
    if (url.search || url.hash) throw new CliError('--host must be the address of PostHog alone, without ?query or #hash')
    return url.origin + url.pathname.replace(/\/+$/, '')
}

/** A positive integer. */
export function parseProject(raw) {
    if (raw === undefined || raw === '') throw new CliError('--project is required: the number in /project/<id>/ in PostHog (see --help)')
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
        throw new CliError(`--project must be a positive integer (the number in /project/<id>/), not ${JSON.stringify(raw)}`)
    }
    return Number(raw)
}

/**
 * Shortest piece of the key hidden wherever it appears (a server may echo a part of it, say cut to a field's length).
 * Eight characters of a random key never occur in PostHog's own words, while shorter ones could be a date or a word.
 */
const MIN_PIECE = 8

/**
 * A function hiding `key` in a text: the key itself, and every piece of it of MIN_PIECE characters or more (longest
 * first) that the text holds, as `[key]`. Applied to a server's answer as soon as it arrives, before anything cuts it
 * to a line, and again to every line written: a cut never leaves a part of the key behind.
 */
export function redactor(key) {
    if (!key) return (text) => String(text)
    return (text) => {
        let out = String(text).split(key).join('[key]')
        for (let length = Math.min(key.length - 1, out.length); length >= MIN_PIECE; length--) {
            for (let start = 0; start + length <= key.length; start++) {
                const piece = key.slice(start, start + length)
                if (out.includes(piece)) out = out.split(piece).join('[key]')
            }
        }
        return out
    }
}

/** The key from the environment, checked; a CliError naming what to do when it is missing or malformed. */
export function readKey(env, scopes) {
    const key = (env[KEY_ENV] ?? '').trim()
    if (!key) throw new CliError(`${KEY_ENV} is not set: create a personal API key in PostHog with scope ${scopes} and export it`)
    if (!/^[\x21-\x7e]+$/.test(key)) throw new CliError(`${KEY_ENV} holds spaces or characters no PostHog key has: copy the key again`)
    return key
}

/**
 * Runs a command's body with redacted output and one-line failures; returns the exit code.
 * @param {string} name the command, prefixing each failure line
 * @param {Record<string, string | undefined>} env
 * @param {{ stdout?: { write(s: string): unknown }, stderr?: { write(s: string): unknown } }} io
 * @param {(out: (line?: string) => void, redact: (text: string) => string) => Promise<number>} body
 */
export async function runCommand(name, env, io, body) {
    const redact = redactor((env[KEY_ENV] ?? '').trim())
    const stdout = io.stdout ?? process.stdout
    const stderr = io.stderr ?? process.stderr
    const out = (line = '') => stdout.write(redact(line) + '\n')
    try {
        return await body(out, redact)
    } catch (error) {
        const lines = error instanceof CliError ? error.lines : [`unexpected error: ${error instanceof Error ? error.message : String(error)}`]
        for (const line of lines) stderr.write(`${name}: ${oneLine(redact(line))}\n`)
        return 1
    }
}

/** Runs `main` when the file is the script node was started with. */
export async function runAsScript(main) {
    // Piped into `head` and the like: stop quietly when the reader is gone.
    process.stdout.on('error', (error) => {
        if (/** @type {any} */ (error).code === 'EPIPE') process.exit(process.exitCode ?? 0)
    })
    process.exitCode = await main(process.argv.slice(2), process.env)
}
