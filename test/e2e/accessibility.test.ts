// "An accessible, polished popup": the built app, loaded by the real posthog-js from the stand-in, in headless
// Chromium. axe-core audits the popup inside its open shadow root; the rest drives it the way a keyboard, a phone or a
// reduced-motion user would, and asserts on what the stand-in received.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { AxeResults } from 'axe-core'
import type { BrowserContext, Page } from 'playwright-core'
import {
    EVENTS,
    hostElementCount,
    openWatchedTestPage,
    waitForAppSettled,
    waitForPopup,
    type StandIn,
    FLAG,
    LINK,
    useHarness,
    openTestPageHoldingFlags,
    popupButton,
    routeBookingTools,
} from './browser'

const require = createRequire(import.meta.url)
const AXE_PATH = require.resolve('axe-core/axe.min.js')

const TITLE = 'Help us improve!'
const FOOTER = 'Questions? <a href="https://example.com/faq">Read the FAQ</a>'
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 320, height: 640 }
/** The popup's margin from the viewport edges (styles.ts). */
const EDGE = 16

let standIn: StandIn
let context: BrowserContext
useHarness((harness) => ({ standIn, context } = harness))


const dialogLocator = (page: Page) => page.locator('user-interviewer [role="dialog"]')

interface PopupPageOptions {
    viewport?: { width: number; height: number }
    /** The visitor's system setting, from the start. */
    colorScheme?: 'light' | 'dark'
    /** Markup the test page's <head> gets first: a <style> or a <meta>. */
    head?: string
}

/** Opens the test page and waits for the popup (it has no entrance animation: it is all there at once). */
async function openPopup(options: PopupPageOptions = {}): Promise<Page> {
    const page = await context.newPage()
    if (options.viewport) await page.setViewportSize(options.viewport)
    if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme })
    // (added as the parser makes <head>, before the page renders or the app reads it)
    if (options.head)
        await page.addInitScript((markup) => {
            new MutationObserver((_, observer) => {
                if (!document.head) return
                document.head.insertAdjacentHTML('afterbegin', markup)
                observer.disconnect()
            }).observe(document, { childList: true, subtree: true })
        }, options.head)
    await page.goto(standIn.testPageUrl())
    await waitForPopup(page)
    return page
}

interface AxeSummary {
    violations: { id: string; impact: string | null | undefined; help: string; nodes: { target: unknown; summary?: string }[] }[]
    passes: { id: string; targets: unknown[] }[]
}

/** axe-core on the popup's host element, which axe walks into (open shadow roots are part of its flattened tree). */
async function axeAudit(page: Page): Promise<AxeSummary> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH })
    return page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<AxeResults> } }).axe
        const host = document.querySelector('user-interviewer')
        if (!host) throw new Error('no popup host')
        // Every rule axe runs by default (WCAG 2.x A/AA and best practices), plus WCAG 2.2's target size.
        const results = await axe.run(host, { resultTypes: ['violations', 'passes'], rules: { 'target-size': { enabled: true } } })
        return {
            violations: results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
            })),
            passes: results.passes.map((p) => ({ id: p.id, targets: p.nodes.map((n) => n.target) })),
        }
    })
}

/** A target axe gives for a node inside a shadow root: `[["host selector", "selector in the shadow root"]]`. */
const inShadow = (target: unknown) => Array.isArray(target) && target.some((part) => Array.isArray(part) && part.length === 2)

function expectCleanAudit(result: AxeSummary, label: string) {
    expect(result.violations, `${label}: ${JSON.stringify(result.violations, null, 1)}`).toEqual([])
    // It really looked inside the shadow root: the popup's buttons and texts were checked, and passed.
    const passed = (id: string) => (result.passes.find((p) => p.id === id)?.targets ?? []).filter(inShadow)
    expect(passed('button-name').length, label).toBeGreaterThanOrEqual(2)
    expect(passed('color-contrast').length, label).toBeGreaterThanOrEqual(3)
    expect(passed('aria-dialog-name').length, label).toBe(1)
    expect(passed('target-size').length, label).toBeGreaterThanOrEqual(2)
}

