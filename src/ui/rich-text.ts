// Limited HTML on screen: the browser parses it into an inert document and src/sanitize.ts rebuilds what is allowed
// as Preact elements and text. Never innerHTML.
import { h } from 'preact'
import { sanitizeHtml } from '../sanitize'

/** A <template>'s content is an inert document fragment: scripts do not run, images do not load, handlers never fire. */
export function parseHtml(html: string) {
    const template = document.createElement('template')
    template.innerHTML = html
    return template.content
}

/** `html` from a setting or payload, sanitised and ready to render. */
export function richText(html: string) {
    return sanitizeHtml(html, parseHtml, h)
}
