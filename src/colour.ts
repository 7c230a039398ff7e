// Colour settings: which CSS colours we accept, and WCAG contrast between two of them.

/** `raw`, lower-cased, when it is a plain CSS colour (hex, rgb()/hsl() with numbers, or a name); else null. */
export function cssColour(raw: string): string | null {
    const colour = raw.trim().toLowerCase()
    return /^(#[\da-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/+-]{1,60}\)|[a-z]{3,30})$/.test(colour) ? colour : null
}

/** Relative luminance of a hex, rgb() or black/white colour; null for one we cannot reason about. */
function luminance(colour: string): number | null {
    const hex = colour === 'white' ? 'fff' : colour === 'black' ? '000' : (/^#([\da-f]{3,8})$/.exec(colour) || [])[1]
    const rgb = hex
        ? (hex.length < 6 ? hex.slice(0, 3).replace(/./g, '$&$&') : hex).match(/../g)!.slice(0, 3).map((pair) => parseInt(pair, 16))
        : (/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(colour) || []).slice(1).map(Number)
    if (rgb.length < 3) return null
    const [r, g, b] = rgb.map((v) => {
        const s = Math.min(255, v) / 255
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG 2 contrast ratio (1 to 21) between two colours, or null when either cannot be read. */
export function contrastRatio(a: string, b: string): number | null {
    const x = luminance(a)
    const y = luminance(b)
    return x === null || y === null ? null : (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)
}
