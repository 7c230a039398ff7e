// Book without leaving the page: Calendly and cal.com links open in the booking panel, the imitation pages
// (dev/booking-pages.mjs, under the tools' real hostnames) post what the real ones post, and the stand-in receives
// what the app made of it. Both forms of the app (HogFunction, plugin inline).
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Frame, Page } from 'playwright-core'
import {
    EVENTS,
    FLAG,
    FORMS,
    SEEN,
    hostElementCount,
    openTestPage,
    popupButton,
    routeBookingTools,
    syncEvents,
    useHarness,
    waitForAppSettled,
    waitForPopup,
    waitUntil,
    type StandIn,
    type TestPageOptions,
} from './browser'

const CALENDLY = 'https://calendly.com/example-team/30min'
const CAL = 'https://cal.com/example-team/30min'
const CONFIRMED = "You're booked. Thank you!"

let standIn: StandIn
let context: BrowserContext
useHarness(({ standIn: s, context: c }) => {
    standIn = s
    context = c
})

const panel = (page: Page) => page.locator('user-interviewer dialog')

/** What the panel shows: its dialog state, the status line and the frame's address. */
async function readPanel(page: Page) {
    return page.evaluate(() => {
        const root = document.querySelector('user-interviewer')?.shadowRoot
        const dialog = root?.querySelector('dialog')
        return {
            open: !!dialog?.open,
            modal: !!dialog?.matches(':modal'),
            focusInside: document.activeElement?.tagName === 'USER-INTERVIEWER' && !!dialog?.contains(root!.activeElement),
            status: root?.querySelector('[role="status"]')?.textContent ?? null,
            frame: root?.querySelector('iframe')?.src ?? null,
            newTabLink: root?.querySelector('a[target="_blank"]')?.getAttribute('href') ?? null,
        }
    })
}

/** The booking page in the panel's frame, once it is there. */
async function bookingFrame(page: Page): Promise<Frame> {
    const handle = await page.locator('user-interviewer iframe').elementHandle()
    const frame = await handle!.contentFrame()
    await frame!.waitForLoadState()
    return frame!
}

async function distinctId(page: Page): Promise<string> {
    return page.evaluate(() => (window as unknown as { posthog: { get_distinct_id(): string } }).posthog.get_distinct_id())
}

