// One invitation on screen: the popup mounted, the visitor's answer, the booking link or panel, and what takes it
// down (an answer here or in another tab). When it shows, and for how long it may stay, is src/invitation.ts's.
import { bookingLinks } from './booking'
import { openBookingPanel, openTab } from './booking-panel'
import type { Invitation } from './candidates'
import type { AppContext } from './context'
import { guard } from './guard'
import { answeredKey, LAST_ANSWERED_KEY } from './memory'
import { countShow, snooze, timingKey } from './triggers'
import { mountPopup } from './ui/mount'
import { Popup, type Answer } from './ui/popup'
import { themeClass } from './ui/theme'

export interface ShownInvitation {
    invitation: Invitation
    /** Takes it down unanswered and quietly (the visitor left its pages). */
    takeDown(): void
}

/**
 * Shows `invitation`'s popup. `stopWatching`: turns off what src/invitation.ts watches for while it is up (called
 * when it closes, and when the visitor books in the panel). Throws when it cannot show (src/invitation.ts stands down).
 */
export function showInvitation(app: AppContext, invitation: Invitation, stopWatching: () => void): ShownInvitation {
    const { settings, store, preview, posthog: ph } = app
    const flag = invitation.flag
    function fire(name: string) {
        window.dispatchEvent(new CustomEvent(name, { detail: { featureFlagName: flag } }))
    }
    let open = true
    let closePanel: (() => void) | undefined
    // The shown event, once, and after the popup's first paint rather than before it: posthog-js builds (and, with
    // batching off, sends) an event synchronously, time the first frame would otherwise wait for. An answer that comes
    // sooner sends it first.
    let unsent = !preview
    function sendShown() {
        if (unsent) app.sendEvent(settings.shownUserInterviewPopupEvent, { featureFlagName: flag })
        unsent = false
    }
    // What may take it down unanswered: off once it is down, or while the visitor books in the panel.
    function stopTakingDown() {
        stopWatching()
        window.removeEventListener('storage', onStorage)
    }
    function close() {
        if (!open) return
        open = false
        stopTakingDown()
        sendShown()
        if (closePanel) closePanel()
        popup.unmount()
        fire('PHUserInterviewBoxClosed')
    }
    // Answered in another tab (which counted the answer): close here too, quietly. Only localStorage holds answers: a
    // sessionStorage event (a same-origin frame clearing its session storage) means nothing here.
    const onStorage = guard((event: StorageEvent) => {
        if (
            event.storageArea === localStorage &&
            (event.key === null || event.key === LAST_ANSWERED_KEY || event.key === answeredKey(flag) || event.key === timingKey(flag, 'snooze'))
        )
            close()
    })
    // The booking page, with who is booking from which invitation (src/booking.ts): the person properties posthog-js
    // holds give the name and email only where the team asked for them.
    const linksFor = guard(() => {
        const prefill = invitation.settings.prefillNameAndEmail
        const person = (prefill && Object(app.readProperty('$stored_person_properties'))) || {}
        return bookingLinks(
            invitation.bookingLink,
            {
                flag,
                distinctId: ph.get_distinct_id && ph.get_distinct_id(),
                deviceId: app.readProperty('$device_id'),
                sessionId: ph.get_session_id && ph.get_session_id(),
                prefill,
                name: person.name,
                email: person.email,
            },
            invitation.settings.bookingMode,
            location.host,
        )
    })
    const onAnswer = guard((choice: Answer) => {
        if (!open) return
        sendShown()
        if (preview) {
            // (nothing is captured or stored)
        } else if (choice === 'later') {
            // Not now: no answer, no seen property, no cool-down; hidden on this browser for remindLaterDays.
            snooze(store, flag, invitation.settings.remindLaterDays, Date.now())
            app.sendEvent(settings.snoozeUserInterviewPopupEvent, { featureFlagName: flag })
        } else app.recordAnswer(choice === 'book' ? settings.clickBookButtonEvent : settings.dismissUserInterviewPopupEvent, flag)
        if (choice !== 'book') return close()
        // A posthog-js that throws here must not keep the popup up: the bare link, then.
        const links = linksFor() || { link: invitation.bookingLink, tool: '' as const }
        if (links.frame) {
            // Booking in the panel: nothing takes it down but the visitor.
            stopTakingDown()
            closePanel = openBookingPanel(app, invitation, links, { popup, takeDown: close })
            return
        }
        close()
        // Where nothing opens, the link opens here (the answer is captured first; posthog-js sends it as the page goes).
        if (openTab(links.link) === null) location.assign(links.link)
    })
    const popup = mountPopup(Popup(invitation.settings, onAnswer, themeClass(invitation.settings.theme), !!preview))
    if (!preview) window.addEventListener('storage', onStorage)
    // A display counts (maxShows) once the popup was on a screen someone could see: a background tab renders it, but
    // counts it when the visitor comes back to it.
    function countWhenSeen() {
        if (!open || preview) return
        if (document.visibilityState === 'hidden') document.addEventListener('visibilitychange', countWhenSeen, { once: true })
        else countShow(store, flag)
    }
    // After the first paint (a task queued from a frame callback runs after that frame), so that the frame does not
    // wait for them: focus, which forces style and layout, and the shown event. A hidden tab paints nothing: at once.
    const afterPaint = guard(() => {
        if (open) popup.focus() // (not if it was answered before its first paint)
        sendShown()
        countWhenSeen()
    })
    if (document.visibilityState === 'hidden') afterPaint()
    else requestAnimationFrame(() => setTimeout(afterPaint))
    fire('PHUserInterviewBoxOpened')
    return { invitation, takeDown: close }
}
