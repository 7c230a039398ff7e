// Types for chromium.mjs (plain JS, no build step).
export declare const CHROMIUM_ARGS: string[]
/** `CHROMIUM_PATH`, else Debian's /usr/bin/chromium; throws a clear error when neither exists. */
export declare function chromiumPath(): string
