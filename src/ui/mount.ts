// Puts the popup on the page inside an open shadow root, and takes it off again without a trace.
import { render } from 'preact'
import type { Settings } from '../settings'
import { Popup, type OnAnswer } from './popup'
import { POPUP_CSS } from './styles'

/** A custom element name, so no host-page rule for `div` or the like matches the host. */
const HOST_TAG = 'user-interviewer'

export interface MountedPopup {
    /** Moves keyboard focus to the dialog, without scrolling the page, unless the visitor is using an element of it. */
    focus(): void
    unmount(): void
}

export function mountPopup(settings: Settings, onAnswer: OnAnswer): MountedPopup {
    const host = document.createElement(HOST_TAG)
    const root = host.attachShadow({ mode: 'open' })
    // A constructable stylesheet: it passes a strict CSP without 'unsafe-inline' (every browser since 2023 has them).
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(POPUP_CSS)
    root.adoptedStyleSheets = [sheet]
    // Called directly, Popup spares Preact a component.
    render(Popup(settings, onAnswer), root)
    function attach() {
        if (!host.isConnected) (document.body || document.documentElement).appendChild(host)
    }
    attach()
    // A page that swaps its <body> (some SPA frameworks do) would take the popup with it: put it back.
    const observer = new MutationObserver(attach)
    observer.observe(document.documentElement, { childList: true })
    return {
        focus() {
            // The dialog: the root's only child (its styles are adopted, not a <style> element). Only when nothing has
            // focus: never from a field the visitor is typing in, or any other element they are using.
            if (document.activeElement === document.body) (root.firstChild as HTMLElement).focus({ preventScroll: true })
        },
        unmount() {
            observer.disconnect()
            render(null, root)
            host.remove()
        },
    }
}
