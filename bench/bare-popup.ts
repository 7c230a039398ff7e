// The floor, for `npm run bench` only (not shipped): this app's popup with none of the app. The same markup (default
// texts and settings) and the same stylesheet, in the same shadow host, set with innerHTML inside the flags callback:
// no settings, no choice, no sanitiser, no Preact, no focus, no events. Its flags-to-paint time is what putting this
// popup on the page costs in the bench's browser (style, layout, a font, paint), whatever renders it.
import { DEFAULTS as T } from '../src/settings-fields'
import { POPUP_CSS } from '../src/ui/styles'

const FLAG = 'user-interview'

interface PosthogLike {
    onFeatureFlags(callback: (flags: string[]) => void): unknown
}

export function inject({ posthog, callback }: { posthog: PosthogLike; callback?: (ok: boolean) => void }) {
    let shown = false
    posthog.onFeatureFlags((flags) => {
        if (shown || flags.indexOf(FLAG) < 0) return
        shown = true
        const host = document.createElement('user-interviewer')
        const root = host.attachShadow({ mode: 'open' })
        const sheet = new CSSStyleSheet()
        sheet.replaceSync(POPUP_CSS)
        root.adoptedStyleSheets = [sheet]
        // The default texts are constants of this repository, not input: no escaping needed here.
        root.innerHTML =
            `<div class="popup bottom-right" role="dialog" aria-labelledby="title" aria-describedby="body" tabindex="-1" ` +
            `style="z-index:999999;--ui-book-background:${T.bookButtonBackground};--ui-book-text:${T.bookButtonColor}">` +
            `<h2 id="title">${T.invitationTitle}</h2><div id="body" class="body">${T.invitationBody}</div>` +
            `<div class="actions"><button class="close">${T.closeButtonText}</button><button class="book">${T.bookButtonText}</button></div>` +
            `<button class="close-icon" aria-label="${T.closeButtonText}">×</button></div>`
        document.body.appendChild(host)
    })
    if (callback) callback(true)
}
