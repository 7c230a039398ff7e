import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { h, render } from 'preact'
import { sanitizeHtml as sanitizeWith } from '../../src/sanitize'
import { parseHtml, richText } from '../../src/ui/rich-text'
import { safeUrl } from '../../src/urls'
import { depth, loadCorpus, schemeOk, schemePayloads, toTree, treeProblems, type SafeElement, type SafeNode } from '../fixtures/xss/corpus'

// The app parses with the browser's own parser, in an inert <template> (real Chromium in
// test/e2e/sanitizer-corpus.test.ts); here happy-dom's. The app builds Preact elements; here plain objects.
// happy-dom's parser splits some text into several nodes where browsers make one; joined here so that assertions read
// as text (Preact renders adjacent strings the same either way).
const joinText = (nodes: SafeNode[]): SafeNode[] =>
    nodes.reduce<SafeNode[]>((out, n) => {
        const last = out.length - 1
        if (typeof n == 'string' && typeof out[last] == 'string') out[last] += n
        else out.push(typeof n == 'string' ? n : { ...n, children: joinText(n.children) })
        return out
    }, [])
const sanitizeHtml = (html: unknown) => joinText(sanitizeWith(html, parseHtml, toTree))
const el = (n: SafeNode | undefined) => n as SafeElement
const one = (html: string) => el(sanitizeHtml(html)[0])
/** The sanitised tree written back as HTML, for readable assertions (test-only; the app never serialises). */
const html = (nodes: SafeNode[]): string =>
    nodes
        .map((n) => {
            if (typeof n == 'string') return n.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
            const attrs = Object.entries(n.attrs).map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
            return /^(br|hr|img)$/.test(n.tag) ? `<${n.tag}${attrs.join('')}>` : `<${n.tag}${attrs.join('')}>${html(n.children)}</${n.tag}>`
        })
        .join('')
const clean = (s: string) => html(sanitizeHtml(s))
/** What the sanitiser adds to every link and image it keeps. */
const LINK = ' target="_blank" rel="noopener noreferrer"'
const IMG = ' referrerpolicy="no-referrer" loading="lazy"'
const LINK_ATTRS = { target: '_blank', rel: 'noopener noreferrer' }
const IMG_ATTRS = { referrerpolicy: 'no-referrer', loading: 'lazy' }

const DEFAULT_BODY = `<div style='display: flex'><img style='width:auto; height:100px; margin:auto;' src='https://posthog.com/x.webp'></img><p style='padding-left: 10px'>You're invited to a 30-minute user interview.<br><br>Help guide our roadmap and get <strong>$50 of PostHog Merch.</strong></p></div>`

describe('sanitizeHtml: what it keeps', () => {
    it('keeps the original app default body', () => {
        expect(sanitizeHtml(DEFAULT_BODY)).toEqual([
            {
                tag: 'div',
                attrs: {},
                children: [
                    { tag: 'img', attrs: { src: 'https://posthog.com/x.webp', alt: '', ...IMG_ATTRS }, children: [] },
                    {
                        tag: 'p',
                        attrs: {},
                        children: [
                            "You're invited to a 30-minute user interview.",
                            { tag: 'br', attrs: {}, children: [] },
                            { tag: 'br', attrs: {}, children: [] },
                            'Help guide our roadmap and get ',
                            { tag: 'strong', attrs: {}, children: ['$50 of PostHog Merch.'] },
                        ],
                    },
                ],
            },
        ])
    })

    it.each('b strong i em u s small mark code sub sup span p h1 h2 h3 h4 h5 h6 ul ol li blockquote div'.split(' '))(
        'keeps <%s>',
        (tag) => expect(clean(`<${tag.toUpperCase()}>x</${tag}>`)).toBe(`<${tag}>x</${tag}>`)
    )

    it('keeps void elements and does not give them children', () => {
        expect(clean('a<br>b<hr/>c<br/>d')).toBe('a<br>b<hr>c<br>d')
    })

    it('keeps links with http(s)/mailto and images with http(s), normalised by the URL parser', () => {
        expect(clean('<a href="https://posthog.com/a?b=1&amp;c=2" title=t>x</a>')).toBe(
            `<a href="https://posthog.com/a?b=1&amp;c=2"${LINK}>x</a>`
        )
        expect(clean('<a href=HTTP://EXAMPLE.com>x</a>')).toBe(`<a href="http://example.com/"${LINK}>x</a>`)
        expect(clean("<a href='mailto:hi@posthog.com?subject=Hi'>x</a>")).toBe(`<a href="mailto:hi@posthog.com?subject=Hi"${LINK}>x</a>`)
        expect(clean('<a href="  https://posthog.com  ">x</a>')).toBe(`<a href="https://posthog.com/"${LINK}>x</a>`)
        expect(clean('<img src="http://a.example/p.png" alt="A pic" width=120 height="80" title=t>')).toBe(
            `<img src="http://a.example/p.png" alt="A pic"${IMG}>`
        )
    })

    it('gives an image without alt an empty one (decorative) rather than none', () => {
        expect(one('<img src=https://a.example/x.png>').attrs.alt).toBe('')
    })

    it('keeps text, decoding entities once', () => {
        expect(sanitizeHtml('a &amp;lt; b &lt;b&gt; &copy; &#169; &#xA9; &nbsp;')).toEqual(['a &lt; b <b> © © © \xa0'])
        expect(sanitizeHtml('5 < 6 and 7 > 3')).toEqual(['5 < 6 and 7 > 3'])
    })

    it('closes implied <p> and <li>, tolerates stray and mis-nested end tags', () => {
        expect(clean('<ul><li>a<li>b</ul><p>1<p>2')).toBe('<ul><li>a</li><li>b</li></ul><p>1</p><p>2</p>')
        expect(clean('</b>a</p><b><i>x</b>y</i>z')).toBe('a<b><i>x</i></b>yz')
        expect(clean('<b>unclosed <i>tags')).toBe('<b>unclosed <i>tags</i></b>')
    })
})

