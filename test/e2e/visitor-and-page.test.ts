// Respect for the visitor and for the host page (issue 13), in real Chromium with the real posthog-js: what the page
// keeps (its address, its focus, its typing), what the server really keeps of an anonymous visitor's answer, and
// where the popup stands down. What the app recorded is what the stand-in received.
import { beforeEach, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
    APP_EVENT,
    FORMS,
    EVENTS,
    FLAG,
    LINK,
    popupButton,
    SEEN,
    hostElementCount,
    openTestPage,
    openWatchedTestPage,
    syncEvents,
    useHarness,
    waitForAppSettled,
    waitForPopup,
    windowEvents,
    type StandIn,
    openTestPageHoldingFlags,
} from './browser'

let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness))

describe.each(FORMS)('%s delivery', (delivery) => {
    beforeEach(() => {
        standIn.setDelivery(delivery)
    })

    it("counts the booking redirect of a hash-routed app and removes only its parameter, every other byte of the address kept", async () => {
        const page = await context.newPage()
        const own = '/test?name=John%20Smith&next=/a/b,c&debug'
        await page.goto(`${standIn.url}${own}#/home?tab=1&bookedUserInterviewEvent=${FLAG}`)
        const [booked] = await standIn.waitForEvents(EVENTS.booked)
        expect(booked.properties.featureFlagName).toBe(FLAG)
        await waitForAppSettled(page)
        expect(page.url()).toBe(`${standIn.url}${own}#/home?tab=1`)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.booked)).toHaveLength(1)
        expect(standIn.events(EVENTS.shown)).toHaveLength(0)
    })
})

describe.each(FORMS)("an anonymous visitor's answer, on PostHog's terms (%s delivery)", (delivery) => {
    beforeEach(() => {
        standIn.setDelivery(delivery)
        // The recommended release condition: off for a person who has the seen property.
        standIn.setFlags({ [FLAG]: { unlessPersonHas: `${SEEN} - ${FLAG}` } })
    })

    const identify = (page: Page, id: string) =>
        page.evaluate((distinctId) => (window as unknown as { posthog: { identify(id: string): void } }).posthog.identify(distinctId), id)

    it('reaches their person once they identify, on a later page, and no other device invites them; no profile before', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await popupButton(page, 'close').click()
        const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
        // posthog-js marks the anonymous visitor's events, and PostHog (the stand-in likewise) drops their $set.
        expect(dismissed.properties.$process_person_profile).toBe(false)
        expect(standIn.personProperties(dismissed.distinct_id)[`${SEEN} - ${FLAG}`]).toBeUndefined()

        // A later page, still anonymous: nothing is sent for them, no person profile is made.
        await page.goto(standIn.testPageUrl())
        await waitForAppSettled(page)
        await syncEvents(page, standIn)
        expect(standIn.events((e) => e.properties.$process_person_profile !== false)).toEqual([])

        // They sign in: their answer reaches their person.
        await identify(page, 'person-42')
        const [set] = await standIn.waitForEvents((e) => e.event === '$set' && !!e.set[`${SEEN} - ${FLAG}`])
        expect(set.distinct_id).toBe('person-42')
        expect(standIn.personProperties('person-42')).toMatchObject({ [`${SEEN} - ${FLAG}`]: dismissed.set[SEEN], [SEEN]: dismissed.set[SEEN] })
        await page.reload()
        await waitForAppSettled(page)
        await syncEvents(page, standIn)
        expect(standIn.events('$set')).toHaveLength(1)

        // Another device, where they are signed in from the start: the flag is off for them, no invitation.
        const other = await context.browser()!.newContext()
        try {
            const elsewhere = await openTestPage(other, standIn, { init: { bootstrap: { distinctID: 'person-42', isIdentifiedID: true } } })
            await waitForAppSettled(elsewhere)
            expect(await hostElementCount(elsewhere)).toBe(0)
            await syncEvents(elsewhere, standIn)
            expect(standIn.events(EVENTS.shown)).toHaveLength(1)
        } finally {
            await other.close()
        }
    })
})

