// How the popup and the booking panel look and behave as designed objects, in Chromium with the real posthog-js:
// a title that leads, a corner close, buttons that pair, the preview marked as one, the panel's header and its booked
// state, and the panel's Escape and focus. (Themes, axe and the phone layout: accessibility.test.ts.)
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
    EVENTS,
    FLAG,
    FORMS,
    hostElementCount,
    openTestPage,
    popupButton,
    routeBookingTools,
    syncEvents,
    useHarness,
    waitForPopup,
    waitUntil,
    type StandIn,
    type TestPageOptions,
} from './browser'

const CALENDLY = 'https://calendly.com/example-team/30min'
const PHONE = { width: 320, height: 640 }
const TALL_PHONE = { width: 390, height: 844 }

let standIn: StandIn
let context: BrowserContext
useHarness(({ standIn: s, context: c }) => {
    standIn = s
    context = c
})

/** Computed styles and the box of the element `selector` finds in the popup's shadow root (null: none). */
function look(page: Page, selector: string) {
    return page.evaluate((selector) => {
        const el = document.querySelector('user-interviewer')?.shadowRoot?.querySelector(selector)
        if (!el) return null
        const style = getComputedStyle(el)
        const box = el.getBoundingClientRect()
        return {
            text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
            fontWeight: Number(style.fontWeight),
            fontSize: parseFloat(style.fontSize),
            height: box.height,
            width: box.width,
            top: box.top,
            left: box.left,
            right: box.right,
            borderRadius: style.borderRadius,
            borderWidth: style.borderTopWidth,
            background: style.backgroundColor,
            paddingLeft: style.paddingLeft,
            paddingRight: style.paddingRight,
            scrollWidth: el.scrollWidth,
            clientWidth: el.clientWidth,
        }
    }, selector)
}

