// The booking panel's controller: Book, in embed mode, turns the popup into the panel (src/ui/panel.ts) with the
// booking page in a frame, and that page says when the visitor has booked. What it believes, and what it does when
// the frame cannot be shown.
import { readBookingMessage, type BookingLinks } from './booking'
import type { Invitation } from './candidates'
import type { AppContext } from './context'
import { guard } from './guard'
import { bookedKey } from './memory'
import type { MountedPopup } from './ui/mount'
import { Panel } from './ui/panel'

/** How long the booking panel waits for its page to show before opening it in a new tab instead. */
const FRAME_TIMEOUT_MS = 10000

/** What the panel needs of the shown invitation (src/showing.ts). */
export interface PanelHost {
    popup: MountedPopup
    /** Takes the whole invitation down, panel included. */
    takeDown(): void
}

/**
 * A new tab with `link`, cut from this page; null when none opened (a sandboxed frame, a popup blocker). Not opened
 * with `noopener`, which makes window.open return null even when it worked.
 */
export function openTab(link: string): Window | null {
    const tab = window.open(link, '_blank')
    if (tab) tab.opener = null
    return tab
}

/**
 * Shows the panel for `links` (its `frame` set) in place of the popup; returns what stops its listeners and timer.
 * Only trusted messages from that frame, at that page's origin, in the shape of the link's own tool, count.
 */
export function openBookingPanel(app: AppContext, invitation: Invitation, links: BookingLinks, host: PanelHost): () => void {
    const frame = links.frame as string
    const { flag, settings: texts } = invitation
    const origin = new URL(frame).origin
    let loaded = false
    let booked = false
    let failed = false
    const closeHere = guard(host.takeDown)
    function draw() {
        const status = booked ? texts.bookedText : loaded || failed ? '' : texts.bookingLoadingText
        host.popup.show(Panel(texts, { frame, link: links.link, status, booked, failed }, closeHere, onFrameLoad, !!app.preview))
    }
    function ready() {
        if (!loaded) {
            loaded = true
            draw()
        }
    }
    // Calendly's and cal.com's pages say when they are there (cal.com's stays hidden until answered); any other page
    // can only load.
    const onFrameLoad = guard(() => links.tool || ready())
    const onMessage = guard((event: MessageEvent) => {
        const iframe = host.popup.frame()
        // (isTrusted: a script of the host page can dispatch a MessageEvent with any source and origin it likes)
        const message =
            event.isTrusted &&
            iframe &&
            event.source === iframe.contentWindow &&
            event.origin === origin &&
            readBookingMessage(event.data, links.tool)
        if (!message) return
        if (message.handshake) (event.source as Window).postMessage({ originator: 'CAL', method: 'parentKnowsIframeReady', arg: undefined }, origin)
        else ready()
        if (message.booked) {
            // Once per booking (Calendly may say it twice), and not again by the booking tool's redirect, which finds
            // its key set: the booked event, with the tool's id of the booking, never the visitor's details.
            if (!app.preview && app.store.get(bookedKey(flag)) !== message.booked) {
                app.store.set(bookedKey(flag), message.booked)
                app.recordAnswer(app.settings.bookedUserInterviewEvent, flag, { bookingTool: links.tool, bookingId: message.booked })
            }
            booked = true
            draw()
        }
    })
    // The page's Content-Security-Policy forbids the frame, or it never showed: a new tab instead. Past the click's
    // user activation a popup blocker may refuse that tab; the panel then offers the link alone.
    function fallBack() {
        if (failed) return // (once: a second tab would open with no click behind it)
        failed = true
        if (openTab(links.link)) return host.takeDown()
        draw()
    }
    // The frame's own address refused by an enforced frame-src (or the child-src or default-src it falls back to); a
    // report-only policy blocks nothing.
    const onViolation = guard((event: SecurityPolicyViolationEvent) => {
        if (event.disposition === 'enforce' && event.effectiveDirective === 'frame-src' && event.blockedURI.indexOf(origin) === 0) fallBack()
    })
    const timer = setTimeout(
        guard(() => loaded || fallBack()),
        FRAME_TIMEOUT_MS,
    )
    window.addEventListener('message', onMessage)
    document.addEventListener('securitypolicyviolation', onViolation)
    draw()
    return () => {
        clearTimeout(timer)
        window.removeEventListener('message', onMessage)
        document.removeEventListener('securitypolicyviolation', onViolation)
    }
}