describe.each(FORMS)("moving from the original app (%s delivery)", (delivery) => {
    beforeEach(() => {
        standIn.setDelivery(delivery)
    })

    it("runs on the 2022 versions' settings, featureFlagNames and bookButtonURLs", async () => {
        standIn.setSettings({ interviewConfigs: '', featureFlagNames: `other-interview, ${FLAG}`, bookButtonURLs: `https://book.example.com/team/other,${LINK}` })
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').click()])
        await tab.waitForURL(LINK)
        expect((await standIn.waitForEvents(EVENTS.clickedBook))[0].properties.featureFlagName).toBe(FLAG)
    })

    it("counts the earlier versions' redirect parameter, bookedUserInterview, and removes it", async () => {
        const page = await context.newPage()
        await page.goto(`${standIn.url}/test?keep=a%20b&bookedUserInterview=${FLAG}`)
        expect((await standIn.waitForEvents(EVENTS.booked))[0].properties.featureFlagName).toBe(FLAG)
        await waitForAppSettled(page)
        expect(page.url()).toBe(`${standIn.url}/test?keep=a%20b`)
        expect(await hostElementCount(page)).toBe(0)
    })

    it.each([
        ['ph-{flag} (2023)', { [`ph-${FLAG}`]: 'true' }],
        ['ph-{flag}-user_interview_popup_shown (2022)', { [`ph-${FLAG}-user_interview_popup_shown`]: 'true' }],
        ['the seen date of the last answer (2023)', { [SEEN]: new Date(Date.now() - 5 * 86400000).toISOString() }],
        ['the last answer date (2022)', { user_interview_popup_shown: new Date(Date.now() - 5 * 86400000).toISOString() }],
    ])('invites nobody who answered it, by the key %s', async (_, keys) => {
        await context.addInitScript((entries: Record<string, string>) => {
            for (const key in entries) localStorage.setItem(key, entries[key])
        }, keys)
        const page = await openTestPage(context, standIn)
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(standIn.events(APP_EVENT)).toEqual([])
    })
})

describe('focus and keys belong to the visitor', () => {
    it("typing in a focused field goes on while the popup appears; Escape there is the page's; Tab reaches the popup", async () => {
        // Hold posthog-js's flags until the visitor is typing in a field, then let the popup appear mid-typing.
        const { page, release } = await openTestPageHoldingFlags(context, standIn)
        await page.evaluate(() => {
            const field = document.createElement('input')
            field.id = 'message'
            field.setAttribute('aria-label', 'Message')
            document.querySelector('main')!.prepend(field)
            field.focus()
        })
        await page.keyboard.type('Hello ')
        release()
        const typing = page.keyboard.type('there, a half-written message', { delay: 15 })
        await waitForPopup(page)
        await typing
        // By the shown event the popup has had its first paint and its chance at focus.
        await standIn.waitForEvents(EVENTS.shown)
        await page.keyboard.type('!')
        expect(await page.inputValue('#message')).toBe('Hello there, a half-written message!')
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('message')

        await page.keyboard.press('Escape')
        await syncEvents(page, standIn)
        expect(standIn.events(EVENTS.dismissed)).toEqual([])
        expect(await hostElementCount(page)).toBe(1)

        // Reachable: Tab goes on from the field, past the page's own button, into the popup (last in the page).
        await page.keyboard.press('Tab')
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('host-button')
        await page.keyboard.press('Tab')
        expect(await page.evaluate(() => document.querySelector('user-interviewer')?.shadowRoot?.activeElement?.className)).toBe('close')
    })
})

describe('other storage', () => {
    it("stays open when a same-origin frame clears its session storage: only another tab's localStorage answer closes it", async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await page.evaluate(async () => {
            const frame = document.createElement('iframe')
            document.body.appendChild(frame)
            const storage = frame.contentWindow!.sessionStorage
            storage.setItem('host-page-key', '1')
            storage.clear()
            // Storage events are queued as tasks: let them all arrive.
            await new Promise((resolve) => setTimeout(resolve, 100))
        })
        expect(await hostElementCount(page)).toBe(1)
        expect((await windowEvents(page)).map((e) => e.type)).toEqual(['PHUserInterviewBoxOpened'])
        await syncEvents(page, standIn)
        expect(standIn.events(APP_EVENT).map((e) => e.event)).toEqual([EVENTS.shown])
    })
})

describe('where nobody would see it', () => {
    it('stands down on a <frameset> page: nothing shown, nothing counted', async () => {
        const page = await context.newPage()
        await page.route(
            (url) => url.pathname === '/test',
            async (route) => {
                const response = await route.fetch()
                const html = (await response.text()).replace(/<body>[^]*<\/body>/, '<frameset rows="*"><frame src="about:blank"></frameset>')
                await route.fulfill({ response, body: html })
            },
        )
        await page.goto(standIn.testPageUrl())
        expect(await page.evaluate(() => document.body?.nodeName)).toBe('FRAMESET')
        await waitForAppSettled(page)
        expect(await hostElementCount(page)).toBe(0)
        await syncEvents(page, standIn)
        expect(standIn.events(APP_EVENT)).toEqual([])
        expect(await windowEvents(page)).toEqual([])
    })

    it('stands down in a frame laid out at no size (display: none)', async () => {
        const page = await context.newPage()
        await page.setContent(`<iframe style="display:none" src="${standIn.testPageUrl()}"></iframe>`)
        const frame = await (await page.waitForSelector('iframe', { state: 'attached' })).contentFrame()
        await frame!.waitForFunction(
            () => {
                const ph = (window as unknown as { posthog?: { featureFlags?: { hasLoadedFlags?: boolean }; siteApps?: { apps?: Record<string, { loaded?: boolean }> } } }).posthog
                const apps = Object.values(ph?.siteApps?.apps ?? {})
                return !!ph?.featureFlags?.hasLoadedFlags && apps.length > 0 && apps.every((app) => app.loaded)
            },
            undefined,
            { timeout: 10_000, polling: 50 },
        )
        await frame!.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)))
        expect(await frame!.evaluate(() => [innerWidth, document.querySelectorAll('user-interviewer').length])).toEqual([0, 0])
        await frame!.evaluate(() => (window as unknown as { posthog: { capture(n: string): void } }).posthog.capture('frame-sync'))
        await standIn.waitForEvents('frame-sync')
        expect(standIn.events(APP_EVENT)).toEqual([])
    })
})

