// The defects a second outside review reproduced (issue 18), each in real Chromium with the real posthog-js and the
// stand-in, in both forms of the app: displays nobody saw, a forged booking, an unsent answer on a shared computer.
import { beforeEach, describe, expect, it } from 'vitest'
import type { BrowserContext, Frame, Page } from 'playwright-core'
import {
    EVENTS,
    FLAG,
    FORMS,
    SEEN,
    openTestPage,
    popupButton,
    routeBookingTools,
    syncEvents,
    useHarness,
    waitForAppSettled,
    waitForPopup,
    waitUntil,
    type StandIn,
} from './browser'

let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness))

const SHOWS_KEY = `ph-${FLAG}-interview_shows`

type Ph = {
    identify(id: string): void
    reset(): void
    get_distinct_id(): string
    getFeatureFlagPayload(flag: string): unknown
    featureFlags?: { hasLoadedFlags?: boolean }
    siteApps?: { apps?: Record<string, { loaded?: boolean }> }
}

/** A page of the site (no app of its own) holding the test page in a frame styled `style`: silent-auth frames do. */
async function openFrameHost(standIn: StandIn, style: string): Promise<{ page: Page; frame: Frame }> {
    const hostUrl = `${standIn.url}/frame-host-${Math.random().toString(36).slice(2)}`
    await context.route(hostUrl, (route) =>
        route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>host</title><iframe style="${style}" src="${standIn.testPageUrl()}"></iframe>` }),
    )
    const page = await context.newPage()
    await page.goto(hostUrl)
    const frame = (await waitUntil(() => page.frames().find((f) => f.url().includes('/test')), { message: 'the framed page' }))!
    // posthog-js loaded its flags, and the app (inline or the HogFunction) was loaded.
    await frame.waitForFunction(
        () => {
            const ph = (window as unknown as { posthog?: Ph }).posthog
            return !!ph?.featureFlags?.hasLoadedFlags && Object.values(ph.siteApps?.apps ?? {}).every((app) => app.loaded)
        },
        undefined,
        { timeout: 10_000, polling: 50 },
    )
    return { page, frame }
}

describe.each(FORMS)('displays nobody saw (%s)', (delivery) => {
    beforeEach(() => {
        standIn.setDelivery(delivery)
        standIn.setSettings({ maxShows: '2' })
    })

    for (const [name, style] of [
        ['display:none', 'display:none'],
        ['1×1', 'width:1px;height:1px;border:0'],
    ] as const) {
        it(`a ${name} frame of a site page counts no display, records no dismissal, and stops checking`, async () => {
            for (let load = 0; load < 3; load++) {
                const { page, frame } = await openFrameHost(standIn, style)
                // The check stops where nothing can show: no more looks at the flags' payloads once settled.
                await frame.evaluate(() => {
                    const ph = (window as unknown as { posthog: Ph }).posthog
                    const read = ph.getFeatureFlagPayload.bind(ph)
                    ;(window as unknown as { __payloadReads: number }).__payloadReads = 0
                    ph.getFeatureFlagPayload = (flag: string) => {
                        ;(window as unknown as { __payloadReads: number }).__payloadReads++
                        return read(flag)
                    }
                })
                await frame.waitForTimeout(1200) // (two and a half ticks of the twice-a-second check)
                expect(await frame.evaluate(() => (window as unknown as { __payloadReads: number }).__payloadReads)).toBe(0)
                expect(await frame.evaluate((key) => localStorage.getItem(key), SHOWS_KEY)).toBeNull()
                expect(await frame.evaluate(() => document.querySelectorAll('user-interviewer').length)).toBe(0)
                await page.close()
            }
            // The visitor then opens the site itself: invited, as for a first display.
            const page = await openTestPage(context, standIn)
            await waitForPopup(page)
            await standIn.waitForEvents(EVENTS.shown)
            await waitUntil(() => page.evaluate((key) => localStorage.getItem(key), SHOWS_KEY), { message: 'the display counted' })
            expect(await page.evaluate((key) => localStorage.getItem(key), SHOWS_KEY)).toBe('1')
            await syncEvents(page, standIn)
            expect(standIn.events(EVENTS.dismissed)).toEqual([])
            expect(standIn.events('$set')).toEqual([])
        })
    }

    it('"Not now" after maxShows displays: after the snooze, they get their maxShows again, not a silent dismissal', async () => {
        standIn.setSettings({ maxShows: '1', remindLaterButtonText: 'Not now', remindLaterDays: '0' })
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await standIn.waitForEvents(EVENTS.shown)
        await page.locator('user-interviewer button.later').click()
        await standIn.waitForEvents('User Interview Snoozed Pop Up')
        // (a snooze of 0 days is over at once)
        await page.reload()
        await waitForPopup(page)
        await standIn.waitForEvents(EVENTS.shown, { count: 2 })
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.dismissed)).toEqual([])
    })
})

describe.each(FORMS)('a forged booking (%s)', (delivery) => {
    it("a MessageEvent a script of the host page dispatches, with the panel frame's source and the tool's origin, records nothing", async () => {
        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=https://calendly.com/example-team/30min` })
        const page = await openTestPage(context, standIn, { delivery })
        await waitForPopup(page)
        await popupButton(page, 'book').click()
        await page.locator('user-interviewer iframe').waitFor({ state: 'attached' })
        await page.evaluate(() => {
            const frame = document.querySelector('user-interviewer')!.shadowRoot!.querySelector('iframe')!
            const data = { event: 'calendly.event_scheduled', payload: { event: { uri: 'https://api.calendly.com/scheduled_events/FORGED' } } }
            window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://calendly.com', source: frame.contentWindow }))
        })
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toEqual([])
    })
})

