// The demo page's small DOM helpers.

/** The element with this id. */
export const $ = (id) => document.getElementById(id)

/** A new element, with a class and text when given. */
export function el(tag, className, text) {
    const e = document.createElement(tag)
    if (className) e.className = className
    if (text != null) e.textContent = text
    return e
}

/** A value as the panel shows it: strings as they are, anything else as JSON. */
export const shown = (value) => (typeof value === 'string' ? value : JSON.stringify(value))

/** `<dt>key</dt><dd>value</dd>` pairs for `entries`, in a `<dl>` of `className`. */
export function propertyList(className, entries) {
    const dl = el('dl', className)
    for (const [key, value] of entries) {
        const pair = el('div')
        pair.append(el('dt', '', key), el('dd', '', shown(value)))
        dl.append(pair)
    }
    return dl
}
