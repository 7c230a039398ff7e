// When it asks (#12), in Chromium with the real posthog-js, through each delivery: trigger events, a delay, path
// patterns in a single-page app, remind me later, a cap on unanswered displays, one cool-down with PostHog Surveys,
// and the preview. Days and seconds pass on Playwright's clock (context.clock), never in real time.
import { beforeEach, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
    APP_EVENT,
    FORMS,
    EVENTS,
    FLAG,
    SEEN,
    hostElementCount,
    openTestPage,
    popupButton,
    syncEvents,
    useHarness,
    waitForAppSettled,
    waitForPopup,
    windowEvents,
    type StandIn,
    type TestPageOptions,
} from './browser'

const SNOOZED = 'User Interview Snoozed Pop Up'
const DAY = 86_400_000
const SURVEY_KEY = 'lastSeenSurveyDate'

let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness))

const appEvents = () => standIn.events(APP_EVENT).map((e) => e.event)

/** A test page whose app has settled (flags loaded, app loaded, anything it scheduled for "now" done). */
async function settled(options: TestPageOptions = {}): Promise<Page> {
    const page = await openTestPage(context, standIn, options)
    await waitForAppSettled(page)
    return page
}

/** posthog.capture(name) in the page, as the team's own code would. */
function capture(page: Page, name: string): Promise<void> {
    return page.evaluate((event) => void (window as unknown as { posthog: { capture(e: string): void } }).posthog.capture(event), name)
}

/** A single-page app's navigation: history.pushState, no load. */
function navigate(page: Page, path: string): Promise<void> {
    return page.evaluate((to) => history.pushState(null, '', to), path)
}

const waitForNoPopup = (page: Page) =>
    page.waitForFunction(() => document.querySelectorAll('user-interviewer').length === 0, undefined, { timeout: 10_000, polling: 50 })

/** Time in the page: past anything the app scheduled for this moment (its check runs every 500 ms). */
async function pass(ms: number): Promise<void> {
    await context.clock.fastForward(ms)
}

/** Nothing shows on `page` now, and nothing of the app's reached the server. */
async function expectNothing(page: Page): Promise<void> {
    await pass(1_000)
    await syncEvents(page, standIn)
    expect(await hostElementCount(page)).toBe(0)
    expect(appEvents()).toEqual([])
}

