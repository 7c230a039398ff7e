// User Interviewer's core: everything the app does on a page, whichever way PostHog delivered it. The entries
// (site.ts for the plugin form's `inject`, site-app.ts for the HogFunction's `onLoad`) only hand it the settings and
// the page's posthog-js. Every entry point from posthog-js or the DOM is guarded: a failure is logged once and the app
// stands down instead of throwing into the host page.
import type { PostHog } from 'posthog-js'
import { bookingLinks, readBookingMessage, type BookingLinks } from './booking'
import { chooseInvitation, invitationFor, type Invitation } from './candidates'
import { contrastRatio } from './colour'
import { createWarn } from './log'
import { answeredHere, answeredKey, bookedKey, LAST_ANSWERED_KEY, readAnswers, rememberAnswer, resilientStore } from './memory'
import { pathMatches } from './paths'
import { parseSettings } from './settings'
import { countShow, PREVIEW_TRIGGERS_PARAM, snooze, SURVEY_SEEN_KEY, timingKey, whenToShow, withTiming, type Gate } from './triggers'
import { mountPopup } from './ui/mount'
import { Panel } from './ui/panel'
import { Popup, type Answer } from './ui/popup'
import { BOOKED_PARAM, hostnameAllowed, OLD_BOOKED_PARAM, PREVIEW_PARAM, queryParam, withoutQueryParam } from './urls'

/** What the app uses of posthog-js; any of it may be missing on an old or stubbed posthog. */
export type PosthogLike = Partial<
    Pick<
        PostHog,
        | 'capture'
        | 'onFeatureFlags'
        | 'getFeatureFlagPayload'
        | 'get_property'
        | 'has_opted_out_capturing'
        | 'setPersonProperties'
        | 'on'
        | 'get_distinct_id'
        | 'get_session_id'
    >
>

/** How long the booking panel waits for its page to show before opening it in a new tab instead. */
const FRAME_TIMEOUT_MS = 10000

/** Kept on window so that every copy of the app on a page (inject may run twice) shares it: one popup per page, ever. */
const PAGE_KEY = '__userInterviewer'

export const warn = createWarn((line, detail) => (detail === undefined ? console.warn(line) : console.warn(line, detail)))

/** `fn`, with any exception turned into one warning (and undefined): the host page never sees it. */
export function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
    return (...args) => {
        try {
            return fn(...args)
        } catch (error) {
            warn('Stopped by an error.', error)
            return undefined
        }
    }
}

/**
 * Sets the app up on this page from its settings (plugin config or HogFunction inputs: the parser reads both) and the
 * page's posthog-js; false when it cannot run at all. Never throws.
 */
export function startApp(config: unknown, posthog: PosthogLike | undefined): boolean {
    return !!guard(start)(config, posthog)
}

