// The one sanitiser for the limited-HTML settings (invitationBody, footerHTML and their per-flag payload overrides).
//
// Parsing is the browser's job (the caller hands in a parser, e.g. an inert <template>: no script runs, nothing
// loads), so markup is read exactly as a browser reads it: no tokenizer of ours to disagree with it. This module only
// walks the parsed tree and copies out what the allowlist permits, so it holds no DOM globals itself.
//
// SECURITY INVARIANT: the output is a TREE, never HTML text. Preact renders it as elements and text nodes (never
// innerHTML), so nothing here is parsed again. Every SafeElement is built from scratch with a tag from TAGS and only
// these attributes: href (http, https, mailto) on <a>; src (http, https) on <img>, both re-serialised by `new URL`;
// alt, title; numeric width and height on <img>. Keep it that way.

export type SafeNode = string | SafeElement
export interface SafeElement {
    tag: string
    attrs: Record<string, string>
    children: SafeNode[]
}

/** The part of a DOM node the walk reads; the browser's nodes (and happy-dom's, in tests) have it. */
export interface ParsedNode {
    nodeType: number
    nodeName: string
    nodeValue: string | null
    childNodes: ArrayLike<ParsedNode>
    getAttribute?(name: string): string | null
}

export type HtmlParser = (html: string) => ParsedNode | null | undefined

const MAX_LENGTH = 10000
const MAX_DEPTH = 20
const TAGS = /^(b|strong|i|em|u|s|small|mark|code|sub|sup|span|p|br|hr|h[1-6]|ul|ol|li|blockquote|img|a|div)$/
/** Elements dropped with everything in them; any other unknown element is unwrapped (its children kept). */
const DROP = /^(script|style|template|noscript|textarea|title|iframe|object|embed|svg|math|select|button|form|head|xmp|noembed|noframes|plaintext)$/

/** The URL re-serialised by the URL parser when it is absolute with an allowed scheme, else ''. */
export function safeUrl(value: string | null | undefined, mailto?: boolean): string {
    try {
        const url = new URL(value || '')
        return /^https?:$/.test(url.protocol) || (mailto && url.protocol === 'mailto:') ? url.href : ''
    } catch {
        return ''
    }
}

function walk(node: ParsedNode, out: SafeNode[], depth: number): void {
    const nodes = node.childNodes
    for (let i = 0; i < nodes.length; i++) {
        const child = nodes[i]
        const tag = child.nodeName.toLowerCase()
        const attr = (name: string) => (child.getAttribute && child.getAttribute(name)) || ''
        if (child.nodeType === 3) {
            const last = out.length - 1
            if (typeof out[last] === 'string') out[last] += child.nodeValue || ''
            else out.push(child.nodeValue || '')
        } else if (child.nodeType !== 1 || DROP.test(tag)) {
            // comments, processing instructions, and elements whose content is not text
        } else if (!TAGS.test(tag) || depth >= MAX_DEPTH) {
            walk(child, out, depth)
        } else {
            const attrs: Record<string, string> = {}
            const element: SafeElement = { tag, attrs, children: [] }
            const href = tag === 'a' && safeUrl(attr('href'), true)
            const src = tag === 'img' && safeUrl(attr('src'))
            if (href) attrs.href = href
            if (src) attrs.src = src
            ;['alt', 'title', 'width', 'height'].forEach((name) => {
                const value = attr(name)
                if (value && (name === 'alt' || name === 'title' || (src && /^\d{1,4}$/.test(value)))) attrs[name] = value
            })
            if (tag !== 'img' || src) out.push(element)
            walk(child, element.children, depth + 1)
        }
    }
}

/** The safe tree for `html` (anything not a string gives []). A parser that throws (Trusted Types) gives plain text. */
export function sanitizeHtml(html: unknown, parse: HtmlParser): SafeNode[] {
    if (typeof html !== 'string' || !html) return []
    const text = html.slice(0, MAX_LENGTH)
    const out: SafeNode[] = []
    try {
        const root = parse(text)
        if (root) walk(root, out, 0)
    } catch {
        return [text.replace(/<[^>]*>?/g, '')]
    }
    return out
}