describe.each(FORMS)('the look (%s)', (delivery) => {
    async function openPopup(options: TestPageOptions = {}) {
        const page = await openTestPage(context, standIn, { delivery, ...options })
        await waitForPopup(page)
        return page
    }

    it('the title leads (weight 600, larger than the body); Close and Book are a pair: one height, one shape, one weight', async () => {
        standIn.setSettings({ remindLaterButtonText: 'Later' })
        const page = await openPopup()
        const title = (await look(page, '[role="dialog"] h2'))!
        const body = (await look(page, '.body'))!
        expect(title.fontWeight).toBeGreaterThanOrEqual(600)
        expect(title.fontSize).toBeGreaterThan(body.fontSize)
        const buttons = await Promise.all(['button.close', 'button.later', 'button.book'].map((selector) => look(page, selector)))
        for (const button of buttons) {
            expect(button!.height).toBe(buttons[2]!.height)
            expect(button!.borderRadius).toBe(buttons[2]!.borderRadius)
            expect(button!.fontWeight).toBe(buttons[2]!.fontWeight)
        }
        // Primary and secondary: Book alone has the book colour.
        expect(buttons[2]!.background).toBe('rgb(29, 74, 255)')
        expect(buttons[0]!.background).not.toBe(buttons[2]!.background)
        expect(buttons[0]!.background).toBe(buttons[1]!.background)
    })

    it('a close control in the corner: named by closeButtonText, a touch-sized target, and a dismissal like Close', async () => {
        standIn.setSettings({ closeButtonText: 'No thanks' })
        const page = await openPopup()
        const dialog = (await look(page, '[role="dialog"]'))!
        const corner = (await look(page, 'button.close-icon'))!
        expect(corner.right).toBeGreaterThan(dialog.right - 24)
        expect(corner.top).toBeLessThan(dialog.top + 24)
        expect(corner.width).toBeGreaterThanOrEqual(24)
        expect(corner.height).toBeGreaterThanOrEqual(24)
        // It does not cover the title.
        const title = (await look(page, '[role="dialog"] h2'))!
        expect(title.right).toBeLessThanOrEqual(corner.left)
        await page.getByRole('button', { name: 'No thanks' }).last().click()
        const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
        expect(dismissed.properties.featureFlagName).toBe(FLAG)
        expect(await hostElementCount(page)).toBe(0)
    })

    it('the preview is marked as one, in the popup and in the panel; a live popup has no marker', async () => {
        const appEvents = () => standIn.events().filter((event) => /^User Interview /.test(event.event))
        const live = await openPopup()
        expect(await look(live, '.preview')).toBeNull()
        await syncEvents(live, standIn)
        await live.close()
        const liveEvents = appEvents().length

        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=${CALENDLY}` })
        standIn.setFlags({ [FLAG]: false })
        const page = await openPopup({ query: { userInterviewPreview: FLAG } })
        const marker = (await look(page, '[role="dialog"] .preview'))!
        expect(marker.text).toBe('Preview: nothing is recorded. A booking made here is real.')
        // Above the title, and not under the corner close.
        expect(marker.top).toBeLessThan((await look(page, '[role="dialog"] h2'))!.top)
        expect(marker.right).toBeLessThanOrEqual((await look(page, 'button.close-icon'))!.left)
        await popupButton(page, 'book').click()
        await page.locator('user-interviewer dialog iframe').waitFor({ state: 'visible' })
        expect((await look(page, 'dialog .preview'))!.text).toContain('A booking made here is real.')
        await syncEvents(page, standIn)
        // Nothing recorded: not the preview's display, nor its Book.
        expect(appEvents()).toHaveLength(liveEvents)
    })

    describe('the booking panel', () => {
        async function openPanel(options: TestPageOptions = {}) {
            await routeBookingTools(context, standIn)
            standIn.setSettings({ interviewConfigs: `${FLAG}=${CALENDLY}` })
            const page = await openPopup(options)
            await popupButton(page, 'book').click()
            await page.locator('user-interviewer dialog iframe').waitFor({ state: 'visible' })
            return page
        }

        it('has a symmetric header, "Open in a new tab" as a secondary control beside Close, and a title that fits a phone', async () => {
            const page = await openPanel()
            const header = (await look(page, '.header'))!
            expect(header.paddingLeft).toBe(header.paddingRight)
            const tab = (await look(page, 'a.tab'))!
            const close = (await look(page, 'dialog button.close'))!
            expect(tab.text).toBe('Open in a new tab')
            expect(tab.height).toBe(close.height)
            expect(tab.borderRadius).toBe(close.borderRadius)
            expect(tab.borderWidth).toBe(close.borderWidth)
            expect(tab.background).toBe(close.background)
            expect(tab.fontWeight).toBe(600)
            await page.setViewportSize(PHONE)
            const title = (await look(page, 'dialog h2'))!
            expect(title.scrollWidth).toBeLessThanOrEqual(title.clientWidth)
            expect(title.left).toBeGreaterThanOrEqual(0)
            expect(title.right).toBeLessThanOrEqual(PHONE.width)
            // The title has the header's first line; both controls fit on the next.
            for (const control of [await look(page, 'a.tab'), await look(page, 'dialog button.close')]) {
                expect(control!.top).toBeGreaterThan(title.top)
                expect(control!.right).toBeLessThanOrEqual(PHONE.width)
            }
            // The whole screen of a phone, a tall one too.
            for (const viewport of [PHONE, TALL_PHONE]) {
                await page.setViewportSize(viewport)
                expect(await page.locator('user-interviewer dialog').boundingBox()).toEqual({ x: 0, y: 0, ...viewport })
            }
        })

        it('booked reads as success, over the top of the frame, which does not move: no layout shift from popup to booked', async () => {
            // Every layout shift of the page from its start (the popup, the panel and its status lines included).
            await context.addInitScript(() => {
                const shifts: number[] = ((window as unknown as { shifts: number[] }).shifts = [])
                new PerformanceObserver((list) => {
                    for (const entry of list.getEntries()) shifts.push((entry as unknown as { value: number }).value)
                }).observe({ type: 'layout-shift', buffered: true })
            })
            const page = await openPanel()
            const handle = await page.locator('user-interviewer iframe').elementHandle()
            const frame = (await handle!.contentFrame())!
            await frame.waitForLoadState()
            await waitUntil(async () => (await look(page, '[role="status"]'))!.text === '', { message: 'loading status cleared' })
            const before = (await look(page, 'iframe'))!
            await frame.click('#pick')
            await frame.click('#confirm')
            await standIn.waitForEvents(EVENTS.booked)
            await waitUntil(async () => (await look(page, '[role="status"]'))!.text !== '', { message: 'booked status shown' })
            const status = (await look(page, '[role="status"]'))!
            expect(status.text).toBe("You're booked. Thank you!")
            expect(status.fontWeight).toBe(600)
            expect(status.background).toBe('rgb(229, 245, 234)')
            const after = (await look(page, 'iframe'))!
            expect({ top: after.top, left: after.left, width: after.width, height: after.height }).toEqual({
                top: before.top,
                left: before.left,
                width: before.width,
                height: before.height,
            })
            // It lies over the frame's top edge.
            expect(status.top).toBe(before.top)
            expect(await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts)).toEqual([])
        })

        /** The test page with a field of its own, and its own keydown listeners noting each key they get. */
        async function pageWithField(): Promise<Page> {
            await routeBookingTools(context, standIn)
            standIn.setSettings({ interviewConfigs: `${FLAG}=${CALENDLY}` })
            const page = await context.newPage()
            await page.addInitScript(() => {
                const keys: string[] = ((window as unknown as { pageKeys: string[] }).pageKeys = [])
                const note = (event: KeyboardEvent) => keys.push(event.key)
                document.addEventListener('keydown', note)
                window.addEventListener('keydown', note)
                document.addEventListener('DOMContentLoaded', () => document.body.insertAdjacentHTML('afterbegin', '<input id="visitor-field">'))
            })
            await page.goto(standIn.testPageUrl({ delivery }))
            await waitForPopup(page)
            return page
        }
        const pageKeys = (page: Page) => page.evaluate(() => (window as unknown as { pageKeys: string[] }).pageKeys)
        const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null)

        it.each(['Escape', 'Close'] as const)("%s closes it; the page's own key handlers never see the panel's keys, and focus goes back where the visitor was", async (how) => {
            const page = await pageWithField()
            // The visitor was in the page's field, then used the popup.
            await page.locator('#visitor-field').focus()
            await popupButton(page, 'book').click()
            await page.locator('user-interviewer dialog iframe').waitFor({ state: 'visible' })
            expect(await focusedId(page)).not.toBe('visitor-field')
            if (how === 'Escape') await page.keyboard.press('Escape')
            else await page.locator('user-interviewer dialog button.close').click()
            await waitUntil(async () => (await hostElementCount(page)) === 0, { message: 'panel closed' })
            expect(await pageKeys(page)).toEqual([])
            expect(await focusedId(page)).toBe('visitor-field')
            // The page's keys are the page's again.
            await page.keyboard.press('Escape')
            expect(await pageKeys(page)).toEqual(['Escape', 'Escape'])
        })
    })
})
