// Types of dev/booking-pages.mjs.
/** An imitation Calendly scheduling page for `url` (its path and query). */
export function calendlyPage(url: URL): string
/** An imitation cal.com embed page for `url`. */
export function calComPage(url: URL): string
/** The imitation for a stand-in path under `/_standin/booking/` (`calendly/...` or `cal/...`), or null. */
export function bookingPageFor(rest: string, url: URL): string | null