describe.each(FORMS)('%s delivery', (delivery) => {
    beforeEach(async () => {
        standIn.setDelivery(delivery)
        // Playwright's clock, installed before any page loads: time flows as usual until a test moves it on.
        await context.clock.install()
    })

    describe('showOnEvents', () => {
        it('shows only after one of its events is captured on the page, the team capture or a pageview', async () => {
            standIn.setSettings({ showOnEvents: 'report_exported, $pageview' })
            const page = await settled()
            await capture(page, 'something_else')
            await expectNothing(page)
            await capture(page, 'report_exported')
            await waitForPopup(page)
            const [shown] = await standIn.waitForEvents(EVENTS.shown)
            expect(shown.properties.featureFlagName).toBe(FLAG)

            const other = await settled()
            expect(await hostElementCount(other)).toBe(0)
            await capture(other, '$pageview')
            await waitForPopup(other)
        })

        it('checks eligibility again when the event comes: answered in another tab meanwhile, nothing shows', async () => {
            standIn.setSettings({ showOnEvents: 'report_exported' })
            const page = await settled()
            // The booking tool's redirect, opened in another tab: an answer.
            const other = await settled({ query: { bookedUserInterviewEvent: FLAG } })
            await standIn.waitForEvents(EVENTS.booked)
            await capture(page, 'report_exported')
            await pass(1_000)
            await syncEvents(other, standIn)
            expect(await hostElementCount(page)).toBe(0)
            expect(appEvents()).toEqual([EVENTS.booked])
        })

        it("is set per flag by the flag's payload", async () => {
            standIn.setFlags({ [FLAG]: { payload: { showOnEvents: 'csv_exported' } } })
            const page = await settled()
            await capture(page, 'report_exported')
            await expectNothing(page)
            await capture(page, 'csv_exported')
            await waitForPopup(page)
        })
    })

    describe('showAfterSeconds', () => {
        it('waits that long after flags, then shows', async () => {
            standIn.setSettings({ showAfterSeconds: '30' })
            const page = await settled()
            await pass(28_000)
            await expectNothing(page)
            await pass(2_000)
            await waitForPopup(page)
            await standIn.waitForEvents(EVENTS.shown)
        })

        it('waits that long after the trigger event', async () => {
            standIn.setSettings({ showOnEvents: 'report_exported', showAfterSeconds: '20' })
            const page = await settled()
            await pass(60_000)
            await capture(page, 'report_exported')
            await pass(18_000)
            await expectNothing(page)
            await pass(2_000)
            await waitForPopup(page)
        })

        it('shows nothing when the visitor opts out meanwhile', async () => {
            standIn.setSettings({ showAfterSeconds: '30' })
            const page = await settled()
            await page.evaluate(() => (window as unknown as { posthog: { opt_out_capturing(): void } }).posthog.opt_out_capturing())
            await pass(31_000)
            await pass(1_000)
            expect(await hostElementCount(page)).toBe(0)
            expect(standIn.events(APP_EVENT)).toEqual([])
        })

        it('shows nothing when the visitor answers in another tab meanwhile', async () => {
            standIn.setSettings({ showAfterSeconds: '30' })
            const page = await settled()
            const other = await settled({ query: { bookedUserInterviewEvent: FLAG } })
            await standIn.waitForEvents(EVENTS.booked)
            await pass(31_000)
            await pass(1_000)
            await syncEvents(other, standIn)
            expect(await hostElementCount(page)).toBe(0)
            expect(await hostElementCount(other)).toBe(0)
            expect(appEvents()).toEqual([EVENTS.booked])
        })
    })

    describe('pages', () => {
        it('shows only on matching paths, follows a single-page app, and goes down unanswered when it leaves them', async () => {
            standIn.setSettings({ pages: '/app/*,/billing' })
            const page = await settled() // at /test
            await expectNothing(page)

            await navigate(page, '/app/reports/42')
            await pass(600)
            await waitForPopup(page)
            await standIn.waitForEvents(EVENTS.shown)

            await navigate(page, '/login')
            await pass(600)
            await waitForNoPopup(page)
            expect((await windowEvents(page)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed'])

            await navigate(page, '/billing')
            await pass(600)
            await waitForPopup(page)
            await standIn.waitForEvents(EVENTS.shown, { count: 2 })
            await popupButton(page, 'close').click()
            await standIn.waitForEvents(EVENTS.dismissed)
            await syncEvents(page, standIn)
            // Taken down unanswered, then answered once: no answer for the navigation.
            expect(appEvents()).toEqual([EVENTS.shown, EVENTS.shown, EVENTS.dismissed])
        })

        it('leaving the pages during the delay shows nothing; coming back starts the delay again', async () => {
            standIn.setSettings({ pages: '/test', showAfterSeconds: '10' })
            const page = await settled()
            await pass(5_000)
            await navigate(page, '/elsewhere')
            await pass(1_000)
            await navigate(page, '/test')
            await pass(6_000) // 12 s since flags, 6 s since the return
            await expectNothing(page)
            await pass(5_000)
            await waitForPopup(page)
        })
    })

    describe('remind me later', () => {
        it('has no such button by default', async () => {
            const page = await settled()
            const popup = await waitForPopup(page)
            expect(popup.buttons.map((b) => b.action)).toEqual(['close', 'book', 'close-icon'])
        })

        it('snoozes this invitation on this browser for remindLaterDays, everywhere at once, without answering it', async () => {
            standIn.setSettings({ remindLaterButtonText: 'Not now', remindLaterDays: '3', minDaysSinceLastSeenPopUp: '90' })
            const a = await settled()
            const b = await settled()
            const popup = await waitForPopup(a)
            expect(popup.buttons.map((button) => [button.action, button.text])).toEqual([
                ['close', 'Close'],
                ['later', 'Not now'],
                ['book', 'Book now'],
                ['close-icon', '×'],
            ])
            await waitForPopup(b)
            // A real button, named by its text, between Close and Book in the tab order.
            await a.locator('user-interviewer button.close').focus()
            await a.keyboard.press('Tab')
            await a.keyboard.press('Enter')
            const [snoozed] = await standIn.waitForEvents(SNOOZED)
            expect(snoozed.properties.featureFlagName).toBe(FLAG)
            expect(snoozed.set).toEqual({})
            await waitForNoPopup(a)
            await waitForNoPopup(b) // the other tab, at once
            expect(standIn.personProperties(snoozed.distinct_id)[`${SEEN} - ${FLAG}`]).toBeUndefined()
            expect(await a.evaluate(() => localStorage.getItem('user_interview_popup_shown'))).toBeNull()

            await Promise.all([a.close(), b.close()])
            await pass(3 * DAY - 60_000)
            const later = await settled()
            await syncEvents(later, standIn)
            expect(await hostElementCount(later)).toBe(0)
            await later.close() // (a page still open when the snooze ends would ask at its next check)

            // Three days on: asked again, no cool-down in the way (it was no answer).
            await pass(120_000)
            const again = await settled()
            await waitForPopup(again)
            await syncEvents(again, standIn)
            expect(appEvents()).toEqual([EVENTS.shown, EVENTS.shown, SNOOZED, EVENTS.shown])
        })

        it("takes its text and days from the flag's payload", async () => {
            standIn.setFlags({ [FLAG]: { payload: { remindLaterButtonText: 'Ask me next week', remindLaterDays: 7 } } })
            const page = await settled()
            await waitForPopup(page)
            await page.getByRole('button', { name: 'Ask me next week' }).click()
            await standIn.waitForEvents(SNOOZED)
            await pass(6 * DAY)
            expect(await hostElementCount(await settled())).toBe(0)
            await pass(DAY + 60_000)
            await waitForPopup(await settled())
        })
    })

    describe('maxShows', () => {
        it('after that many unanswered displays, counts as dismissed (ignored) and stops', async () => {
            standIn.setSettings({ maxShows: '2' })
            for (let i = 1; i <= 2; i++) {
                const page = await settled()
                await waitForPopup(page)
                await standIn.waitForEvents(EVENTS.shown, { count: i })
                await page.close()
            }
            const third = await settled()
            const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
            expect(dismissed.properties).toMatchObject({ featureFlagName: FLAG, ignored: true })
            expect(dismissed.set[`${SEEN} - ${FLAG}`]).toBe(dismissed.set[SEEN])
            expect(Date.parse(dismissed.set[SEEN])).toBeGreaterThan(0)
            expect(await hostElementCount(third)).toBe(0)

            const fourth = await settled()
            await syncEvents(fourth, standIn)
            expect(await hostElementCount(fourth)).toBe(0)
            expect(appEvents()).toEqual([EVENTS.shown, EVENTS.shown, EVENTS.dismissed])
        })

        it('counts no display that was answered: a closed invitation never comes back to be counted', async () => {
            standIn.setSettings({ maxShows: '1' })
            const page = await settled()
            await waitForPopup(page)
            await popupButton(page, 'close').click()
            await standIn.waitForEvents(EVENTS.dismissed)
            const next = await settled()
            await syncEvents(next, standIn)
            expect(standIn.events(EVENTS.dismissed).map((e) => e.properties.ignored)).toEqual([undefined])
        })
    })

    describe('one cool-down with PostHog Surveys', () => {
        it('invites nobody posthog-js showed a survey within minDaysSinceLastSeenPopUp days', async () => {
            standIn.setSettings({ minDaysSinceLastSeenPopUp: '30' })
            const setup = await settled()
            await setup.evaluate(
                ([key, day]) => {
                    localStorage.clear()
                    localStorage.setItem(key, new Date(Date.now() - 29 * day).toISOString())
                },
                [SURVEY_KEY, DAY] as const,
            )
            const within = await settled()
            await syncEvents(within, standIn)
            expect(await hostElementCount(within)).toBe(0)
            await pass(DAY + 60_000)
            await waitForPopup(await settled())
        })

        it("an answer counts as a seen survey for Surveys' own wait period (an ISO date under its key)", async () => {
            const page = await settled()
            await waitForPopup(page)
            const before = await page.evaluate(() => Date.now())
            await popupButton(page, 'close').click()
            const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
            const stored = await page.evaluate((key) => localStorage.getItem(key), SURVEY_KEY)
            expect(stored).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
            expect(stored).toBe(dismissed.set[SEEN])
            expect(Date.parse(stored!)).toBeGreaterThanOrEqual(before)
        })

        it('shareCoolDownWithSurveys false: neither reads nor writes it', async () => {
            standIn.setSettings({ shareCoolDownWithSurveys: 'false', minDaysSinceLastSeenPopUp: '30' })
            const setup = await settled()
            await setup.evaluate((key) => {
                localStorage.clear()
                localStorage.setItem(key, new Date().toISOString())
            }, SURVEY_KEY)
            const page = await settled()
            await waitForPopup(page)
            const survey = await page.evaluate((key) => localStorage.getItem(key), SURVEY_KEY)
            await popupButton(page, 'close').click()
            await standIn.waitForEvents(EVENTS.dismissed)
            expect(await page.evaluate((key) => localStorage.getItem(key), SURVEY_KEY)).toBe(survey)
        })
    })

    describe('preview', () => {
        const TRIGGERS = { showOnEvents: 'report_exported', showAfterSeconds: '30', pages: '/app/*', maxShows: '1' }

        it('shows at once, whatever the triggers, and writes nothing', async () => {
            standIn.setSettings(TRIGGERS)
            standIn.setFlags({ [FLAG]: false })
            const page = await settled({ query: { userInterviewPreview: FLAG } })
            await waitForPopup(page)
            await popupButton(page, 'close').click()
            await waitForNoPopup(page)
            await syncEvents(page, standIn)
            expect(appEvents()).toEqual([])
            expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => /interview|lastSeenSurvey/.test(key)))).toEqual([])
        })

        it('with userInterviewPreviewTriggers=1, waits for them like a visitor would', async () => {
            standIn.setSettings(TRIGGERS)
            standIn.setFlags({ [FLAG]: false })
            const page = await settled({ query: { userInterviewPreview: FLAG, userInterviewPreviewTriggers: '1' } })
            await capture(page, 'report_exported')
            await pass(31_000)
            expect(await hostElementCount(page)).toBe(0) // not on /app/*
            await navigate(page, '/app/x') // (its event, captured before, counts: the delay starts here)
            await pass(600)
            await pass(29_000)
            expect(await hostElementCount(page)).toBe(0)
            await pass(2_000)
            await waitForPopup(page)
            await syncEvents(page, standIn)
            expect(appEvents()).toEqual([])
        })
    })
})