async function dialogBox(page: Page) {
    const box = await dialogLocator(page).boundingBox()
    if (!box) throw new Error('dialog has no box')
    return box
}

async function expectPlaced(page: Page, position: string, viewport: { width: number; height: number }) {
    const box = await dialogBox(page)
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height)
    if (position === 'center') {
        expect(Math.abs(box.x + box.width / 2 - viewport.width / 2)).toBeLessThanOrEqual(1)
        expect(Math.abs(box.y + box.height / 2 - viewport.height / 2)).toBeLessThanOrEqual(1)
        return
    }
    expect(Math.abs(box.y + box.height - (viewport.height - EDGE))).toBeLessThanOrEqual(1)
    if (position === 'bottom-right') expect(Math.abs(box.x + box.width - (viewport.width - EDGE))).toBeLessThanOrEqual(1)
    else expect(Math.abs(box.x - EDGE)).toBeLessThanOrEqual(1)
}

const LIGHT_BACKGROUND = 'rgb(255, 255, 255)'
const DARK_BACKGROUND = 'rgb(31, 33, 39)'

/** The popup's background: which of its two shades it took. */
const popupBackground = (page: Page) => dialogLocator(page).evaluate((el) => getComputedStyle(el).backgroundColor)

describe.each(['bottom-right', 'bottom-left', 'center'] as const)('axe-core finds no violation, %s', (position) => {
    it.each(['auto', 'system', 'light', 'dark'] as const)('theme %s, desktop and 320 px phone', async (theme) => {
        standIn.setSettings({ position, theme, footerHTML: FOOTER })
        // The shade is chosen as the popup mounts: `system` by the system setting of that moment.
        if (theme === 'system') return expectCleanSystemTheme(position)
        const page = await openPopup()
        // `auto` under both system settings: on this plain page (no background, no color-scheme: the browser's white)
        // it is light under either. A fixed theme under the opposite one (where it matters).
        const schemes = theme === 'light' ? (['dark'] as const) : theme === 'dark' ? (['light'] as const) : (['light', 'dark'] as const)
        for (const colorScheme of schemes) {
            await page.emulateMedia({ colorScheme })
            for (const viewport of [DESKTOP, PHONE]) {
                await page.setViewportSize(viewport)
                await expectPlaced(page, position, viewport)
                expect(await popupBackground(page), `${theme} theme, ${colorScheme} system`).toBe(theme === 'dark' ? DARK_BACKGROUND : LIGHT_BACKGROUND)
                expectCleanAudit(await axeAudit(page), `${position}, theme ${theme}, ${colorScheme} system, ${viewport.width}px`)
            }
        }
    })
})

/** `theme: system`, in a light system and in a dark one: the popup follows it. */
async function expectCleanSystemTheme(position: string) {
    for (const colorScheme of ['light', 'dark'] as const) {
        const page = await openPopup({ colorScheme })
        for (const viewport of [DESKTOP, PHONE]) {
            await page.setViewportSize(viewport)
            await expectPlaced(page, position, viewport)
            expect(await popupBackground(page), `system theme, ${colorScheme} system`).toBe(colorScheme === 'dark' ? DARK_BACKGROUND : LIGHT_BACKGROUND)
            expectCleanAudit(await axeAudit(page), `${position}, theme system, ${colorScheme} system, ${viewport.width}px`)
        }
    }
}

