import { h, type ComponentChildren } from 'preact'
import type { SafeNode } from '../sanitize'

// Renders sanitizeHtml's tree as Preact elements and text nodes: never innerHTML. `style` is always an object, so
// Preact applies it through CSSOM (allowed under a strict CSP), never as a style attribute string.
export function renderSafeNodes(nodes: SafeNode[]): ComponentChildren {
    return nodes.map((n) =>
        typeof n == 'string'
            ? n
            : h(
                  n.tag,
                  {
                      ...n.attrs,
                      style: n.style,
                      ...(n.tag == 'a'
                          ? { target: '_blank', rel: 'noopener noreferrer' }
                          : n.tag == 'img' && { referrerpolicy: 'no-referrer', loading: 'lazy' }),
                  },
                  renderSafeNodes(n.children)
              )
    )
}