describe.each(FORMS)('an unsent anonymous answer on a shared computer (%s)', (delivery) => {
    beforeEach(() => {
        standIn.setDelivery(delivery)
        standIn.setFlags({ [FLAG]: { unlessPersonHas: `${SEEN} - ${FLAG}` }, 'second-interview': { unlessPersonHas: `${SEEN} - second-interview` } })
    })
    const call = (page: Page, method: 'identify' | 'reset', id?: string) =>
        page.evaluate(([name, arg]) => {
            const ph = (window as unknown as { posthog: Ph }).posthog
            if (name === 'identify') ph.identify(arg!)
            else ph.reset()
        }, [method, id] as const)

    it("visitor A answers anonymously, the site logs out (reset) and B logs in: B's person gets nothing of A's", async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await popupButton(page, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed)
        await call(page, 'reset')
        await call(page, 'identify', 'person-b')
        await waitForAppSettled(page)
        await page.reload()
        await waitForAppSettled(page)
        await syncEvents(page, standIn)
        expect(standIn.personProperties('person-b')[`${SEEN} - ${FLAG}`]).toBeUndefined()
        expect(standIn.events((e) => e.event === '$set' && !!e.set[`${SEEN} - ${FLAG}`])).toEqual([])
    })

    it('every anonymous answer, not only the last, reaches the person once that visitor identifies', async () => {
        standIn.setSettings({ interviewConfigs: `${FLAG}=https://book.example.com/a,second-interview=https://book.example.com/b`, minDaysSinceLastSeenPopUp: '0' })
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await popupButton(page, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed)
        await page.reload()
        await waitForPopup(page)
        await popupButton(page, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed, { count: 2 })
        expect(standIn.events(EVENTS.dismissed).map((e) => e.properties.featureFlagName)).toEqual([FLAG, 'second-interview'])
        await call(page, 'identify', 'person-a')
        await waitUntil(() => standIn.personProperties('person-a')[`${SEEN} - second-interview`], { message: 'the answers reached person-a' })
        expect(Object.keys(standIn.personProperties('person-a')).filter((key) => key.startsWith(SEEN)).sort()).toEqual(
            [SEEN, `${SEEN} - ${FLAG}`, `${SEEN} - second-interview`].sort(),
        )
    })
})
