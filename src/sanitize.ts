// The one sanitiser for the limited-HTML settings (invitationBody, footerHTML and their per-flag payload overrides).
//
// Parsing is the browser's job (the caller hands in a parser, e.g. an inert <template>: no script runs, nothing
// loads), so markup is read exactly as a browser reads it: no tokenizer of ours to disagree with it. This module only
// walks the parsed tree and rebuilds what the allowlist permits through the caller's element factory (Preact's `h` in
// the app), so it holds no DOM globals itself.
//
// SECURITY INVARIANT: the output is a TREE, never HTML text: nothing here is parsed again. Every element is built
// from scratch with a tag from TAGS and only these attributes: href (http, https, mailto, re-serialised by `new URL`),
// target=_blank and rel="noopener noreferrer" on <a>; src (http, https, re-serialised), alt, referrerpolicy=no-referrer
// and loading=lazy on <img>. Keep it that way.
import { safeUrl } from './urls'

/** The part of a DOM node the walk reads; the browser's nodes (and happy-dom's, in tests) have it. */
export interface ParsedNode {
    nodeType: number
    nodeName: string
    nodeValue: string | null
    childNodes: ArrayLike<ParsedNode>
    getAttribute?(name: string): string | null
}

export type HtmlParser = (html: string) => ParsedNode | null | undefined
/** Makes one output element; children are strings (text) and what earlier calls returned. */
export type ElementFactory<T> = (tag: string, attrs: Record<string, string>, children: (T | string)[]) => T

const MAX_LENGTH = 10000
const MAX_DEPTH = 20
const TAGS = /^(b|strong|i|em|u|s|small|mark|code|sub|sup|span|p|br|hr|h[1-6]|ul|ol|li|blockquote|img|a|div)$/
/** Elements dropped with everything in them; any other unknown element is unwrapped (its children kept). */
const DROP = /^(script|style|template|noscript|textarea|title|iframe|object|embed|svg|math|select|button|form|head|xmp|noembed|noframes|plaintext)$/

function walk<T>(node: ParsedNode, element: ElementFactory<T>, depth: number): (T | string)[] {
    const out: (T | string)[] = []
    for (let i = 0; i < node.childNodes.length; i++) out.push.apply(out, copy(node.childNodes[i], element, depth))
    return out
}

/** What one parsed node becomes: itself rebuilt, its children alone (unwrapped), or nothing. */
function copy<T>(node: ParsedNode, element: ElementFactory<T>, depth: number): (T | string)[] {
    const tag = node.nodeName.toLowerCase()
    if (node.nodeType === 3) return [node.nodeValue || '']
    if (node.nodeType !== 1 || DROP.test(tag)) return []
    const children = walk(node, element, depth + 1)
    function attr(name: string) {
        return (node.getAttribute && node.getAttribute(name)) || ''
    }
    const href = tag === 'a' && safeUrl(attr('href'), true)
    const src = tag === 'img' && safeUrl(attr('src'))
    if (!TAGS.test(tag) || depth >= MAX_DEPTH) return children
    if (src) return [element(tag, { src, alt: attr('alt'), referrerpolicy: 'no-referrer', loading: 'lazy' }, [])]
    return tag === 'img' ? [] : [element(tag, href ? { href, target: '_blank', rel: 'noopener noreferrer' } : {}, children)]
}

/** The safe tree for `html` (anything not a string gives []). A parser that throws (Trusted Types) gives plain text. */
export function sanitizeHtml<T>(html: unknown, parse: HtmlParser, element: ElementFactory<T>): (T | string)[] {
    if (typeof html !== 'string' || !html) return []
    const text = html.slice(0, MAX_LENGTH)
    try {
        const root = parse(text)
        return root ? walk(root, element, 0) : []
    } catch {
        return [text.replace(/<[^>]*>?/g, '')]
    }
}
