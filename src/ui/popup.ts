// The invitation itself: a non-modal dialog. Stateless: closing it unmounts it.
import { h } from 'preact'
import htm from 'htm'
import type { Settings } from '../settings'
import { richText } from './rich-text'

const html = /* @__PURE__ */ htm.bind(h)

export type Answer = 'dismiss' | 'book' | 'later'

export type OnAnswer = (answer: Answer) => void

/**
 * A plain function of its arguments (no state, no hooks), called directly rather than as a Preact component.
 * `settings`: the invitation's (src/candidates.ts), with its flag's texts.
 */
export function Popup(settings: Settings, onAnswer: OnAnswer) {
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
        '--bb': settings.bookButtonBackground,
        '--bc': settings.bookButtonColor,
    }
    // The buttons need no type="button": in a shadow root no form can own them, so they never submit anything.
    return html`<div
        class=${`p ${settings.position} ${settings.theme}`}
        role="dialog"
        aria-labelledby="t"
        aria-describedby="d"
        tabindex="-1"
        style=${style}
        onKeyDown=${onKeyDown}
    >
        <h2 id="t">${settings.invitationTitle}</h2>
        <div id="d" class="b">${richText(settings.invitationBody)}</div>
        <div class="a">
            <button class="close" onClick=${dismiss}>${settings.closeButtonText}</button>
            ${settings.remindLaterButtonText
                ? html`<button class="later" onClick=${() => onAnswer('later')}>${settings.remindLaterButtonText}</button>`
                : null}
            <button class="book" onClick=${() => onAnswer('book')}>
                ${settings.bookButtonText}
            </button>
        </div>
        ${settings.footerHTML ? html`<div class="f">${richText(settings.footerHTML)}</div>` : null}
    </div>`
}