describe.each(FORMS)('booking panel (%s)', (delivery) => {
    /** The test page with the popup up, for an interview booked at `link`. */
    async function openWith(link: string, options: TestPageOptions = {}): Promise<Page> {
        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=${link}` })
        const page = await openTestPage(context, standIn, { delivery, ...options })
        await waitForPopup(page)
        return page
    }

    async function openAndBook(link: string): Promise<Page> {
        const page = await openWith(link)
        await popupButton(page, 'book').click()
        return page
    }

    it('Calendly: Book opens the page framed as Calendly embeds it, with the flag and distinct_id; a booking there is the booked event, once, with its event URI', async () => {
        const page = await openAndBook(`${CALENDLY}?month=2026-12`)
        await panel(page).waitFor({ state: 'visible' })
        // The clicked event and its $set, as before.
        const [clicked] = await standIn.waitForEvents(EVENTS.clickedBook)
        expect(clicked.properties).toMatchObject({ featureFlagName: FLAG, $set: { [`${SEEN} - ${FLAG}`]: expect.any(String) } })

        const shown = await readPanel(page)
        expect(shown).toMatchObject({ open: true, modal: true, focusInside: true })
        const frameUrl = new URL(shown.frame!)
        expect(frameUrl.origin + frameUrl.pathname).toBe(CALENDLY)
        expect([...frameUrl.searchParams.keys()][0]).toBe('month') // the team's own parameter, first and as it was
        expect(Object.fromEntries(frameUrl.searchParams)).toEqual({
            month: '2026-12',
            utm_source: 'posthog',
            utm_campaign: FLAG,
            utm_content: await distinctId(page),
            embed_domain: new URL(standIn.url).host,
            embed_type: 'Inline',
        })
        // The new-tab link: the same page and parameters, not the embed.
        expect(Object.fromEntries(new URL(shown.newTabLink!).searchParams)).toEqual({
            month: '2026-12',
            utm_source: 'posthog',
            utm_campaign: FLAG,
            utm_content: await distinctId(page),
        })

        // Loading until the page says it is there.
        const frame = await bookingFrame(page)
        await waitUntil(async () => (await readPanel(page)).status === '', { message: 'loading status cleared' })
        await frame.click('#pick')
        await frame.click('#confirm')
        const [booked] = await standIn.waitForEvents(EVENTS.booked)
        expect(booked.properties).toMatchObject({
            featureFlagName: FLAG,
            bookingTool: 'calendly',
            bookingId: expect.stringMatching(/^https:\/\/api\.calendly\.com\/scheduled_events\/EV[A-Z0-9]+$/),
            $set: { [SEEN]: expect.any(String), [`${SEEN} - ${FLAG}`]: expect.any(String) },
        })
        // Not the invitee's URI (it names a person's record), nor anything else of the page's.
        expect(JSON.stringify(booked.properties)).not.toContain('invitees')
        await waitUntil(async () => (await readPanel(page)).status === CONFIRMED, { message: 'confirmation shown' })

        // Calendly may say it twice: still one booking.
        await frame.click('#confirm')
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toHaveLength(1)

        // Closing the panel is no answer of its own.
        await page.locator('user-interviewer button.close').click()
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.dismissed)).toEqual([])
    })

    it("cal.com: the embed from app.cal.com, prefilled where asked for, answered so that it shows; its two booking messages count once, with the booking's uid", async () => {
        standIn.setSettings({ prefillNameAndEmail: 'true' })
        const page = await openWith(CAL)
        // An identified visitor, whose name and email posthog-js holds.
        await page.evaluate(() =>
            (window as unknown as { posthog: { identify(id: string, set: object): void } }).posthog.identify('ada-1', {
                name: 'Ada Lovelace',
                email: 'ada@example.com',
            }),
        )
        await popupButton(page, 'book').click()
        await panel(page).waitFor({ state: 'visible' })
        const frameUrl = new URL((await readPanel(page)).frame!)
        expect(frameUrl.origin + frameUrl.pathname).toBe('https://app.cal.com/example-team/30min/embed')
        expect(Object.fromEntries(frameUrl.searchParams)).toEqual({
            'metadata[featureFlagName]': FLAG,
            'metadata[distinct_id]': 'ada-1',
            name: 'Ada Lovelace',
            email: 'ada@example.com',
            embed: 'user-interviewer',
            embedType: 'inline',
        })
        const frame = await bookingFrame(page)
        // The handshake: answered once, so the page stopped hiding itself.
        await waitUntil(() => frame.evaluate(() => document.body.style.visibility === 'visible'), { message: 'cal.com page shown' })
        expect(await frame.evaluate(() => (window as unknown as { __parentKnowsIframeReady: number }).__parentKnowsIframeReady)).toBe(1)
        await waitUntil(async () => (await readPanel(page)).status === '', { message: 'loading status cleared' })

        // The page has the prefill.
        expect(await frame.inputValue('#email')).toBe('ada@example.com')
        await frame.click('#confirm')
        const [booked] = await standIn.waitForEvents(EVENTS.booked)
        const uid = await frame.evaluate(() => (window as unknown as { __bookingUid: string }).__bookingUid)
        expect(booked.properties).toMatchObject({ featureFlagName: FLAG, bookingTool: 'cal.com', bookingId: uid })
        // bookingSuccessful's attendee details never reach PostHog.
        expect(JSON.stringify(booked.properties)).not.toMatch(/Lovelace|ada@example\.com|organizer/i)
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toHaveLength(1)
        await waitUntil(async () => (await readPanel(page)).status === CONFIRMED, { message: 'confirmation shown' })
    })

    it('a booking message from any other frame or origin, however well formed, changes nothing', async () => {
        const page = await openAndBook(CALENDLY)
        await panel(page).waitFor({ state: 'visible' })
        await bookingFrame(page)
        // The host page itself, and a frame of it at the tool's own origin (not the panel's frame).
        const scheduled = { event: 'calendly.event_scheduled', payload: { event: { uri: 'https://api.calendly.com/scheduled_events/X' } } }
        const calBooked = { originator: 'CAL', type: 'bookingSuccessfulV2', namespace: 'user-interviewer', data: { uid: 'X' } }
        await page.evaluate((messages) => messages.forEach((m) => window.postMessage(m, '*')), [scheduled, calBooked])
        await page.evaluate(() => {
            const other = document.createElement('iframe')
            other.src = 'https://calendly.com/someone-else/15min?embed_domain=x&embed_type=Inline'
            document.body.append(other)
            return new Promise((resolve) => (other.onload = resolve))
        })
        const other = page.frames().find((f) => f.url().includes('someone-else'))!
        await other.evaluate((messages) => messages.forEach((m) => parent.postMessage(m, '*')), [scheduled, calBooked])
        // The panel's own frame, navigated to another origin: the same window, the wrong origin.
        const frame = await bookingFrame(page)
        await frame.evaluate(() => (location.href = 'https://forger.example/'))
        await waitUntil(() => page.frames().some((f) => f.url() === 'https://forger.example/'), { message: 'frame navigated' })
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toEqual([])
        expect((await readPanel(page)).status).not.toBe(CONFIRMED)
    })

    it('a booking redirect after a booking in the panel is not counted again', async () => {
        const page = await openAndBook(CALENDLY)
        await panel(page).waitFor({ state: 'visible' })
        const frame = await bookingFrame(page)
        await frame.click('#confirm')
        await standIn.waitForEvents(EVENTS.booked)
        const redirected = await openTestPage(context, standIn, { delivery, query: { bookedUserInterviewEvent: FLAG } })
        await waitForAppSettled(redirected)
        await syncEvents(redirected, standIn)
        expect(standIn.events(EVENTS.booked)).toHaveLength(1)
        expect(redirected.url()).not.toContain('bookedUserInterviewEvent')
    })

    it("where the page's Content-Security-Policy forbids the frame, the link opens in a new tab instead; the click is captured", async () => {
        const page = await openWith(CALENDLY, { csp: 'strict' })
        // At once, not after the 10 s the panel gives a page that never shows.
        const [tab] = await Promise.all([context.waitForEvent('page', { timeout: 3_000 }), popupButton(page, 'book').click()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        const opened = new URL(tab.url())
        expect(opened.origin + opened.pathname).toBe(CALENDLY)
        expect(opened.searchParams.get('utm_campaign')).toBe(FLAG)
        expect(opened.searchParams.has('embed_domain')).toBe(false)
        await waitUntil(async () => (await hostElementCount(page)) === 0, { message: 'panel closed' })
        expect(await standIn.waitForEvents(EVENTS.clickedBook)).toHaveLength(1)
    })
})

describe('booking panel, one form', () => {
    const delivery = 'hog'

    it('a frame that never shows its page: after 10 s, a new tab instead', async () => {
        await context.clock.install()
        await routeBookingTools(context, standIn)
        // Calendly never answers the frame (its embed address); a new tab gets a page.
        await context.route(
            (url) => url.hostname === 'calendly.com',
            (route) => (route.request().url().includes('embed_domain') ? undefined : route.fulfill({ contentType: 'text/html', body: '<title>tab</title>' })),
        )
        standIn.setSettings({ interviewConfigs: `${FLAG}=${CALENDLY}` })
        const page = await openTestPage(context, standIn, { delivery })
        await waitForPopup(page)
        await popupButton(page, 'book').click()
        await panel(page).waitFor({ state: 'visible' })
        expect((await readPanel(page)).status).toBe('Loading the booking page…')
        await context.clock.fastForward(9_000)
        expect((await readPanel(page)).open).toBe(true)
        const [tab] = await Promise.all([context.waitForEvent('page'), context.clock.fastForward(1_500)])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        expect(tab.url()).toContain(CALENDLY)
        await waitUntil(async () => (await hostElementCount(page)) === 0, { message: 'panel closed' })
    })

    it('when no tab may open either (a popup blocker, past the click), the panel offers the link in place of the frame', async () => {
        await context.clock.install()
        await routeBookingTools(context, standIn)
        await context.route(
            (url) => url.hostname === 'calendly.com',
            (route) => (route.request().url().includes('embed_domain') ? undefined : route.fallback()),
        )
        standIn.setSettings({ interviewConfigs: `${FLAG}=${CALENDLY}` })
        const page = await openTestPage(context, standIn, { delivery })
        await waitForPopup(page)
        await page.evaluate(() => (window.open = () => null))
        await popupButton(page, 'book').click()
        await panel(page).waitFor({ state: 'visible' })
        await context.clock.fastForward(10_500)
        await waitUntil(async () => (await readPanel(page)).frame === null, { message: 'frame replaced' })
        const link = await page.locator('user-interviewer dialog a.fallback').getAttribute('href')
        expect(link).toBe((await readPanel(page)).newTabLink)
        expect(new URL(link!).origin + new URL(link!).pathname).toBe(CALENDLY)
        expect((await readPanel(page)).open).toBe(true)
    })

    it('a report-only Content-Security-Policy blocks nothing: the panel stays, and the booking counts', async () => {
        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=${CALENDLY}` })
        const page = await openTestPage(context, standIn, { delivery, csp: 'report-only' })
        await waitForPopup(page)
        const violations = page.evaluate(
            () =>
                new Promise<string[]>((resolve) => {
                    const seen: string[] = []
                    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.disposition} ${e.effectiveDirective}`))
                    setTimeout(() => resolve(seen), 2_000)
                }),
        )
        await popupButton(page, 'book').click()
        const frame = await bookingFrame(page)
        // (the policy did report the frame)
        expect(await violations).toContain('report frame-src')
        await waitUntil(async () => (await readPanel(page)).status === '', { message: 'loading status cleared' })
        expect(context.pages()).toHaveLength(1)
        await frame.click('#confirm')
        expect(await standIn.waitForEvents(EVENTS.booked)).toHaveLength(1)
        expect((await readPanel(page)).open).toBe(true)
    })

    it('Escape closes the panel', async () => {
        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=${CAL}` })
        const page = await openTestPage(context, standIn, { delivery })
        await waitForPopup(page)
        await popupButton(page, 'book').click()
        await panel(page).waitFor({ state: 'visible' })
        expect((await readPanel(page)).focusInside).toBe(true)
        await page.keyboard.press('Escape')
        await waitUntil(async () => (await hostElementCount(page)) === 0, { message: 'panel closed' })
        const closed = await page.evaluate(() => (window as unknown as { __uiWindowEvents: { type: string }[] }).__uiWindowEvents.map((e) => e.type))
        expect(closed).toEqual(['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed'])
    })

    it("new-tab mode (setting or a flag's payload): Book opens the link with the same parameters, name and email where asked for", async () => {
        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=${CAL}?name=Team+Default`, prefillNameAndEmail: 'true' })
        standIn.setFlags({ [FLAG]: { enabled: true, payload: { bookingMode: 'new-tab' } } })
        const page = await openTestPage(context, standIn, { delivery })
        await waitForAppSettled(page)
        await page.evaluate(() =>
            (window as unknown as { posthog: { identify(id: string, set: object): void } }).posthog.identify('ada-1', {
                name: 'Ada Lovelace',
                email: 'ada@example.com',
            }),
        )
        await waitForPopup(page)
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').click()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        const opened = new URL(tab.url())
        expect(opened.origin + opened.pathname).toBe(CAL)
        expect(Object.fromEntries(opened.searchParams)).toEqual({
            name: 'Team Default', // the team's own parameter stays
            'metadata[featureFlagName]': FLAG,
            'metadata[distinct_id]': 'ada-1',
            email: 'ada@example.com',
        })
        expect(await hostElementCount(page)).toBe(0)
    })

    it("a PostHog user-interview page gets the visitor's distinct_id and session_id, in a new tab", async () => {
        standIn.setSettings({ interviewConfigs: `${FLAG}=https://us.posthog.com/interview/abc123` })
        const page = await openTestPage(context, standIn, { delivery })
        await waitForPopup(page)
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').click()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        const ids = await page.evaluate(() => {
            const ph = (window as unknown as { posthog: { get_distinct_id(): string; get_session_id(): string } }).posthog
            return { distinct_id: ph.get_distinct_id(), session_id: ph.get_session_id() }
        })
        expect(tab.url()).toBe(`https://us.posthog.com/interview/abc123?distinct_id=${ids.distinct_id}&session_id=${ids.session_id}`)
    })
})
