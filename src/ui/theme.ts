// The popup's shade, as it mounts: from the theme setting, the page (src/page-theme.ts) or the visitor's system.
import { pageIsDark } from '../page-theme'

/** True when a popup with the `theme` setting is dark here. `auto` reads three computed styles the page already has. */
export function darkTheme(theme: string): boolean {
    if (theme !== 'auto') return theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme:dark)').matches)
    const root = getComputedStyle(document.documentElement)
    const body = getComputedStyle(document.body || document.documentElement)
    return pageIsDark([root.backgroundColor, body.backgroundColor], body.color)
}