describe('colours the browser would ignore', () => {
    /** The book button's computed background and text colour. */
    const bookColours = (page: Page) =>
        page.locator('user-interviewer button.book').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color])

    it.each([
        ['dodgerblu', '#12345'],
        ['#1234567', 'rgb(1, 2)'],
        ['rgb(1 2 3 / 4 / 5)', 'hsl(120, 50, 40)'],
    ])('%s on %s: the defaults, and one warning each', async (background, color) => {
        standIn.setSettings({ bookButtonBackground: background, bookButtonColor: color })
        const { page, log } = await openWatchedTestPage(context, standIn)
        await waitForPopup(page)
        expect(await bookColours(page)).toEqual(['rgb(29, 74, 255)', 'rgb(255, 255, 255)'])
        const warnings = log.console.filter((line) => line.includes('[User Interviewer]'))
        expect(warnings).toEqual([
            `warning: [User Interviewer] Setting bookButtonBackground: ignoring "${background}", using #1d4aff.`,
            `warning: [User Interviewer] Setting bookButtonColor: ignoring "${color}", using #ffffff.`,
        ])
    })

    it.each([
        ['DarkGreen', '#fff', 'rgb(0, 100, 0)', 'rgb(255, 255, 255)'],
        ['rgb(10 125 50)', 'rgba(255,255,255,.9)', 'rgb(10, 125, 50)', 'rgba(255, 255, 255, 0.9)'],
        ['hsl(240deg 100% 25%)', '#ffffffff', 'rgb(0, 0, 128)', 'rgb(255, 255, 255)'],
    ])('%s on %s: taken as given', async (background, color, computedBackground, computedColor) => {
        standIn.setSettings({ bookButtonBackground: background, bookButtonColor: color })
        const { page, log } = await openWatchedTestPage(context, standIn)
        await waitForPopup(page)
        expect(await bookColours(page)).toEqual([computedBackground, computedColor])
        expect(log.console.filter((line) => line.includes('[User Interviewer]'))).toEqual([])
    })
})

describe('Book where nothing can open', () => {
    it('in a sandboxed frame without allow-popups: the frame goes to the link, the click captured', async () => {
        const page = await context.newPage()
        await page.setContent(`<iframe sandbox="allow-scripts allow-same-origin" style="width:800px;height:600px" src="${standIn.testPageUrl()}"></iframe>`)
        const frame = (await (await page.waitForSelector('iframe')).contentFrame())!
        await frame.locator('user-interviewer [role="dialog"]').waitFor({ state: 'visible', timeout: 10_000 })
        const tabs = context.pages().length
        await frame.locator('user-interviewer button.book').click()
        const [clicked] = await standIn.waitForEvents(EVENTS.clickedBook)
        expect(clicked.properties.featureFlagName).toBe(FLAG)
        await frame.waitForURL(LINK)
        expect(context.pages()).toHaveLength(tabs)
    })

    it('behind a popup blocker (window.open gives null): this tab goes to the link, the click captured', async () => {
        await context.addInitScript(() => {
            window.open = () => null
        })
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        await popupButton(page, 'book').click()
        await page.waitForURL(LINK)
        const [clicked] = await standIn.waitForEvents(EVENTS.clickedBook)
        expect(clicked.properties.featureFlagName).toBe(FLAG)
        expect(context.pages()).toHaveLength(1)
    })

    it('when the tab opens: a new tab, no opener, this page stays', async () => {
        const page = await openTestPage(context, standIn)
        await waitForPopup(page)
        const address = page.url()
        const [tab] = await Promise.all([context.waitForEvent('page'), popupButton(page, 'book').click()])
        await tab.waitForURL(LINK)
        expect(await tab.evaluate(() => window.opener)).toBeNull()
        expect(page.url()).toBe(address)
        await standIn.waitForEvents(EVENTS.clickedBook)
    })
})
