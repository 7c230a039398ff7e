// The invitation itself: a non-modal dialog. Stateless: closing it unmounts it.
import { h } from 'preact'
import htm from 'htm'
import type { Settings } from '../settings'
import { PreviewMarker } from './preview'
import { richText } from './rich-text'

const html = /* @__PURE__ */ htm.bind(h)

export type Answer = 'dismiss' | 'book' | 'later'

export type OnAnswer = (answer: Answer) => void

/**
 * A plain function of its arguments (no state, no hooks), called directly rather than as a Preact component.
 * `settings`: the invitation's (src/candidates.ts), with its flag's texts. `theme`: its shade's class on this page
 * (src/ui/theme.ts). `preview`: a team member's preview, marked as one.
 */
export function Popup(settings: Settings, onAnswer: OnAnswer, theme: string, preview: boolean) {
    function dismiss() {
        onAnswer('dismiss')
    }
    // A held key's repeats began before it reached the popup (it was meant for the page): not an answer.
    function onKeyDown(event: KeyboardEvent) {
        if (event.key === 'Escape' && !event.repeat) {
            event.stopPropagation()
            dismiss()
        }
    }
    const style = {
        zIndex: settings.zIndex,
        '--ui-book-background': settings.bookButtonBackground,
        '--ui-book-text': settings.bookButtonColor,
    }
    // The buttons need no type="button": in a shadow root no form can own them, so they never submit anything.
    // The corner close answers as Close does (and Escape): where a visitor looks for it. Last in the tab order, after
    // the answers and the footer's links.
    return html`<div
        class=${`popup ${settings.position} ${theme}`}
        role="dialog"
        aria-labelledby="title"
        aria-describedby="body"
        tabindex="-1"
        style=${style}
        onKeyDown=${onKeyDown}
    >
        ${preview ? PreviewMarker() : null}
        <h2 id="title">${settings.invitationTitle}</h2>
        <div id="body" class="body">${richText(settings.invitationBody)}</div>
        <div class="actions">
            <button class="close" onClick=${dismiss}>${settings.closeButtonText}</button>
            ${settings.remindLaterButtonText
                ? html`<button class="later" onClick=${() => onAnswer('later')}>${settings.remindLaterButtonText}</button>`
                : null}
            <button class="book" onClick=${() => onAnswer('book')}>${settings.bookButtonText}</button>
        </div>
        ${settings.footerHTML ? html`<div class="footer">${richText(settings.footerHTML)}</div>` : null}
        <button class="close-icon" aria-label=${settings.closeButtonText} onClick=${dismiss}>×</button>
    </div>`
}
