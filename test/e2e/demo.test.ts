// The demo (`npm start`, dev/server.mjs and dev/public/demo*), in Chromium with the real posthog-js: its panel shows
// what the product does. Identified as visitor@example.com, an answer puts the seen properties on the person and the
// flag turns off for them, also on another device; the events show their properties, the booking's tool and id too.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startDemo } from '../../dev/server.mjs'
import { EVENTS, SEEN, ensureBuilt, hostElementCount, launchBrowser, newContext, popupButton, waitForAppSettled, waitForPopup, type StandIn } from './browser'

const FLAG = 'user-interview'
const EMAIL = 'visitor@example.com'

let demo: StandIn
let browser: Browser
let context: BrowserContext

beforeAll(async () => {
    await ensureBuilt()
    ;[demo, browser] = await Promise.all([startDemo({ port: 0, log: () => {} }), launchBrowser()])
})
afterAll(async () => {
    await Promise.all([browser?.close(), demo?.close()])
})
beforeEach(async () => {
    context = await newContext(browser)
})
afterEach(async () => {
    await context?.close()
})

const text = (page: Page, selector: string) => page.locator(selector).innerText()

async function openDemo(): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${demo.url}/`)
    return page
}

async function identify(page: Page) {
    await page.fill('#identify-as', EMAIL)
    await page.click('#identify button[type="submit"]')
    await page.locator('#user-state', { hasText: 'identified' }).waitFor()
}

describe('the demo', () => {
    it("identify, answer: the person's seen property is shown and the flag is off for them, on another device too", async () => {
        const page = await openDemo()
        await waitForPopup(page)
        expect(await text(page, '#user-state')).toBe('anonymous')
        expect(await text(page, '#person-flags')).toContain(`${FLAG} on`)
        await identify(page)
        expect(await text(page, '#distinct-id')).toBe(EMAIL)

        await popupButton(page, 'close').click()
        await page.locator('#person .seen dt', { hasText: `${SEEN} - ${FLAG}` }).waitFor()
        await page.locator('#person-flags', { hasText: `${FLAG} off` }).waitFor()
        const dismissed = page.locator('#events li.app', { hasText: EVENTS.dismissed })
        expect(await dismissed.innerText()).toContain(`featureFlagName\n${FLAG}`)
        expect(await dismissed.innerText()).toContain(`$set ${SEEN} - ${FLAG}`)

        // Another device: this browser forgotten, the page opened as the same person, identified from the start.
        await page.click('#other-device')
        await page.waitForURL(`${demo.url}/`)
        await waitForAppSettled(page)
        await page.locator('#distinct-id', { hasText: EMAIL }).waitFor()
        await page.locator('#person-flags', { hasText: `${FLAG} off` }).waitFor()
        expect(await text(page, '#user-state')).toBe('identified')
        expect(await hostElementCount(page)).toBe(0)
    })

    it("a booking in the panel: the booked event shows the booking's tool and id, unbroken", async () => {
        const page = await openDemo()
        await waitForPopup(page)
        await popupButton(page, 'book').click()
        const frame = page.frameLocator('user-interviewer iframe')
        await frame.locator('#confirm').click()
        const [booked] = await demo.waitForEvents(EVENTS.booked)
        const item = page.locator('#events li.app', { hasText: EVENTS.booked })
        await item.waitFor()
        const shown = await item.innerText()
        expect(shown).toContain(`bookingTool\n${booked!.properties.bookingTool}`)
        expect(String(booked!.properties.bookingId)).not.toBe('')
        expect(shown).toContain(`bookingId\n${booked!.properties.bookingId}`)
        // Read as a whole: the id is on one line, never cut mid-word by the panel's width.
        const idLines = await item.locator('dd', { hasText: String(booked!.properties.bookingId) }).evaluate((dd) => {
            const range = document.createRange()
            range.selectNodeContents(dd)
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
        })
        expect(idLines).toBe(1)
    })
})
