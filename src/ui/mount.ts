// Puts the popup on the page inside an open shadow root, and takes it off again without a trace.
import { h, render } from 'preact'
import { Popup, type PopupProps } from './popup'
import { POPUP_CSS } from './styles'

export const HOST_TAG = 'user-interviewer'

export interface MountedPopup {
    host: HTMLElement
    unmount(): void
}

/** Constructable stylesheets pass a strict CSP (no 'unsafe-inline'); a <style> element is the fallback for old browsers. */
function adoptStyles(root: ShadowRoot, css: string): void {
    try {
        const sheet = new CSSStyleSheet()
        sheet.replaceSync(css)
        root.adoptedStyleSheets = [sheet]
    } catch {
        const style = document.createElement('style')
        style.textContent = css
        root.appendChild(style)
    }
}

export function mountPopup(props: PopupProps): MountedPopup {
    const host = document.createElement(HOST_TAG)
    host.setAttribute('data-user-interviewer', '')
    const root = host.attachShadow({ mode: 'open' })
    adoptStyles(root, POPUP_CSS)
    render(h(Popup, props), root)
    const attach = () => {
        if (!host.isConnected) (document.body || document.documentElement).appendChild(host)
    }
    attach()
    // A page that swaps its <body> (some SPA frameworks do) would take the popup with it: put it back.
    const observer = typeof MutationObserver === 'function' ? new MutationObserver(attach) : null
    if (observer) observer.observe(document.documentElement, { childList: true })
    const dialog = root.querySelector<HTMLElement>('[role="dialog"]')
    if (dialog) dialog.focus({ preventScroll: true })
    return {
        host,
        unmount() {
            if (observer) observer.disconnect()
            render(null, root)
            host.remove()
        },
    }
}