describe('theme auto follows the page the popup is on', () => {
    const popupOn = (head: string, colorScheme: 'light' | 'dark') => openPopup({ head, colorScheme })

    it.each([
        ['a dark background', '<style>body{background:#121418;color:#e8e8e8}</style>', 'light', DARK_BACKGROUND],
        ["a dark background on the root, a body of the page's own", '<style>html{background:#000;color:#fff}</style>', 'light', DARK_BACKGROUND],
        ['a light background', '<style>body{background:#f7f7f5;color:#222}</style>', 'dark', LIGHT_BACKGROUND],
        ['no background and no color-scheme (the browser\'s white)', '', 'dark', LIGHT_BACKGROUND],
        ['color-scheme: dark in its CSS', '<style>:root{color-scheme:dark}</style>', 'light', DARK_BACKGROUND],
        ['<meta name="color-scheme" content="dark">', '<meta name="color-scheme" content="dark">', 'light', DARK_BACKGROUND],
        ['<meta name="color-scheme" content="light"> in a dark system', '<meta name="color-scheme" content="light">', 'dark', LIGHT_BACKGROUND],
        ['color-scheme: light dark, in a dark system (it follows the system, as the page does)', '<style>:root{color-scheme:light dark}</style>', 'dark', DARK_BACKGROUND],
        ['color-scheme: light dark, in a light system', '<style>:root{color-scheme:light dark}</style>', 'light', LIGHT_BACKGROUND],
    ] as const)('a page with %s', async (_, head, system, expected) => {
        standIn.setSettings({ theme: 'auto', footerHTML: FOOTER })
        const page = await popupOn(head, system)
        expect(await popupBackground(page)).toBe(expected)
        expectCleanAudit(await axeAudit(page), `theme auto on a page with ${head || 'nothing'}, ${system} system`)
    })

    it('light and dark still fix the shade, whatever the page', async () => {
        standIn.setSettings({ theme: 'light' })
        expect(await popupBackground(await popupOn('<style>body{background:#121418;color:#e8e8e8}</style>', 'dark'))).toBe(LIGHT_BACKGROUND)
        standIn.setSettings({ theme: 'dark' })
        expect(await popupBackground(await popupOn('<style>body{background:#fff}</style>', 'light'))).toBe(DARK_BACKGROUND)
    })
})

describe('semantics and focus', () => {
    it('is a dialog named by its title, with real buttons named by their texts', async () => {
        standIn.setSettings({ footerHTML: FOOTER })
        const page = await openPopup()
        const dialog = page.getByRole('dialog', { name: TITLE, exact: true })
        expect(await dialog.count()).toBe(1)
        expect(await dialog.getByRole('heading', { name: TITLE, exact: true }).count()).toBe(1)
        // Close is a text button (closeButtonText), so its label is what everyone sees; the corner's × is named by the
        // same text.
        const closes = dialog.getByRole('button', { name: 'Close', exact: true })
        expect(await closes.evaluateAll((buttons) => buttons.map((b) => `${b.className}:${b.textContent}`))).toEqual(['close:Close', 'close-icon:×'])
        expect(await dialog.getByRole('button', { name: 'Book now', exact: true }).getAttribute('class')).toBe('book')
        // Everything clickable is a native <button> (keyboard and assistive tech for free) that no form owns, so none
        // can submit anything: in a shadow root, no form of the page can reach them.
        const controls = await dialogLocator(page).evaluate((el) =>
            [...el.querySelectorAll('[role="button"], [onclick], button')].map((c) => `${c.tagName}:${(c as HTMLButtonElement).form}`),
        )
        expect(controls).toEqual(['BUTTON:null', 'BUTTON:null', 'BUTTON:null'])
        // The accessibility tree Chromium exposes.
        const tree = await dialog.ariaSnapshot()
        expect(tree).toContain(`dialog "${TITLE}"`)
        expect(tree).toContain(`heading "${TITLE}" [level=2]`)
        expect(tree).toMatch(/link "Read the FAQ"/)
        expect(tree.match(/button "Close"/g)).toHaveLength(2)
        // Not a modal: the page stays usable, so no aria-modal and no focus trap.
        expect(await dialogLocator(page).getAttribute('aria-modal')).toBeNull()
    })

    it('takes focus when it appears and nothing else has it, without scrolling the page', async () => {
        // Hold posthog-js's flags request until the page is tall and scrolled, then let the popup appear.
        const { page, release } = await openTestPageHoldingFlags(context, standIn)
        await page.evaluate(() => {
            const tall = document.createElement('div')
            tall.style.height = '5000px'
            document.body.appendChild(tall)
            window.scrollTo(0, 1500)
            // Nothing has focus (an element the visitor uses keeps it: see visitor-and-page.test.ts).
            ;(document.activeElement as HTMLElement | null)?.blur()
        })
        expect(await page.evaluate(() => window.scrollY)).toBe(1500)
        expect(await hostElementCount(page)).toBe(0)
        release()
        await waitForPopup(page)
        // Focus moves right after the popup's first paint (moving it sooner would hold that paint up).
        await page.waitForFunction(() => document.activeElement === document.querySelector('user-interviewer'), undefined, { timeout: 2000 })
        const focus = await page.evaluate(() => {
            const host = document.querySelector('user-interviewer')
            const inner = host?.shadowRoot?.activeElement
            return {
                hostIsActive: document.activeElement === host,
                innerRole: inner?.getAttribute('role'),
                scrollY: window.scrollY,
            }
        })
        expect(focus).toEqual({ hostIsActive: true, innerRole: 'dialog', scrollY: 1500 })
    })
})

