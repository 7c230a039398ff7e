// The booking panel: Book turns the popup into this modal dialog, with the booking page in a frame. Stateless, like
// the popup: src/app.ts renders it again for each new status (the frame stays the same element: Preact keeps it).
import { h } from 'preact'
import htm from 'htm'
import type { Settings } from '../settings'

const html = /* @__PURE__ */ htm.bind(h)

export interface PanelView {
    /** The booking page in its frame, and as a new tab opens it. */
    frame: string
    link: string
    /** What the live region says: loading, booked, or nothing once the page is there. */
    status: string
    /** The frame could not be shown (and no tab opened): the link, in its place. */
    failed?: boolean
}

/**
 * A native <dialog>, shown modal by src/ui/mount.ts: the browser keeps focus in it, makes the page behind inert, and
 * turns Escape into `cancel`. `onLoad`: the frame's load event (the only sign of life of a page that posts nothing).
 */
export function Panel(settings: Settings, view: PanelView, onClose: () => void, onLoad: () => void) {
    return html`<dialog class=${`p k ${settings.theme}`} aria-labelledby="t" tabindex="-1" onCancel=${onClose}>
        <div class="h">
            <h2 id="t">${settings.invitationTitle}</h2>
            <a href=${view.link} target="_blank" rel="noopener">${settings.openInNewTabText}</a>
            <button class="close" onClick=${onClose}>${settings.closeButtonText}</button>
        </div>
        <p class="s" role="status">${view.status}</p>
        ${view.failed
            ? html`<a class="o" href=${view.link} target="_blank" rel="noopener">${settings.openInNewTabText}</a>`
            : html`<iframe src=${view.frame} title=${settings.invitationTitle} onLoad=${onLoad}></iframe>`}
    </dialog>`
}
