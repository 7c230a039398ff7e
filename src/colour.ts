// Colour settings: which CSS colours we accept, and WCAG contrast between two of them (checked by `npm run deploy`,
// src/settings-check.ts, where the team sees it, rather than in every visitor's download).

/**
 * `raw`, lower-cased, when it is a colour the browser takes: of the plain forms (hex, rgb()/hsl() of plain values, a
 * name; never `;`, `var()`, `url()`...), only what `isColour` (the browser's `CSS.supports('color', ...)`) accepts:
 * no `#12345`, no `dodgerblu`, no `rgb(1, 2)`. Else null.
 *
 * The plain forms are checked here, and only their shape: the browser judges the details (how many hex digits, which
 * names, what goes inside rgb()). It cannot be left the whole decision: any value with a `var()` in it passes
 * `CSS.supports` (`var(--x,) url(https://...)` does), and would load that image as the book button's background.
 */
export function cssColour(raw: string, isColour?: (colour: string) => boolean): string | null {
    const colour = raw.trim().toLowerCase()
    return /^(#[\da-f]+|(rgb|hsl)a?\([\w\s.,%/+-]+\)|[a-z]+)$/.test(colour) && !!isColour && isColour(colour) ? colour : null
}

/** WCAG 2 relative luminance of a #rgb or #rrggbb colour; NaN for any other colour. */
function luminance(colour: string): number {
    const rgb = /^#(..)(..)(..)$/.exec(colour.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3'))
    let sum = rgb ? 0 : NaN
    for (let i = 0; rgb && i < 3; i++) {
        const s = parseInt(rgb[i + 1], 16) / 255
        sum += [0.2126, 0.7152, 0.0722][i] * (s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4))
    }
    return sum
}

/** WCAG 2 contrast ratio (1 to 21) between two hex colours; NaN when either is not hex. */
export function contrastRatio(a: string, b: string): number {
    const x = luminance(a)
    const y = luminance(b)
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)
}