/** What has keyboard focus inside the popup, and whether it shows a visible focus ring; null when focus left it. */
async function focusedControl(page: Page) {
    return page.evaluate(() => {
        const host = document.querySelector('user-interviewer')
        if (!host || document.activeElement !== host) return null
        const el = host.shadowRoot?.activeElement
        if (!el) return null
        const style = getComputedStyle(el)
        return {
            name: ((el.tagName === 'BUTTON' && el.className) || el.getAttribute('role')) ?? `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim()}`,
            focusVisible: el.matches(':focus-visible'),
            outlineStyle: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth),
        }
    })
}

describe('keyboard only', () => {
    it('Tab walks Close, Book, the footer link, then the corner close, each with a visible focus ring; focus is not trapped', async () => {
        standIn.setSettings({ footerHTML: FOOTER })
        const page = await openPopup()
        expect((await focusedControl(page))?.name).toBe('dialog')
        const order: string[] = []
        for (let i = 0; i < 4; i++) {
            await page.keyboard.press('Tab')
            const focused = await focusedControl(page)
            expect(focused, `Tab ${i + 1}`).not.toBeNull()
            order.push(focused!.name)
            expect(focused!.focusVisible, focused!.name).toBe(true)
            expect(focused!.outlineStyle, focused!.name).not.toBe('none')
            expect(focused!.outlineWidth, focused!.name).toBeGreaterThanOrEqual(2)
        }
        expect(order).toEqual(['close', 'book', 'a:Read the FAQ', 'close-icon'])
        // The title is not a tab stop, and a non-modal dialog lets focus move on to the page.
        await page.keyboard.press('Tab')
        expect(await focusedControl(page)).toBeNull()
        expect(await hostElementCount(page)).toBe(1)
    })

    it.each(['Enter', 'Space'] as const)('%s on Close dismisses', async (key) => {
        const page = await openPopup()
        await page.keyboard.press('Tab')
        expect((await focusedControl(page))?.name).toBe('close')
        await page.keyboard.press(key)
        const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
        expect(dismissed.properties.featureFlagName).toBe(FLAG)
        expect(await hostElementCount(page)).toBe(0)
    })

    it('Escape dismisses', async () => {
        const page = await openPopup()
        await page.keyboard.press('Escape')
        const [dismissed] = await standIn.waitForEvents(EVENTS.dismissed)
        expect(dismissed.properties.featureFlagName).toBe(FLAG)
        expect(await hostElementCount(page)).toBe(0)
    })

    it('Enter on Book opens the booking link in a new tab', async () => {
        const page = await openPopup()
        await page.keyboard.press('Tab')
        await page.keyboard.press('Tab')
        expect((await focusedControl(page))?.name).toBe('book')
        const [tab] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')])
        await tab.waitForURL((url) => url.href !== 'about:blank')
        expect(tab.url()).toBe(LINK)
        const [clicked] = await standIn.waitForEvents(EVENTS.clickedBook)
        expect(clicked.properties.featureFlagName).toBe(FLAG)
        expect(await hostElementCount(page)).toBe(0)
    })
})

