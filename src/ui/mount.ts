// Puts the popup on the page inside an open shadow root, shows it again as a new view (the booking panel), and takes
// it off again without a trace.
import { render, type ComponentChild } from 'preact'
import { POPUP_CSS } from './styles'

/** A custom element name, so no host-page rule for `div` or the like matches the host. */
const HOST_TAG = 'user-interviewer'

export interface MountedPopup {
    /** Renders `view` in place of what is shown (a <dialog> view is shown modal, and takes focus). */
    show(view: ComponentChild): void
    /** Moves keyboard focus to the dialog, without scrolling the page, unless the visitor is using an element of it. */
    focus(): void
    unmount(): void
    /** The booking panel's frame, when it is shown. */
    frame(): HTMLIFrameElement | null
}

export function mountPopup(view: ComponentChild): MountedPopup {
    const host = document.createElement(HOST_TAG)
    const root = host.attachShadow({ mode: 'open' })
    // A constructable stylesheet: it passes a strict CSP without 'unsafe-inline' (every browser since 2023 has them).
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(POPUP_CSS)
    root.adoptedStyleSheets = [sheet]
    // The view: the root's only child (its styles are adopted, not a <style> element).
    const shown = () => root.firstChild as HTMLElement
    function show(next: ComponentChild) {
        render(next, root)
        const dialog = shown()
        if (dialog instanceof HTMLDialogElement && !dialog.open) {
            dialog.showModal()
            dialog.focus()
        }
    }
    function attach() {
        if (!host.isConnected) (document.body || document.documentElement).appendChild(host)
    }
    // Where the visitor was before they used the popup (the page's element that focus left for it), to go back to as
    // it closes. (Moves inside the shadow root never reach the host with a related target.)
    let before: HTMLElement | undefined
    host.addEventListener('focusin', (event) => {
        if (event.relatedTarget) before = event.relatedTarget as HTMLElement
    })
    render(view, root)
    attach()
    // A page that swaps its <body> (some SPA frameworks do) would take the popup with it: put it back.
    const observer = new MutationObserver(attach)
    observer.observe(document.documentElement, { childList: true })
    return {
        show,
        focus() {
            // Only when nothing has focus: never from a field the visitor is typing in, or any other element they are using.
            if (document.activeElement === document.body) shown().focus({ preventScroll: true })
        },
        unmount() {
            observer.disconnect()
            // (a modal dialog removed while open leaves focus nowhere: it goes back where the visitor was)
            const hadFocus = document.activeElement === host
            render(null, root)
            host.remove()
            // (an element the page has removed since takes no focus)
            if (hadFocus && before) before.focus({ preventScroll: true })
        },
        frame: () => root.querySelector('iframe'),
    }
}
