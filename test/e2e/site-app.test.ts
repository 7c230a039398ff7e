// The built app, loaded by the real posthog-js through both of PostHog's site-app paths, in headless Chromium.
// Everything asserted about events and person properties is what the stand-in received over HTTP.
import { beforeEach, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import {
    APP_EVENT,
    EVENTS,
    SEEN,
    hostElementCount,
    openTestPage,
    openWatchedTestPage,
    popupButton,
    syncEvents,
    waitForAppSettled,
    waitForPopup,
    windowEvents,
    type ReceivedEvent,
    type StandIn,
    FLAG,
    LINK,
    reloadFlags,
    useHarness,
    DELIVERIES,
} from './browser'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness))

function expectSeenSet(event: ReceivedEvent, flag: string) {
    const set = event.set
    expect(set[`${SEEN} - ${flag}`]).toMatch(ISO)
    expect(set[SEEN]).toMatch(ISO)
    expect(set[SEEN]).toBe(set[`${SEEN} - ${flag}`])
    expect(Math.abs(Date.parse(set[SEEN]) - Date.now())).toBeLessThan(60_000)
}

const appEvents = () => standIn.events(APP_EVENT)

describe.each(DELIVERIES)('%s delivery', (delivery) => {
    beforeEach(() => {
        standIn.setDelivery(delivery)
    })

    it('shows the popup for a matching flag and captures the shown event', async () => {
        const { page, log } = await openWatchedTestPage(context, standIn)
        const popup = await waitForPopup(page)
        // It really came the way this block says.
        const via = await page.evaluate((token) => {
            const w = window as unknown as { _POSTHOG_REMOTE_CONFIG?: Record<string, { siteApps?: { id: unknown; init: unknown }[] }> }
            const loaders = w._POSTHOG_REMOTE_CONFIG?.[token]?.siteApps ?? []
            return {
                inlineLoaders: loaders.length,
                // A site function's loader builds its inputs (get_transpiled_function); a plugin's hands over its config.
                siteFunction: loaders.some((loader) => String(loader.init).includes('buildInputs')),
                legacyScript: !!document.querySelector('script[src*="/site_app/"]'),
            }
        }, standIn.token)
        expect(via).toEqual(
            {
                hog: { inlineLoaders: 1, siteFunction: true, legacyScript: false },
                inline: { inlineLoaders: 1, siteFunction: false, legacyScript: false },
                legacy: { inlineLoaders: 0, siteFunction: false, legacyScript: true },
            }[delivery],
        )
        expect(popup.hostCount).toBe(1)
        expect(popup.hostParentIsBody).toBe(true)
        expect(popup.shadowMode).toBe('open')
        expect(popup.title).toBe('Help us improve!')
        expect(popup.body).toContain("You're invited to a 30-minute user interview.")
        const actions = popup.buttons.map((b) => b.action)
        expect(actions).toEqual(['close', 'book', 'close-icon'])
        expect(popup.buttons.find((b) => b.action === 'book')?.text).toBe('Book now')
        expect(popup.buttons.find((b) => b.action === 'close')?.text).toBe('Close')

        const [shown] = await standIn.waitForEvents(EVENTS.shown)
        expect(shown.properties.featureFlagName).toBe(FLAG)
        expect(shown.set[`${SEEN} - ${FLAG}`]).toBeUndefined()
        expect(await windowEvents(page)).toEqual([{ type: 'PHUserInterviewBoxOpened', detail: expect.anything() }])
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.shown)).toHaveLength(1)
        expect(log.errors).toEqual([])
        expect(log.console.filter((line) => line.includes('[User Interviewer]'))).toEqual([])
    })

    it('shows nothing when no configured flag is enabled', async () => {
        standIn.setFlags({ [FLAG]: false, 'some-other-flag': true })
        const page = await openTestPage(context, standIn)
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(appEvents()).toEqual([])
        expect(await windowEvents(page)).toEqual([])
    })

    it('dismissing (Close) captures the dismissed event with the seen $set and removes the popup', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await standIn.waitForEvents(EVENTS.shown)
        await popupButton(page, 'close').click()

        const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
        expect(dismissed.properties.featureFlagName).toBe(FLAG)
        expectSeenSet(dismissed, FLAG)
        expect(await hostElementCount(page)).toBe(0)
        expect((await windowEvents(page)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed'])

        // An anonymous visitor (posthog-js's default person_profiles 'identified_only'): PostHog keeps no person
        // property of theirs yet, until they identify; then the app sets it on their person.
        expect(standIn.personProperties(dismissed.distinct_id)[`${SEEN} - ${FLAG}`]).toBeUndefined()
        await page.evaluate(() => (window as unknown as { posthog: { identify(id: string): void } }).posthog.identify('visitor-1'))
        await standIn.waitForEvents((e) => e.event === '$set' && !!e.set[`${SEEN} - ${FLAG}`])
        const person = standIn.personProperties('visitor-1')
        expect(person[`${SEEN} - ${FLAG}`]).toBe(dismissed.set[SEEN])
        expect(person[SEEN]).toBe(dismissed.set[SEEN])
        await syncEvents(page, standIn)
        expect(appEvents().map((e) => e.event)).toEqual([EVENTS.shown, EVENTS.dismissed])
    })

    it('clicking book captures the clicked-book event and opens the link in a new tab', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').click()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        expect(tab.url()).toBe(LINK)
        expect(await tab.evaluate(() => window.opener)).toBeNull()

        const [clicked] = await standIn.waitForEvents(EVENTS.clickedBook)
        expect(clicked.properties.featureFlagName).toBe(FLAG)
        expectSeenSet(clicked, FLAG)
        expect(await hostElementCount(page)).toBe(0)
        expect(standIn.personProperties(clicked.distinct_id)[`${SEEN} - ${FLAG}`]).toBeUndefined() // anonymous: see Close
    })

    it('does not come back after an answer (cool-down across page loads, any flag)', async () => {
        standIn.setSettings({ interviewConfigs: `${FLAG}=${LINK},second-interview=https://book.example.com/team/other` })
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await popupButton(page, 'close').click()
        await standIn.waitForEvents(EVENTS.dismissed)

        // The flag is still on for this person (the server has not applied the filter), and a second one too.
        standIn.setFlags({ 'second-interview': true })
        await page.reload()
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        const again = await openTestPage(context, standIn)
        await waitForAppSettled(again)
        expect(await hostElementCount(again)).toBe(0)
        await syncEvents(again, standIn)
        expect(standIn.events(EVENTS.shown)).toHaveLength(1)
    })

    it('counts a booking redirect once, across reloads, and drops the parameter from the address', async () => {
        const page = await openTestPage(context, standIn, { query: { bookedUserInterviewEvent: FLAG, keep: 'me' } })
        const [booked] = await standIn.waitForEvents(EVENTS.booked)
        expect(booked.properties.featureFlagName).toBe(FLAG)
        expectSeenSet(booked, FLAG)
        expect(standIn.personProperties(booked.distinct_id)[`${SEEN} - ${FLAG}`]).toBeUndefined() // anonymous: see Close

        await waitForAppSettled(page)
        const address = new URL(page.url())
        expect(address.searchParams.has('bookedUserInterviewEvent')).toBe(false)
        expect(address.searchParams.get('keep')).toBe('me')
        // Booked: that flag's popup does not show, though the flag is on.
        expect(await hostElementCount(page)).toBe(0)

        await page.reload()
        await waitForAppSettled(page)
        // Even the same redirect URL again (back button, bookmarked) does not recount.
        await page.goto(standIn.testPageUrl({ query: { bookedUserInterviewEvent: FLAG } }))
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toHaveLength(1)
        expect(standIn.events(EVENTS.shown)).toHaveLength(0)
    })

    it('ignores a booking redirect for a flag that is not configured', async () => {
        const page = await openTestPage(context, standIn, { query: { bookedUserInterviewEvent: 'not-an-interview' } })
        await waitForAppSettled(page)
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toEqual([])
    })

    it('shows one popup, for the first flag in interviewConfigs order, when several match', async () => {
        standIn.setSettings({
            interviewConfigs: 'interview-a=https://book.example.com/team/a,interview-b=https://book.example.com/team/b',
        })
        // The flags response lists b first: order must come from the settings.
        standIn.setFlags({ 'interview-b': true, 'interview-a': true }, { replace: true })
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await waitForAppSettled(page)
        // A flag reload (identify, group change...) must not add a second popup.
        await reloadFlags(page)
        expect(await hostElementCount(page)).toBe(1)
        await syncEvents(page, standIn)
        const shown = standIn.events(EVENTS.shown)
        expect(shown).toHaveLength(1)
        expect(shown[0].properties.featureFlagName).toBe('interview-a')

        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').click()])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        expect(tab.url()).toBe('https://book.example.com/team/a')
    })

    it('does nothing at all off the listed domains', async () => {
        standIn.setSettings({ domains: 'localhost' })
        const page = await openTestPage(context, standIn) // 127.0.0.1
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(appEvents()).toEqual([])
        expect(await windowEvents(page)).toEqual([])

        // Same server and settings under the listed hostname: it runs.
        const listed = await openTestPage(context, standIn, { host: 'localhost' })
        await waitForPopup(listed)
        expect((await standIn.waitForEvents(EVENTS.shown))[0].properties.$host).toMatch(/^localhost(:\d+)?$/)
    })

    it('previews a popup without a flag and writes nothing', async () => {
        standIn.setFlags({ [FLAG]: false })
        const page = await openTestPage(context, standIn, { query: { userInterviewPreview: FLAG } })
        const popup = await waitForPopup(page)
        expect(popup.title).toBe('Help us improve!')
        const storageBefore = await page.evaluate(() => JSON.stringify(Object.keys(localStorage).filter((k) => !k.startsWith('ph_'))))
        await popupButton(page, 'close').click()
        expect(await hostElementCount(page)).toBe(0)
        const storageAfter = await page.evaluate(() => JSON.stringify(Object.keys(localStorage).filter((k) => !k.startsWith('ph_'))))
        expect(storageAfter).toBe(storageBefore)
        await syncEvents(page, standIn)
        expect(appEvents()).toEqual([])
        for (const person of standIn.persons()) expect(Object.keys(person.properties).filter((k) => k.startsWith(SEEN))).toEqual([])

        // Nothing was remembered: with the flag on, the real invitation still shows.
        standIn.setFlags({ [FLAG]: true })
        await page.goto(standIn.testPageUrl())
        await waitForPopup(page)
        expect((await standIn.waitForEvents(EVENTS.shown))[0].properties.featureFlagName).toBe(FLAG)
    })
})