describe('contrast, motion, small screens', () => {
    it("leaves low-contrast book button colours to npm run deploy's check: nothing on the visitor's console", async () => {
        standIn.setSettings({ bookButtonBackground: '#ffff00', bookButtonColor: '#ffffff' })
        const { page, log } = await openWatchedTestPage(context, standIn)
        await waitForPopup(page)
        await waitForAppSettled(page)
        expect(log.console.filter((line) => line.includes('[User Interviewer]'))).toEqual([])
        expect(log.errors).toEqual([])
    })

    it('does not move: no entrance animation or transition, whatever the motion preference; all there in its first frame', async () => {
        for (const reducedMotion of ['no-preference', 'reduce'] as const) {
            const page = await context.newPage()
            await page.emulateMedia({ reducedMotion })
            await page.goto(standIn.testPageUrl())
            await waitForPopup(page)
            const motion = await page.evaluate(() => {
                const root = document.querySelector('user-interviewer')!.shadowRoot!
                const dialog = root.querySelector('[role="dialog"]')!
                const style = getComputedStyle(dialog)
                return { animations: root.getAnimations().length, animationName: style.animationName, opacity: style.opacity }
            })
            expect(motion, reducedMotion).toEqual({ animations: 0, animationName: 'none', opacity: '1' })
            await page.close()
        }
    })

    it('fits a 320 px phone: no horizontal scrolling, inside the viewport, touch-sized buttons', async () => {
        standIn.setSettings({ footerHTML: FOOTER })
        const page = await openPopup({ viewport: PHONE })
        const layout = await page.evaluate(() => ({
            pageScrollWidth: document.documentElement.scrollWidth,
            dialogOverflowX: (() => {
                const d = document.querySelector('user-interviewer')?.shadowRoot?.querySelector('[role="dialog"]')
                return d ? d.scrollWidth - d.clientWidth : -1
            })(),
        }))
        expect(layout.pageScrollWidth).toBeLessThanOrEqual(PHONE.width)
        expect(layout.dialogOverflowX).toBe(0)
        await expectPlaced(page, 'bottom-right', PHONE)
        const box = await dialogBox(page)
        expect(box.width).toBeGreaterThanOrEqual(PHONE.width - 2 * EDGE - 1)
        const buttons = await dialogLocator(page).evaluate((el) =>
            [...el.querySelectorAll('button')].map((b) => {
                const r = b.getBoundingClientRect()
                return { action: b.className, width: r.width, height: r.height, left: r.left, right: r.right }
            }),
        )
        expect(buttons.map((b) => b.action)).toEqual(['close', 'book', 'close-icon'])
        for (const b of buttons) {
            // 40 px: a comfortable touch target (WCAG 2.2 AA's minimum is 24 px).
            expect(b.height, `${b.action} height`).toBeGreaterThanOrEqual(40)
            expect(b.width, `${b.action} width`).toBeGreaterThanOrEqual(40)
            expect(b.left, b.action ?? '').toBeGreaterThanOrEqual(0)
            expect(b.right, b.action ?? '').toBeLessThanOrEqual(PHONE.width)
        }
    })
})

