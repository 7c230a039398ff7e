// The popup's shade class, as it mounts: `auto` from the page (src/page-theme.ts); `system` is left to the stylesheet's
// prefers-color-scheme rule, which follows the visitor's setting, live; `light` and `dark` as they are.
import { pageIsDark } from '../page-theme'

/** The class of a popup with the `theme` setting here: `dark`, `system` or `light`. `auto` reads three computed
 * styles the page already has. */
export function themeClass(theme: string): string {
    if (theme !== 'auto') return theme
    const root = getComputedStyle(document.documentElement)
    const body = getComputedStyle(document.body || document.documentElement)
    return pageIsDark([root.backgroundColor, body.backgroundColor], body.color) ? 'dark' : 'light'
}