describe('sanitizeHtml: what it drops', () => {
    it.each([
        'script', 'style', 'iframe', 'object', 'textarea', 'select', 'button', 'svg', 'math', 'template', 'noscript', 'title',
        'xmp', 'noembed', 'noframes', 'form', 'plaintext',
    ])('drops <%s> with its content', (tag) => {
        expect(clean(`a<${tag} x=1>alert(1)<b>bold</b></${tag}>b`)).toBe('ab')
        expect(clean(`a<${tag.toUpperCase()}>alert(1)</${tag.toUpperCase()} >b`)).toBe('ab')
        expect(clean(`a<${tag}>never closed <b>x</b>`)).toBe('a')
    })

    it('drops void dangerous elements and unwraps unknown ones', () => {
        expect(clean('<embed src=https://a.example><input value=x><base href=https://evil.example><meta http-equiv=refresh content=0;url=https://evil.example><link rel=stylesheet href=https://evil.example>x')).toBe('x')
        expect(clean('<font color=red><center>a</center></font><table><tr><td>b</td></tr></table><details open ontoggle=alert(1)><summary>c</summary></details>')).toBe('abc')
        expect(clean('<custom-el onclick=x><b>y</b></custom-el>')).toBe('<b>y</b>')
    })

    it('drops event handlers, class, id and every other attribute', () => {
        expect(
            sanitizeHtml(
                '<p class=c id=i onclick=x ONMOUSEOVER=y onerror=z data-x=1 aria-label=l tabindex=1 contenteditable autofocus dir=rtl lang=fr hidden draggable=true slot=s is=x part=p popover>x</p>'
            )
        ).toEqual([{ tag: 'p', attrs: {}, children: ['x'] }])
        expect(one('<a href=https://a.example/ target=_self rel=opener ping=https://evil.example download title=t>x</a>').attrs).toEqual({
            href: 'https://a.example/',
            ...LINK_ATTRS,
        })
        expect(one('<img src=https://a.example/x.png srcset=https://evil.example/y.png onerror=x loading=eager referrerpolicy=unsafe-url>').attrs).toEqual({
            src: 'https://a.example/x.png',
            alt: '',
            ...IMG_ATTRS,
        })
        expect(one('<img src=https://a.example/x.png width=100% height=-1 title=t>').attrs).toEqual({ src: 'https://a.example/x.png', alt: '', ...IMG_ATTRS })
    })

    it('drops images without a valid src, keeps links without a valid href as plain anchors', () => {
        expect(sanitizeHtml('<img src=x onerror=alert(1)><img><img src="javascript:alert(1)">')).toEqual([])
        expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toEqual([{ tag: 'a', attrs: {}, children: ['x'] }])
        expect(one('<img src="mailto:a@b.c">')).toBeUndefined()
    })

    const bad = [
        'javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\x01javascript:alert(1)',
        '\x00javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', 'java\rscript:alert(1)', 'javascript\t:alert(1)',
        'jav&#x09;ascript:alert(1)', 'jav&#9;ascript:alert(1)', 'jav&Tab;ascript:alert(1)', 'jav&NewLine;ascript:alert(1)',
        '&#x6A;avascript:alert(1)', '&#106;avascript:alert(1)', '&#0000106avascript:alert(1)', '&#X6A&#X61vascript:alert(1)',
        'javascript&colon;alert(1)', 'javascript&#58;alert(1)', 'javascript&#x3a;alert(1)', 'javascript&#x0000003A;alert(1)',
        '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)', '&#14;javascript:alert(1)',
        '\u00a0javascript:alert(1)', 'vbscript:msgbox(1)', 'VBScript:x', 'data:text/html,<script>alert(1)</script>',
        'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'd&#x61;ta:text/html,x', 'data&colon;text/html,x',
        'file:///etc/passwd', 'ftp://a.example/', 'blob:https://a.example/x', 'tel:123', 'intent://x#Intent;end',
        '//evil.example/x', '/relative', 'relative', '#frag', '?q', '', '   ', 'http://', 'https://[::1', 'mocha:x',
        'livescript:x', 'jar:javascript:alert(1)!/', 'view-source:https://a.example',
    ]
    it.each(bad)('rejects href/src %j', (u) => {
        const attr = u.replace(/"/g, '&quot;')
        expect(one(`<a href="${attr}">x</a>`).attrs).toEqual({})
        expect(sanitizeHtml(`<img src="${attr}">`)).toEqual([])
    })


    it('drops every style attribute: the popup stylesheet is the only one', () => {
        expect(sanitizeHtml('<p style="position:fixed;top:0;color:red">x</p>')).toEqual([{ tag: 'p', attrs: {}, children: ['x'] }])
    })

    it('keeps the first of duplicate attributes like browsers, and ignores end-tag attributes', () => {
        expect(one('<img src=https://a.example/x.png alt=a alt=b>').attrs.alt).toBe('a')
    })
})

describe('sanitizeHtml: entities', () => {
    it('decodes once: encoded markup stays text', () => {
        expect(sanitizeHtml('&lt;img src=x onerror=alert(1)&gt;&amp;lt;script&amp;gt;')).toEqual([
            '<img src=x onerror=alert(1)>&lt;script&gt;',
        ])
        expect(one('<img src=https://a.example/x.png alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">').attrs.alt).toBe(
            '"><img src=x onerror=alert(1)>',
        )
    })
})

describe('sanitizeHtml: hostile and malformed input', () => {
    it.each([undefined, null, 1, true, {}, [], ['<b>x</b>'], () => '<b>x</b>', Symbol('x'), new String('<b>x</b>')])(
        'returns [] for non-string %s',
        (v) => expect(sanitizeHtml(v)).toEqual([])
    )

    it('falls back to plain text when the parser refuses (Trusted Types)', () => {
        const refuse = () => {
            throw new TypeError('This document requires TrustedHTML assignment.')
        }
        expect(sanitizeWith('<b>Hi</b> <img src=x onerror=alert(1)>there', refuse, toTree)).toEqual(['Hi there'])
    })

    it('caps input length', () => {
        const out = sanitizeHtml('<b>' + 'x'.repeat(50_000) + '</b>')
        expect((el(out[0]).children[0] as string).length).toBeLessThanOrEqual(10_000)
    })

    it('handles huge pathological inputs quickly', () => {
        const inputs = [
            '<'.repeat(1e6), '<a '.repeat(1e5), '<b>'.repeat(1e5), '&#'.repeat(1e5), '<!--'.repeat(1e5), '<a title="'.repeat(1e5),
            '<script>'.repeat(1e5), '<p style="' + 'color:red;'.repeat(1e5), '&#x' + '1'.repeat(1e6) + ';', '</b'.repeat(1e5),
            '<img src=https://a.example/x.png>'.repeat(1e4), 'x'.repeat(1e7),
        ]
        const t = performance.now()
        for (const s of inputs) expect(treeProblems(sanitizeHtml(s))).toEqual([])
        expect(performance.now() - t).toBeLessThan(2000)
    })

    it('caps nesting depth without losing text', () => {
        const out = sanitizeHtml('<b>'.repeat(500) + 'deep' + '</b>'.repeat(500) + '<i>after</i>')
        expect(depth(out)).toBeLessThanOrEqual(20)
        expect(JSON.stringify(out)).toContain('deep')
        expect(JSON.stringify(out)).toContain('after')
        expect(depth(sanitizeHtml('<div>'.repeat(1000) + '<img src=https://a.example/x.png>'))).toBeLessThanOrEqual(21)
    })

    it('never outputs anything outside the allowlist for the whole XSS corpus', () => {
        const corpus = loadCorpus()
        expect(corpus.length).toBeGreaterThan(1000)
        const problems = corpus.flatMap((v) => treeProblems(sanitizeHtml(v.html)).map((p) => `#${v.id} ${JSON.stringify(v.html)}: ${p}`))
        expect(problems).toEqual([])
    })

    it('never lets a script-bearing URL through, in any sink', () => {
        for (const u of schemePayloads()) {
            const q = u.replace(/"/g, '&quot;')
            for (const n of [...sanitizeHtml(`<a href="${q}">x</a>`), ...sanitizeHtml(`<img src="${q}">`)]) {
                const href = el(n).attrs?.href ?? el(n).attrs?.src
                if (href !== undefined) expect(href, u).toMatch(/^https?:/)
            }
        }
    })
})

describe('sanitizeHtml: properties (fast-check)', () => {
    const tokens = fc.constantFrom(
        '<', '>', '/', '"', "'", '=', ' ', '\t', '\n', '\0', '&', ';', '#', '&#x', '&#', '6A', '106', '&colon;', '&Tab;',
        '<a ', '<img ', '<b>', '</b>', '<p>', '</p>', '<li>', '<div ', '<span ', '<svg>', '</svg>', '<script>', '</script>',
        '<style>', '</style>', '<textarea>', '</textarea>', '<!--', '-->', '--!>', '<![CDATA[', ']]>', '<!', '<?', '</',
        'href=', 'src=', 'style=', 'title=', 'alt=', 'width=', 'onerror=', 'onclick=', 'class=', 'id=', 'javascript:',
        'jav\tascript:', 'vbscript:', 'data:', 'https://a.example/', 'http:', 'mailto:', 'alert(1)', 'url(', 'expression(',
        'color:', 'display:', 'flex', 'grid', 'position:', '-1px', ';', 'rgb(', ')', '\\', 'x'
    )
    const htmlish = fc.array(fc.oneof(tokens, fc.string({ maxLength: 5 })), { maxLength: 60 }).map((a) => a.join(''))
    const check = (s: string) => {
        const out = sanitizeHtml(s)
        expect(treeProblems(out)).toEqual([])
        expect(depth(out)).toBeLessThanOrEqual(20)
    }

    it('never throws and only outputs allowlisted elements for HTML-ish strings', () => {
        fc.assert(fc.property(htmlish, check), { numRuns: 3000 })
    })

    it('never throws for arbitrary unicode strings', () => {
        fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 300 })
    })

    it('never throws for arbitrary values', () => {
        fc.assert(fc.property(fc.anything(), (v) => Array.isArray(sanitizeHtml(v))), { numRuns: 500 })
    })

    it('keeps plain text (no < or &) unchanged', () => {
        fc.assert(
            // (an HTML parser drops leading white space and rewrites NUL and CR, as browsers do)
            fc.property(fc.string({ maxLength: 100 }).filter((s) => !/[<&\0\r]/.test(s) && !/^\s/.test(s)), (s) => {
                expect(sanitizeHtml(s)).toEqual(s ? [s] : [])
            })
        )
    })

    it('accepts exactly the URLs the URL parser sees as http(s)/mailto', () => {
        fc.assert(
            fc.property(fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom(...schemePayloads())), (u) => {
                const href = safeUrl(u, true)
                if (href) expect(schemeOk(href, true)).toBe(true)
                else expect(schemeOk(u, true)).toBe(false)
            }),
            { numRuns: 2000 }
        )
    })
})