describe('the booking panel', () => {
    /** The test page at `viewport`, Book clicked on a Calendly link: the panel up, its page loaded. */
    async function openPanel(viewport: { width: number; height: number }): Promise<Page> {
        await routeBookingTools(context, standIn)
        standIn.setSettings({ interviewConfigs: `${FLAG}=https://calendly.com/example-team/30min` })
        const page = await openPopup({ viewport })
        await popupButton(page, 'book').click()
        await page.locator('user-interviewer dialog iframe').waitFor({ state: 'visible' })
        await page.waitForFunction(() => document.querySelector('user-interviewer')?.shadowRoot?.querySelector('[role="status"]')?.textContent === '')
        return page
    }

    it.each(['light', 'dark'] as const)('axe-core finds no violation, %s, on a desktop (centred, room for a calendar) and a 320 px phone (the whole screen)', async (colorScheme) => {
        for (const viewport of [DESKTOP, PHONE]) {
            const page = await openPanel(viewport)
            await page.emulateMedia({ colorScheme })
            const box = (await page.locator('user-interviewer dialog').boundingBox())!
            if (viewport === DESKTOP) {
                expect(box.width).toBeGreaterThanOrEqual(900)
                expect(box.height).toBeGreaterThanOrEqual(700)
                expect(Math.abs(box.x + box.width / 2 - viewport.width / 2)).toBeLessThanOrEqual(1)
                expect(Math.abs(box.y + box.height / 2 - viewport.height / 2)).toBeLessThanOrEqual(1)
            } else expect(box).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height })
            // Light in either: the booking pages it frames are white.
            const background = await page.locator('user-interviewer dialog').evaluate((el) => getComputedStyle(el).backgroundColor)
            expect(background).toBe(LIGHT_BACKGROUND)
            const result = await axeAudit(page)
            const label = `panel, ${colorScheme}, ${viewport.width}px`
            expect(result.violations, `${label}: ${JSON.stringify(result.violations, null, 1)}`).toEqual([])
            const passed = (id: string) => (result.passes.find((p) => p.id === id)?.targets ?? []).filter(inShadow)
            // (axe names only role="dialog" elements; the native <dialog>'s name is checked in the test below)
            expect(passed('frame-title').length, label).toBe(1)
            expect(passed('button-name').length, label).toBe(1)
            // (the new-tab link is a secondary control in the header, styled as a button)
            expect(passed('link-name').length, label).toBe(1)
            expect(passed('color-contrast').length, label).toBeGreaterThanOrEqual(3)
            // (Book was an answer: forget it, for the next viewport's popup)
            await page.evaluate(() => localStorage.clear())
            await page.close()
        }
    })

    it('is a modal dialog named by the title, that takes focus and keeps it: Tab cycles inside it', async () => {
        const page = await openPanel(DESKTOP)
        const dialog = page.getByRole('dialog', { name: TITLE, exact: true })
        expect(await dialog.count()).toBe(1)
        const tree = await dialog.ariaSnapshot()
        expect(tree).toContain(`heading "${TITLE}" [level=2]`)
        expect(tree).toMatch(/link "Open in a new tab"/)
        expect(tree).toMatch(/button "Close"/)
        // showModal(): the page behind is inert and focus starts on the dialog.
        expect(await page.locator('user-interviewer dialog').evaluate((el) => el.matches(':modal') && el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
        // Focus moving into the booking frame (another process) reaches this page's activeElement a moment after the key
        // press returns: each check waits up to a second for focus to be inside, and fails if it never is.
        const inside = () =>
            page
                .waitForFunction(
                    () => {
                        const root = document.querySelector('user-interviewer')?.shadowRoot
                        return document.activeElement?.tagName === 'USER-INTERVIEWER' && !!root?.querySelector('dialog')?.contains(root.activeElement)
                    },
                    undefined,
                    { timeout: 1000 },
                )
                .then(
                    () => true,
                    () => false,
                )
        for (let i = 0; i < 6; i++) {
            await page.keyboard.press('Tab')
            expect(await inside(), `after ${i + 1} Tab`).toBe(true)
        }
    })
})