function start(config: unknown, posthog: PosthogLike | undefined): boolean {
    if (!posthog || !posthog.capture || !posthog.onFeatureFlags) {
        warn('Not started: posthog-js lacks onFeatureFlags.')
        return false
    }
    const ph = posthog as PostHog
    const settings = parseSettings(config, warn, CSS.supports.bind(CSS, 'color'))
    function optedOut() {
        return !!ph.has_opted_out_capturing && ph.has_opted_out_capturing()
    }
    // Off-domain, or a visitor who opted out of capturing: touch nothing at all.
    if (!hostnameAllowed(location.hostname, settings.domains) || optedOut()) return true

    const ratio = contrastRatio(settings.bookButtonBackground, settings.bookButtonColor)
    if (ratio && ratio < 4.5) warn(`Book button contrast ${ratio.toFixed(1)}:1 is under 4.5:1.`)

    const store = resilientStore(() => window.localStorage, warn)
    const win = window as unknown as Record<string, { shown?: boolean }>
    const page = (win[PAGE_KEY] = win[PAGE_KEY] || {})
    function payloadOf(flag: string) {
        return ph.getFeatureFlagPayload && ph.getFeatureFlagPayload(flag)
    }
    // A capture that throws (a broken or stubbed posthog) must not keep the popup from closing or the link from opening.
    // Every event of the app is sent at once rather than batched: an answer must leave before this page does when Book
    // goes to the link here, and a shown event left in posthog-js's batch queue would reach PostHog after the answer.
    const capture = guard((event: string, properties: Record<string, unknown>) => ph.capture(event, properties, { send_instantly: true }))
    // PostHog keeps a `$set` only for a visitor with a person profile: under posthog-js's default person_profiles
    // 'identified_only', an anonymous visitor's events say `$process_person_profile: false` and PostHog's ingestion
    // drops their `$set`. An anonymous visitor's answer is therefore also kept here, unsent, and set on their person
    // (setPersonProperties) once posthog-js says they are identified, on this page (identify() reloads the flags) or
    // a later one: no profile is ever created for a visitor who stays anonymous.
    const UNSENT_KEY = 'user_interview_unsent' // that answer's `$set`, as JSON; '' once sent
    const identified = guard(() => !!ph.get_property && ph.get_property('$user_state') === 'identified')
    // Checked on every flag load (below), and before any new answer, which an older one must not overwrite.
    const sendUnsent = guard(() => {
        const unsent = store.get(UNSENT_KEY)
        if (unsent && identified()) {
            ph.setPersonProperties(JSON.parse(unsent))
            store.set(UNSENT_KEY, '')
        }
    })
    /** `properties`: the event's own (`ignored` on the dismissal after maxShows displays, a booking's ids). */
    function answer(event: string, flag: string, properties: Record<string, unknown> = {}) {
        sendUnsent()
        const now = Date.now()
        const date = new Date(now).toISOString()
        rememberAnswer(store, flag, now)
        // For Surveys' own wait period, an answer is a seen survey.
        if (settings.shareCoolDownWithSurveys) store.set(SURVEY_SEEN_KEY, date)
        const $set: Record<string, string> = {}
        $set[`${settings.userPropertyNameSeenUserInterview} - ${flag}`] = $set[settings.userPropertyNameSeenUserInterview] = date
        properties.featureFlagName = flag
        properties.$set = $set
        capture(event, properties)
        if (!identified()) store.set(UNSENT_KEY, JSON.stringify($set))
    }

    // The booking tool's redirect, `?bookedUserInterviewEvent=flag` (or the original app's `bookedUserInterview`), in
    // the address's query or a hash route's. Anyone can craft that address, so only a flag the app knows counts, once
    // per browser; the parameter then leaves the address bar (and only it: the page's own query keeps every byte) so a
    // reload cannot count it again.
    const booked = queryParam(location.href, BOOKED_PARAM) || queryParam(location.href, OLD_BOOKED_PARAM)
    if (booked) {
        if (
            settings.interviewConfigs.some((config) => config.flag === booked) ||
            (settings.flagStartsWith && booked.indexOf(settings.flagStartsWith) === 0 && answeredHere(store, booked))
        ) {
            if (!store.get(bookedKey(booked))) {
                store.set(bookedKey(booked), '1')
                answer(settings.bookedUserInterviewEvent, booked)
            }
            guard(() => history.replaceState(history.state, '', withoutQueryParam(location.href, `${BOOKED_PARAM}|${OLD_BOOKED_PARAM}`)))()
        } else warn(`Ignoring ${BOOKED_PARAM}: unknown flag.`)
    }

    // Preview, for the person setting the app up: that flag's popup, with no flag match and nothing captured or stored.
    const preview = queryParam(location.href, PREVIEW_PARAM)
    // A preview shows at once, whatever its triggers, unless asked to wait for them.
    const atOnce = preview && !queryParam(location.href, PREVIEW_TRIGGERS_PARAM)
    // When to ask (src/triggers.ts): the last flags posthog-js gave, the invitation waiting for its moment, the check
    // twice a second (until an answer), and, while the popup is up, what takes it down when the visitor leaves its pages.
    let flags: string[] = []
    const gate: Gate = { seen: {} }
    let polling: ReturnType<typeof setInterval> | undefined
    let offPage: (() => void) | undefined
    // Called with the flags by posthog-js, and without by the check.
    const consider = guard((enabled?: unknown) => {
        if (Array.isArray(enabled)) flags = enabled
        if (page.shown) return offPage && offPage()
        if (optedOut()) return
        const now = Date.now()
        const invitation = preview
            ? invitationFor(settings, preview, payloadOf(preview), warn)
            : chooseInvitation(
                  settings,
                  flags,
                  payloadOf,
                  withTiming(
                      readAnswers(store, ph.get_property && ph.get_property('$stored_person_properties'), settings.userPropertyNameSeenUserInterview),
                      store,
                      settings.shareCoolDownWithSurveys,
                      now,
                  ),
                  now,
                  warn,
              )
        // Once someone may be invited, checked twice a second: the delay, and the path, which single-page apps change
        // without a load (no history method of the page is wrapped).
        if (invitation && !polling) polling = setInterval(consider, 500)
        const due = whenToShow(gate, invitation, location.pathname, now) // (called even for none: it disarms)
        if (invitation && (atOnce || due)) {
            page.shown = true
            // Shown unanswered maxShows times already: that counts as a dismissal, instead of a display.
            if (!preview && !countShow(store, invitation.flag, invitation.settings.maxShows)) {
                clearInterval(polling)
                return answer(settings.dismissUserInterviewPopupEvent, invitation.flag, { ignored: true })
            }
            // Where nobody would see it, nothing is shown or counted: a <frameset> page (no <body> to show it in),
            // or a frame laid out at no size (display: none, a pixel-sized tracking frame).
            const showIt = () => document.body instanceof HTMLBodyElement && innerWidth > 99 && innerHeight > 99 && show(invitation)
            // Rendered in a task of its own rather than inside posthog-js's handling of the flags. Inside, the popup
            // would make the frame already due and paint ~6 ms sooner, but its cold render (~9 ms) would lengthen
            // posthog-js's own long task, past 50 ms in 3 of 50 bench loads. At once in a hidden tab (whose timers
            // are throttled); after DOMContentLoaded without a body.
            if (!document.body) document.addEventListener('DOMContentLoaded', showIt, { once: true })
            else if (document.visibilityState === 'hidden') showIt()
            else setTimeout(showIt)
        } else if (!invitation && preview && enabled) warn(`Cannot preview ${preview}: unknown flag.`)
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

    const show = guard((invitation: Invitation) => {
        const flag = invitation.flag
        function fire(name: string) {
            window.dispatchEvent(new CustomEvent(name, { detail: { featureFlagName: flag } }))
        }
        let open = true
        let closePanel: (() => void) | undefined
        // The shown event, once, and after the popup's first paint rather than before it: posthog-js builds (and, with
        // batching off, sends) an event synchronously, time the first frame would otherwise wait for. An answer that
        // comes sooner sends it first.
        let unsent = !preview
        function sendShown() {
            if (unsent) capture(settings.shownUserInterviewPopupEvent, { featureFlagName: flag })
            unsent = false
        }
        // What takes the popup down unanswered (leaving its pages, an answer in another tab), and the check behind
        // the first: off when it closes, and while the visitor books in the panel.
        function stopWatching() {
            offPage = undefined
            clearInterval(polling)
            polling = undefined
            window.removeEventListener('storage', onStorage)
        }
        function close() {
            if (!open) return
            open = false
            stopWatching()
            sendShown()
            if (closePanel) closePanel()
            popup.unmount()
            fire('PHUserInterviewBoxClosed')
        }
        // Answered in another tab (which counted the answer): close here too, quietly. Only localStorage holds
        // answers: a sessionStorage event (a same-origin frame clearing its session storage) means nothing here.
        const onStorage = guard((event: StorageEvent) => {
            if (
                event.storageArea === localStorage &&
                (event.key === null || event.key === LAST_ANSWERED_KEY || event.key === answeredKey(flag) || event.key === timingKey(flag, 'snooze'))
            )
                close()
        })
        // A new tab, cut from this page. Without `noopener`, which would make window.open return null even when it
        // worked: null must mean that nothing opened (a sandboxed frame, a popup blocker).
        function openTab(link: string) {
            const tab = window.open(link, '_blank')
            if (tab) tab.opener = null
            return tab
        }
        // The booking page, with who is booking from which invitation (src/booking.ts): the person properties
        // posthog-js holds give the name and email only where the team asked for them.
        const linksFor = guard(() => {
            const person = (settings.prefillNameAndEmail && ph.get_property && Object(ph.get_property('$stored_person_properties'))) || {}
            return bookingLinks(
                invitation.bookingLink,
                {
                    flag,
                    distinctId: ph.get_distinct_id && ph.get_distinct_id(),
                    sessionId: ph.get_session_id && ph.get_session_id(),
                    name: person.name,
                    email: person.email,
                },
                invitation.settings.bookingMode,
                location.host,
            )
        })
        const popup = mountPopup(
            Popup(
                invitation.settings,
                guard((choice: Answer) => {
                    if (!open) return
                    sendShown()
                    if (preview) {
                        // (nothing is captured or stored)
                    } else if (choice === 'later') {
                        // Not now: no answer, no seen property, no cool-down; hidden on this browser for remindLaterDays.
                        snooze(store, flag, invitation.settings.remindLaterDays, Date.now())
                        capture(settings.snoozeUserInterviewPopupEvent, { featureFlagName: flag })
                    } else answer(choice === 'book' ? settings.clickBookButtonEvent : settings.dismissUserInterviewPopupEvent, flag)
                    if (choice !== 'book') return close()
                    // A posthog-js that throws here must not keep the popup up: the bare link, then.
                    const links = linksFor() || { link: invitation.bookingLink, tool: '' }
                    if (links.frame) return openPanel(links, links.frame)
                    close()
                    // Where nothing opens, the link opens here (the answer is captured first; posthog-js sends it as
                    // the page goes).
                    if (openTab(links.link) === null) location.assign(links.link)
                }),
            ),
        )
        // Book in embed mode: the popup becomes the booking panel (src/ui/panel.ts), and the booking page, in its
        // frame, says when the visitor has booked. Only messages from that frame, at that page's origin, count.
        function openPanel(links: BookingLinks, frame: string) {
            stopWatching()
            const origin = new URL(frame).origin
            let loaded = false
            let booked = false
            let failed = false
            function draw() {
                const texts = invitation.settings
                const status = booked ? texts.bookedText : loaded || failed ? '' : texts.bookingLoadingText
                popup.show(Panel(texts, { frame, link: links.link, status, failed }, closeHere, onFrameLoad))
            }
            const closeHere = guard(close)
            function ready() {
                if (!loaded) {
                    loaded = true
                    draw()
                }
            }
            // Calendly's and cal.com's pages say when they are there (cal.com's stays hidden until answered); any
            // other page can only load.
            const onFrameLoad = guard(() => links.tool || ready())
            const onMessage = guard((event: MessageEvent) => {
                const iframe = popup.frame()
                const message =
                    iframe && event.source === iframe.contentWindow && event.origin === origin && readBookingMessage(event.data, links.tool)
                if (!message) return
                if (message.handshake)
                    (event.source as Window).postMessage({ originator: 'CAL', method: 'parentKnowsIframeReady', arg: undefined }, origin)
                else ready()
                if (message.booked) {
                    // Once per booking (Calendly may say it twice), and not again by the booking tool's redirect, which
                    // finds its key set: the booked event, with the tool's id of the booking, never the visitor's details.
                    if (!preview && store.get(bookedKey(flag)) !== message.booked) {
                        store.set(bookedKey(flag), message.booked)
                        answer(settings.bookedUserInterviewEvent, flag, { bookingTool: links.tool, bookingId: message.booked })
                    }
                    booked = true
                    draw()
                }
            })
            // The page's Content-Security-Policy forbids the frame, or it never showed: a new tab instead. Past the
            // click's user activation a popup blocker may refuse that tab; the panel then offers the link alone.
            function fallBack() {
                if (failed) return // (once: a second tab would open with no click behind it)
                failed = true
                if (openTab(links.link)) return close()
                draw()
            }
            // The frame's own address refused by an enforced frame-src (or the child-src or default-src it falls back
            // to); a report-only policy blocks nothing.
            const onViolation = guard((event: SecurityPolicyViolationEvent) => {
                if (event.disposition === 'enforce' && event.effectiveDirective === 'frame-src' && event.blockedURI.indexOf(origin) === 0) fallBack()
            })
            const timer = setTimeout(
                guard(() => loaded || fallBack()),
                FRAME_TIMEOUT_MS,
            )
            window.addEventListener('message', onMessage)
            document.addEventListener('securitypolicyviolation', onViolation)
            closePanel = () => {
                clearTimeout(timer)
                window.removeEventListener('message', onMessage)
                document.removeEventListener('securitypolicyviolation', onViolation)
            }
            draw()
        }
        if (!preview) window.addEventListener('storage', onStorage)
        // Left its pages (a single-page app navigated): down, unanswered; it may come back on a matching path.
        if (!atOnce)
            offPage = () => {
                if (!pathMatches(location.pathname, invitation.settings.pages)) {
                    close()
                    page.shown = false
                    consider() // (which checks on)
                }
            }
        // After the first paint (a task queued from a frame callback runs after that frame), so that the frame does not
        // wait for them: focus, which forces style and layout, and the shown event. A hidden tab paints nothing: at once.
        const afterPaint = guard(() => {
            if (open) popup.focus() // (not if it was answered before its first paint)
            sendShown()
        })
        if (document.visibilityState === 'hidden') afterPaint()
        else requestAnimationFrame(() => setTimeout(afterPaint))
        fire('PHUserInterviewBoxOpened')
    })

    if (preview) consider()
    // posthog-js calls back on every flag load (the first, reloads after identify...), at once when already loaded: an
    // answer kept unsent goes out once the visitor is identified, and the invitation is considered (once a popup is
    // up on the page, that only checks it is still on its pages; once it is answered, nothing).
    ph.onFeatureFlags((enabled) => {
        sendUnsent()
        consider(enabled)
    })
    return true
}