describe('richText', () => {
    it('renders elements and text nodes with safe link and image attributes, through Preact', () => {
        const root = document.createElement('div')
        render(
            h('div', null, richText(DEFAULT_BODY + '<a href="https://posthog.com" onclick="x()">link</a> <span style="color: red">&lt;b&gt;</span>')),
            root
        )
        const inner = root.firstElementChild!
        expect(inner.querySelector('div')!.getAttribute('style')).toBeNull()
        const img = inner.querySelector('img')!
        expect(img.getAttribute('src')).toBe('https://posthog.com/x.webp')
        expect(img.getAttribute('alt')).toBe('')
        expect(img.getAttribute('referrerpolicy')).toBe('no-referrer')
        expect(img.getAttribute('loading')).toBe('lazy')
        const a = inner.querySelector('a')!
        expect(a.getAttribute('href')).toBe('https://posthog.com/')
        expect(a.getAttribute('target')).toBe('_blank')
        expect(a.getAttribute('rel')).toBe('noopener noreferrer')
        expect(a.getAttribute('onclick')).toBeNull()
        expect(inner.querySelector('span')!.textContent).toBe('<b>')
        expect(inner.querySelector('strong')!.textContent).toBe('$50 of PostHog Merch.')
        expect(inner.querySelectorAll('*').length).toBe(8)
        for (const e of inner.querySelectorAll('*')) for (const { name } of e.attributes) expect(name).not.toMatch(/^on/)
    })

    it('is the sanitiser and the renderer in one call', () => {
        const root = document.createElement('div')
        render(h('div', null, richText('<p>a <b>b</b><script>alert(1)</script></p>')), root)
        expect(root.innerHTML).toBe('<div><p>a <b>b</b></p></div>')
    })
})
