// User Interviewer's core: everything the app does on a page, whichever way PostHog delivered it. The entries
// (site.ts for the plugin form's `inject`, site-app.ts for the HogFunction's `onLoad`) only hand it the settings and
// the page's posthog-js; this wires the parts: answers (src/answers.ts), the booking redirect
// (src/booking-redirect.ts), and the invitation (src/invitation.ts, which shows it through src/showing.ts and books
// through src/booking-panel.ts). Every entry point from posthog-js or the DOM is guarded: a failure is logged once and
// the app stands down instead of throwing into the host page.
import type { PostHog } from 'posthog-js'
import { createAnswers } from './answers'
import { countBookingRedirect } from './booking-redirect'
import type { AppContext, PosthogLike } from './context'
import { guard, warn } from './guard'
import { watchInvitations } from './invitation'
import { resilientStore } from './memory'
import { parseSettings } from './settings'
import { hostnameAllowed, PREVIEW_PARAM, queryParam } from './urls'

export type { PosthogLike }
export { guard, warn }

/**
 * Sets the app up on this page from its settings (plugin config or HogFunction inputs: the parser reads both) and the
 * page's posthog-js; false when it cannot run at all. Never throws.
 */
export function startApp(config: unknown, posthog: PosthogLike | undefined): boolean {
    return !!guard(start)(config, posthog as PostHog | undefined)
}

/** (`ph`: the page's posthog-js, any of whose methods but the two checked first may be missing) */
function start(config: unknown, ph: PostHog | undefined): boolean {
    if (!ph || !ph.capture || !ph.onFeatureFlags) {
        warn('Not started: posthog-js lacks onFeatureFlags.')
        return false
    }
    const settings = parseSettings(config, warn, CSS.supports.bind(CSS, 'color'))
    const optedOut = () => !!ph.has_opted_out_capturing && ph.has_opted_out_capturing()
    // Off-domain, or a visitor who opted out of capturing: touch nothing at all.
    if (!hostnameAllowed(location.hostname, settings.domains) || optedOut()) return true


    const store = resilientStore(() => window.localStorage, warn)
    // A capture that throws (a broken or stubbed posthog) must not keep the popup from closing or the link from opening.
    // Every event of the app is sent at once rather than batched: an answer must leave before this page does when Book
    // goes to the link here, and a shown event left in posthog-js's batch queue would reach PostHog after the answer.
    const capture = guard((event: string, properties: Record<string, unknown>) => ph.capture(event, properties, { send_instantly: true })) as AppContext['sendEvent']
    const property = guard((name: string) => ph.get_property && ph.get_property(name))
    const answers = createAnswers(ph, settings, store, capture, property)
    const app: AppContext = {
        posthog: ph,
        settings,
        store,
        // Preview, for the person setting the app up: that flag's popup, with no flag match and nothing captured or stored.
        preview: queryParam(location.href, PREVIEW_PARAM),
        sendEvent: capture,
        recordAnswer: answers.recordAnswer,
        optedOut,
        readProperty: property,
    }
    countBookingRedirect(app)
    const consider = watchInvitations(app)
    if (app.preview) consider()
    // posthog-js calls back on every flag load (the first, reloads after identify...), at once when already loaded: an
    // answer kept unsent goes out once the visitor is identified, and the invitation is considered.
    ph.onFeatureFlags((enabled) => {
        answers.sendUnsent()
        consider(enabled)
    })
    return true
}
