// Screenshots of the popup for the README: `npm run build && node bench/screenshots.mjs [outdir]` (default docs/).
// The demo's product page (the stand-in's `/`, side panel hidden) with the real posthog-js loading the built app,
// in the system's headless Chromium.
//   popup-desktop.png  1280x800, light
//   popup-dark.png     1280x800, the page darkened, in a light system: theme `auto` follows the page
//   popup-preview.png  1280x800, light: the preview (`?userInterviewPreview=`), with its marker
//   popup-phone.png    390x844 at 2x, light
//   panel-desktop.png  1280x800, light: Book clicked, the booking panel with the stand-in's imitation Calendly page
//   panel-phone.png    390x844 at 2x, light, the same
// To preview a style change before making it in src/ui/styles.ts: POPUP_EXTRA_CSS='.x{...}' node bench/screenshots.mjs .tmp/try
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startStandIn, siteAppBuilt } from '../dev/posthog-standin.mjs'
import { CHROMIUM_ARGS, chromiumPath } from '../dev/chromium.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(root, process.argv[2] ?? 'docs')
const CHROMIUM = chromiumPath() // (fails at once, with what to install, when there is none)

/** The product page alone: the demo's stand-in panel is for developers, not for the README's picture. */
const PRODUCT_ONLY = '.layout{grid-template-columns:minmax(0,1fr)!important}.panel{display:none!important}'
/** The demo page has no dark mode of its own; a dark host page is what a dark popup is seen on. */
const DARK_PAGE = `
body{background:#0d0f14;color:#e5e7eb}
.site-header,.site-footer{background:#13161d;border-color:#262a33}
.brand,.site-header nav a{color:#e5e7eb}
.site-header nav a.cta{border-color:#333845}
.lead,.features p{color:#a9afbb}
.features article{background:#161a22;border-color:#262a33}
.eyebrow{background:#1e2540;color:#c7d2fe}
.btn{background:#161a22;color:#e5e7eb;border-color:#333845}
.btn.primary{background:#1d4aff;border-color:#1d4aff;color:#fff}
.quote p,.site-footer{color:#8b919c}`

const SHOTS = [
    { file: 'popup-desktop.png', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
    { file: 'popup-dark.png', viewport: { width: 1280, height: 800 }, colorScheme: 'light', css: DARK_PAGE },
    { file: 'popup-preview.png', viewport: { width: 1280, height: 800 }, colorScheme: 'light', query: '?userInterviewPreview=user-interview' },
    { file: 'popup-phone.png', viewport: { width: 390, height: 844 }, colorScheme: 'light', deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    { file: 'panel-desktop.png', viewport: { width: 1280, height: 800 }, colorScheme: 'light', book: true },
    {
        file: 'panel-phone.png',
        viewport: { width: 390, height: 844 },
        colorScheme: 'light',
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        book: true,
    },
]

if (!siteAppBuilt()) {
    console.error('dist/site.ts is missing: run `npm run build` first')
    process.exit(1)
}

const standIn = await startStandIn({
    settings: { interviewConfigs: 'user-interview=https://calendly.com/example-team/30min' },
    flags: { 'user-interview': true },
    log: () => {},
})
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--hide-scrollbars'] })
try {
    await mkdir(outdir, { recursive: true })
    for (const shot of SHOTS) {
        const context = await browser.newContext({
            viewport: shot.viewport,
            deviceScaleFactor: shot.deviceScaleFactor ?? 1,
            isMobile: shot.isMobile ?? false,
            hasTouch: shot.hasTouch ?? false,
            colorScheme: shot.colorScheme,
        })
        // The booking link and any other host stay off the network: Calendly is the stand-in's imitation.
        await context.route((url) => url.hostname !== '127.0.0.1', async (route) => {
            const url = new URL(route.request().url())
            if (url.hostname !== 'calendly.com') return route.fulfill({ status: 204, body: '' })
            const page = await fetch(`${standIn.url}/_standin/booking/calendly${url.pathname}${url.search}`)
            return route.fulfill({ contentType: 'text/html', body: await page.text() })
        })
        const page = await context.newPage()
        // The page's look is there before the app reads it (theme `auto` follows the page it mounts on): after the
        // page's own stylesheets, as the document is parsed, before the flags that show the popup have come back.
        await page.addInitScript((css) => {
            document.addEventListener('DOMContentLoaded', () => {
                const style = document.createElement('style')
                style.textContent = css
                document.head.append(style)
            })
        }, PRODUCT_ONLY + (shot.css ?? ''))
        await page.goto(`${standIn.url}/${shot.query ?? ''}`)
        await page.locator('user-interviewer [role="dialog"]').waitFor({ state: 'visible', timeout: 10_000 })
        if (process.env.POPUP_EXTRA_CSS) {
            await page.evaluate((css) => {
                const root = document.querySelector('user-interviewer')?.shadowRoot
                const sheet = new CSSStyleSheet()
                sheet.replaceSync(css)
                if (root) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
            }, process.env.POPUP_EXTRA_CSS)
        }
        if (shot.book) {
            await page.locator('user-interviewer button.book').click()
            await page.locator('user-interviewer dialog iframe').waitFor({ state: 'visible' })
            await page.waitForFunction(() => document.querySelector('user-interviewer')?.shadowRoot?.querySelector('[role="status"]')?.textContent === '')
            await page.locator('user-interviewer dialog').evaluate((dialog) => dialog.focus()) // (focus on the dialog, not its first control)
        }
        // Fonts and two frames, so the picture is what a visitor sees once it has settled.
        await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))))
        // No focus ring in a picture (a mouse user would not see one either).
        await page.mouse.move(1, 1)
        const path = join(outdir, shot.file)
        await page.screenshot({ path })
        console.log(`wrote ${path} (${shot.viewport.width}x${shot.viewport.height}${shot.deviceScaleFactor ? ` @${shot.deviceScaleFactor}x` : ''}, ${shot.colorScheme})`)
        await context.close()
    }
} finally {
    await browser.close()
    await standIn.close()
}
