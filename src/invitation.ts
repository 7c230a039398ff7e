// The invitation's lifecycle on a page: which one this person may get (src/candidates.ts), when it shows
// (src/triggers.ts: its events, delay and pages, checked on every flag load, on the trigger events and twice a
// second), where it may not (nobody could see it), and taking it down when the visitor leaves its pages.
import { chooseInvitation, invitationFor, type Invitation } from './candidates'
import type { AppContext } from './context'
import { guard, warn } from './guard'
import { readAnswers } from './memory'
import { pathMatches } from './paths'
import { showInvitation, type ShownInvitation } from './showing'
import { PREVIEW_TRIGGERS_PARAM, shownTooOften, whenToShow, type Gate } from './triggers'
import { queryParam } from './urls'

/** Kept on window so that every copy of the app on a page (inject may run twice) shares it: one popup per page, ever. */
const PAGE_KEY = '__userInterviewer'

/**
 * Starts watching; returns `consider`, for posthog-js to call with the enabled flags on every flag load (the check,
 * and DOMContentLoaded on a page without a body yet, call it without). Once a popup is up it only checks that it is
 * still on its pages; once answered, nothing.
 */
export function watchInvitations(app: AppContext): (enabled?: unknown) => void {
    const { settings, store, preview, posthog: ph } = app
    const win = window as unknown as Record<string, { shown?: boolean }>
    const page = (win[PAGE_KEY] = win[PAGE_KEY] || {})
    // A preview shows at once, whatever its triggers, unless asked to wait for them.
    const atOnce = preview && !queryParam(location.href, PREVIEW_TRIGGERS_PARAM)
    let flags: string[] = []
    const gate: Gate = { seen: {} }
    let polling: ReturnType<typeof setInterval> | undefined
    let shown: ShownInvitation | undefined
    // Where nothing can be shown (a frame laid out at no size, a <frameset> page, a browser that cannot show the
    // popup), nothing is shown or counted, and nothing keeps checking.
    let stoodDown = false
    function stopChecking() {
        clearInterval(polling)
        polling = undefined
    }
    function standDown() {
        stoodDown = true
        stopChecking()
    }
    const payloadOf = (flag: string) => ph.getFeatureFlagPayload && ph.getFeatureFlagPayload(flag)
    function choose(now: number) {
        if (preview) return invitationFor(settings, preview, payloadOf(preview), warn)
        const answers = readAnswers(
            store,
            app.readProperty('$stored_person_properties'),
            settings.userPropertyNameSeenUserInterview,
            settings.shareCoolDownWithSurveys,
            now,
        )
        return chooseInvitation(settings, flags, payloadOf, answers, now, warn)
    }
    // Left its pages (a single-page app navigated): down, unanswered; it may come back on a matching path.
    function checkPages() {
        if (shown && !atOnce && !pathMatches(location.pathname, shown.invitation.settings.pages)) {
            shown.takeDown()
            shown = undefined
            page.shown = false
            consider() // (which checks on)
        }
    }
    function show(invitation: Invitation) {
        shown = guard(showInvitation)(app, invitation, () => {
            stopChecking()
            shown = undefined
        })
        if (!shown) standDown()
    }
    const consider = guard((enabled?: unknown): void => {
        if (Array.isArray(enabled)) flags = enabled
        if (stoodDown) return
        if (page.shown) return checkPages()
        if (app.optedOut()) return
        const now = Date.now()
        const invitation = choose(now)
        // Once someone may be invited, checked twice a second: the delay, and the path, which single-page apps change
        // without a load (no history method of the page is wrapped).
        if (invitation && !polling) polling = setInterval(consider, 500)
        const due = whenToShow(gate, invitation, location.pathname, now) // (called even for none: it disarms)
        if (!invitation) {
            if (preview && Array.isArray(enabled)) warn(`Cannot preview ${preview}: it has no http(s) booking link.`)
            return
        }
        if (!atOnce && !due) return
        const body = document.body
        // (after DOMContentLoaded: the same listener added again is not added twice)
        if (!body) return document.addEventListener('DOMContentLoaded', consider, { once: true })
        if (!(body instanceof HTMLBodyElement) || innerWidth < 100 || innerHeight < 100) return standDown()
        page.shown = true
        // Shown unanswered maxShows times already: that counts as a dismissal, instead of a display.
        if (!preview && shownTooOften(store, invitation.flag, invitation.settings.maxShows)) {
            stopChecking()
            return app.recordAnswer(settings.dismissUserInterviewPopupEvent, invitation.flag, { ignored: true })
        }
        // Rendered in a task of its own rather than inside posthog-js's handling of the flags. Inside, the popup would
        // make the frame already due and paint ~6 ms sooner, but its cold render (~9 ms) would lengthen posthog-js's
        // own long task, past 50 ms in 3 of 50 bench loads. At once in a hidden tab (whose timers are throttled).
        if (document.visibilityState === 'hidden') show(invitation)
        else setTimeout(guard(() => show(invitation)))
    })
    // The trigger events: posthog-js emits every event it captures (the team's own, pageviews, autocapture). Noted, and
    // checked at once while someone may be invited (the check runs then), inside the team's capture call.
    if (ph.on)
        ph.on(
            'eventCaptured',
            guard((data: { event: string }) => {
                gate.seen[data.event] = true
                if (polling) consider()
            }),
        )
    return consider
}
