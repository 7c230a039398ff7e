// Limited HTML on screen: the browser parses it into an inert document, src/sanitize.ts copies out what is allowed,
// and Preact renders that tree as elements and text nodes. Never innerHTML.
import { h, type ComponentChildren } from 'preact'
import { sanitizeHtml, type SafeNode } from '../sanitize'

/** A <template>'s content is an inert document fragment: scripts do not run, images do not load, handlers never fire. */
export function parseHtml(html: string) {
    const template = document.createElement('template')
    template.innerHTML = html
    return template.content
}

export function renderSafeNodes(nodes: SafeNode[]): ComponentChildren {
    return nodes.map((node) =>
        typeof node === 'string'
            ? node
            : h(
                  node.tag,
                  node.tag === 'a'
                      ? Object.assign({ target: '_blank', rel: 'noopener noreferrer' }, node.attrs)
                      : node.tag === 'img'
                        ? Object.assign({ referrerpolicy: 'no-referrer', loading: 'lazy' }, node.attrs)
                        : node.attrs,
                  renderSafeNodes(node.children),
              ),
    )
}

/** `html` from a setting or payload, sanitised and ready to render. */
export function richText(html: string): ComponentChildren {
    return renderSafeNodes(sanitizeHtml(html, parseHtml))
}
