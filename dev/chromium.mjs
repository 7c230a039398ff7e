// The system Chromium, for the tests, the bench and the screenshots: where it is, and the flags it needs on this kind
// of machine (no sandbox, no GPU, nothing fetched in the background). playwright-core drives it; no browser is ever
// downloaded. Plain JS so that the .mjs scripts and the TypeScript tests share it; types in chromium.d.mts.
import { existsSync } from 'node:fs'

export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
]

/** `CHROMIUM_PATH`, else Debian's /usr/bin/chromium; a clear error when neither exists. */
export function chromiumPath() {
    const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p) => !!p)
    for (const p of candidates) if (existsSync(p)) return p
    throw new Error("Chromium not found: install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH")
}
