// Which shade the popup takes on a page. `theme: auto` follows the page it is on, not the visitor's system: a dark
// popup on a white site looks like something else's. Pure: src/ui/theme.ts reads the page.

/** Perceived brightness (0 to 255) of a computed `rgb()`/`rgba()` colour; NaN when transparent or in another form. */
export function brightness(colour: string): number {
    const rgba = colour.match(/[\d.]+/g) || []
    return /^rgba?\(/.test(colour) && rgba[3] !== '0' ? (+rgba[0]! * 299 + +rgba[1]! * 587 + +rgba[2]! * 114) / 1000 : NaN
}

/**
 * True when the page is dark. `backgrounds`: the computed background colours of its root and body; the first that
 * is not transparent decides. Without one, `text` (its body's computed text colour) does: light text is a dark page.
 * That is how a declared `color-scheme` shows (in CSS or a `<meta>`): the browser's canvas and default text follow it,
 * and with `light dark` they follow the visitor's system. A page that declares nothing and has no background is the
 * browser's white, whatever the system.
 */
export function pageIsDark(backgrounds: string[], text: string): boolean {
    const shade = backgrounds.map(brightness).filter((value) => value >= 0)[0]
    return shade >= 0 ? shade < 128 : brightness(text) >= 128
}
