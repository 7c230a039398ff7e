// Limited-HTML sanitiser for the settings typed into PostHog's form (invitationBody, footerHTML and their per-flag
// overrides). Pure: no DOM globals (only URL), so it runs the same in the browser and in Node.
//
// SECURITY INVARIANT: the output is a TREE, never HTML text. It is rendered by Preact as elements and text nodes
// (never innerHTML), so nothing we output is parsed again. Every SafeElement is built here from scratch with a tag
// from TAGS, attrs only from {href, src, alt, title, width, height} after validation (href: http/https/mailto, src:
// http/https, both re-serialised by `new URL`), and a style object whose properties and values passed PROP/VALUE.
// Hence a mis-parse of hostile input can at worst produce such an element or some harmless text: keep it that way.

export type SafeNode = string | SafeElement
export interface SafeElement {
    tag: string
    attrs: Record<string, string>
    style?: Record<string, string>
    children: SafeNode[]
}

const MAX_LEN = 10_000
const MAX_DEPTH = 20
const TAGS = /^(b|strong|i|em|u|s|small|mark|code|sub|sup|span|p|br|hr|h[1-6]|ul|ol|li|blockquote|img|a|div)$/
const VOID = /^(br|hr|img)$/
// Dropped together with everything up to their closing tag (raw text, or containers we never want to look into).
const DROP =
    /^(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext|template|svg|math|select|object|form|button|frameset|applet)$/
const PROP =
    /^(text-align|color|background-color|font-weight|font-style|text-decoration|(margin|padding)(-(top|right|bottom|left))?|display|flex-direction|gap|align-items|justify-content)$/
const IMG_PROP = /^(max-)?(width|height)$/
// Conservative value: no quotes, `\`, `/`, `:`, `;`, `@`, `<`, `!`, bounded length; negatives (moving content out of
// the popup) and any function other than colours/calc are refused below.
const VALUE = /^[\w #%.,()+-]{1,80}$/
const DISPLAY = /^(block|inline|inline-block|flex|none)$/i
// Comments (also `<!-->`), CDATA, `<!doctype>`, `<?pi>`, `</ not-a-letter>`: all skipped.
const SKIP = /<!--(?:-?>|[\s\S]*?--!?>|[\s\S]*)|<!\[CDATA\[[\s\S]*?(?:]]>|$)|<(?:[!?]|\/(?![a-z]))[^>]*>?/iy
const TAG = /<(\/?)([a-z][^\t\n\f\r />]*)/iy
// One attribute (name, then an optional quoted or unquoted value), or the tag's `>`; fails only at end of input.
const ATTR = /[\t\n\f\r /]*(?:(>)|([^\t\n\f\r />][^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"?|'([^']*)'?|([^\t\n\f\r >]*)))?)/y
const NAMED: Record<string, string> = {
    amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\xa0', colon: ':', Tab: '\t', NewLine: '\n', copy: '©',
    hellip: '…', mdash: '—', ndash: '–', rsquo: '’', euro: '€',
}

/** Decodes numeric references (with or without `;`) and the named ones above (with `;`); others stay literal. */
export const decodeEntities = (s: string): string =>
    s.replace(/&(?:#x([\da-f]+);?|#(\d+);?|([a-z][a-z\d]*);)/gi, (m, hex?: string, dec?: string, name?: string) => {
        if (name) return typeof NAMED[name] == 'string' ? NAMED[name] : m
        const c = hex ? parseInt(hex, 16) : +dec!
        return c > 0 && c < 0x110000 && (c < 0xd800 || c > 0xdfff) ? String.fromCodePoint(c) : '\ufffd'
    })

/** The URL re-serialised by the URL parser if it is absolute and its scheme matches, else ''. */
export const safeUrl = (v: string, mailto?: boolean): string => {
    try {
        const u = new URL(v)
        return /^https?:$/.test(u.protocol) || (mailto && u.protocol == 'mailto:') ? u.href : ''
    } catch {
        return ''
    }
}

const parseStyle = (css: string, img: boolean): Record<string, string> | undefined => {
    let out: Record<string, string> | undefined
    for (const d of css.split(';')) {
        const c = d.indexOf(':'),
            p = d.slice(0, c).trim().toLowerCase(),
            v = d.slice(c + 1).trim()
        if (
            c > 0 &&
            (PROP.test(p) || (img && IMG_PROP.test(p))) &&
            VALUE.test(v) &&
            !/-\s*[\d.]/.test(v) &&
            !/[\w-]\(/.test(v.replace(/\b(rgba?|hsla?|calc)\(/gi, '(')) &&
            (p != 'display' || DISPLAY.test(v))
        )
            (out ||= {})[p] = v
    }
    return out
}

export function sanitizeHtml(html: unknown): SafeNode[] {
    if (typeof html != 'string') return []
    const s = html.slice(0, MAX_LEN)
    const root: SafeElement = { tag: '', attrs: {}, children: [] }
    const stack = [root]
    const top = () => stack[stack.length - 1]
    const add = (n: SafeNode) => {
        const c = top().children,
            l = c.length - 1
        if (typeof n == 'string' && typeof c[l] == 'string') c[l] += n
        else if (n) c.push(n)
    }
    let i = 0
    while (i < s.length) {
        const lt = s.indexOf('<', i)
        add(decodeEntities(s.slice(i, lt < 0 ? s.length : lt)))
        if (lt < 0) break
        i = lt
        SKIP.lastIndex = TAG.lastIndex = i
        let m = SKIP.exec(s)
        if (m) {
            i = SKIP.lastIndex
            continue
        }
        if (!(m = TAG.exec(s))) {
            add('<')
            i++
            continue
        }
        i = TAG.lastIndex
        const end = m[1],
            tag = m[2].toLowerCase(),
            el: SafeElement = { tag, attrs: {}, children: [] },
            a = el.attrs
        let eof = true
        for (let t; (ATTR.lastIndex = i), (t = ATTR.exec(s)); ) {
            i = ATTR.lastIndex
            if (t[1]) {
                eof = false
                break
            }
            const k = t[2].toLowerCase()
            let v = decodeEntities(t[3] ?? t[4] ?? t[5] ?? '')
            if (a[k] != null || end) continue
            if (k == 'style') el.style ||= parseStyle(v, tag == 'img')
            else if (k == 'alt' || k == 'title') a[k] = v
            else if (tag == 'a' && k == 'href') (v = safeUrl(v, true)) && (a.href = v)
            else if (tag == 'img' && (k == 'src' ? (v = safeUrl(v)) : /^(width|height)$/.test(k) && /^\d{1,4}$/.test(v)))
                a[k] = v
        }
        if (eof) break // a tag cut by the end of input is dropped, as browsers do
        if (end) {
            for (let j = stack.length; --j > 0; )
                if (stack[j].tag == tag) {
                    stack.length = j
                    break
                }
        } else if (DROP.test(tag)) {
            const close = RegExp(`</${tag}(?![^\\t\\n\\f\\r />])`, 'gi')
            close.lastIndex = i
            i = close.exec(s)?.index ?? s.length
        } else if (TAGS.test(tag) && !(tag == 'img' && !a.src)) {
            const v = VOID.test(tag)
            if (v || stack.length <= MAX_DEPTH) {
                if ((tag == 'p' || tag == 'li') && top().tag == tag) stack.pop()
                add(el)
                if (!v) stack.push(el)
            }
        } // anything else (unknown, or harmless void like <input>, <meta>, <embed>) is unwrapped: children kept
    }
    return root.children
}
