// The booking panel: Book turns the popup into this modal dialog, with the booking page in a frame. Stateless, like
// the popup: src/booking-panel.ts renders it again for each new status (the frame stays the same element: Preact
// keeps it).
import { h } from 'preact'
import htm from 'htm'
import type { Settings } from '../settings'
import { PreviewMarker } from './preview'

const html = /* @__PURE__ */ htm.bind(h)

export interface PanelView {
    /** The booking page in its frame, and as a new tab opens it. */
    frame: string
    link: string
    /** What the live region says: loading, booked, or nothing once the page is there. */
    status: string
    /** The page said the visitor booked: the status reads as success. */
    booked?: boolean
    /** The frame could not be shown (and no tab opened): the link, in its place. */
    failed?: boolean
}

/**
 * A native <dialog>, shown modal by src/ui/mount.ts: the browser keeps focus in it, makes the page behind inert, and
 * turns Escape into `cancel` (whose keydown stops here, as the popup's does: the page's own Escape handlers never see
 * it). `onLoad`: the frame's load event (the only sign of life of a page that posts nothing). Always light: the
 * booking pages are.
 */
export function Panel(settings: Settings, view: PanelView, onClose: () => void, onLoad: () => void, preview: boolean) {
    return html`<dialog
        class="popup panel"
        aria-labelledby="title"
        tabindex="-1"
        onCancel=${onClose}
        onKeyDown=${(event: KeyboardEvent) => event.key === 'Escape' && event.stopPropagation()}
    >
        <div class="header">
            <h2 id="title">${settings.invitationTitle}</h2>
            <a class="tab" href=${view.link} target="_blank" rel="noopener">${settings.openInNewTabText}</a>
            <button class="close" onClick=${onClose}>${settings.closeButtonText}</button>
        </div>
        ${preview ? PreviewMarker() : null}
        ${view.failed
            ? html`<a class="fallback" href=${view.link} target="_blank" rel="noopener">${settings.openInNewTabText}</a>`
            : html`<iframe src=${view.frame} title=${settings.invitationTitle} onLoad=${onLoad}></iframe>`}
        <p class=${view.booked ? 'status booked' : 'status'} role="status">${view.status}</p>
    </dialog>`
}
