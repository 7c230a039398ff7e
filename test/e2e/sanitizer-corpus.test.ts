// Renders the whole XSS corpus through richText (sanitizeHtml building Preact elements) in real headless Chromium, each vector
// in its own shadow root, and checks that nothing ran and nothing dangerous reached the DOM. A control page inserts the
// same vectors raw (innerHTML) to prove that the corpus is live and that the harness notices script execution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { preactFromSource } from '../../esbuild.config.mjs'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { Window } from 'happy-dom'
import { sanitizeHtml, type ParsedNode } from '../../src/sanitize'
import { loadCorpus, toTree, treeProblems } from '../fixtures/xss/corpus'
import { launchBrowser } from './browser'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The corpus's counts, printed only when asked for (CORPUS_REPORT=1): a passing test prints nothing but its name. */
function report(line: string): void {
    if (process.env.CORPUS_REPORT) console.info(`[sanitizer-corpus] ${line}`)
}
const corpus = loadCorpus()

const DEFAULT_BODY = `<div style='display: flex'><img style='width:auto; height:100px; margin:auto;' src='https://posthog.com/x.webp'></img><p style='padding-left: 10px'>You're invited to a 30-minute user interview.<br><br>Help guide our roadmap and get <strong>$50 of PostHog Merch.</strong></p></div>`

interface Harness {
    __hits: string[]
    __csp: string[]
    __mount(html: string, raw: boolean): void
}

// Runs in the page before anything else (every frame): record every way a vector could report success.
function instrument() {
    const w = window as unknown as Harness & Record<string, unknown>
    w.__hits = []
    w.__csp = []
    w.__xss = (id: unknown) => w.__hits.push(`__xss(${String(id)})`)
    for (const f of ['alert', 'confirm', 'prompt', 'print'])
        w[f] = (...a: unknown[]) => w.__hits.push(`${f}(${a.map(String).join(',')})`)
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.sample}`))
}

// Runs in the page after rendering: poke every element so handlers that slipped through would fire.
function poke() {
    for (const host of document.querySelectorAll('.host'))
        for (const e of host.shadowRoot!.querySelectorAll<HTMLElement>('*')) {
            try {
                e.focus()
            } catch {}
            for (const t of ['mouseover', 'mouseenter', 'pointerover', 'pointerdown', 'focusin', 'animationstart', 'transitionend', 'toggle', 'load', 'error'])
                e.dispatchEvent(new Event(t, { bubbles: true }))
        }
}

// Runs in the page: everything in any shadow root that should not be there.
function audit(): string[] {
    const TAGS = 'b strong i em u s small mark code sub sup span p br hr h1 h2 h3 h4 h5 h6 ul ol li blockquote img a div'.split(' ')
    const ATTRS = 'href src alt title width height style target rel referrerpolicy loading'.split(' ')
    const URLS = 'href src action formaction xlink:href data poster srcset background ping srcdoc codebase dynsrc lowsrc'.split(' ')
    const bad: string[] = []
    for (const host of document.querySelectorAll<HTMLElement>('.host')) {
        const id = host.dataset.id
        const root = host.shadowRoot!
        if (root.querySelector('script,iframe,frame,object,embed,style,form,input,button,textarea,select,svg,math,base,meta,link,template,noscript,video,audio,source'))
            bad.push(`#${id}: forbidden element`)
        for (const e of root.querySelectorAll('*')) {
            const tag = e.localName
            if (!TAGS.includes(tag) || e.namespaceURI != 'http://www.w3.org/1999/xhtml') bad.push(`#${id}: <${tag}>`)
            for (const { name, value } of e.attributes) {
                if (/^on/i.test(name)) bad.push(`#${id}: <${tag} ${name}>`)
                if (!ATTRS.includes(name)) bad.push(`#${id}: <${tag} ${name}> not allowlisted`)
                if (URLS.includes(name)) {
                    let p = ''
                    try {
                        p = new URL(value).protocol
                    } catch {}
                    if (!(p == 'http:' || p == 'https:' || (p == 'mailto:' && tag == 'a' && name == 'href')))
                        bad.push(`#${id}: <${tag} ${name}=${JSON.stringify(value)}>`)
                }
                if (name == 'style' && /url\(|expression|image|position|behavior|binding|@|\\/i.test(value)) bad.push(`#${id}: style=${value}`)
            }
            // (an <a> whose href was dropped is no link: nothing to open, so it needs neither)
            if (tag == 'a' && e.hasAttribute('href') && (e.getAttribute('target') != '_blank' || e.getAttribute('rel') != 'noopener noreferrer'))
                bad.push(`#${id}: <a href> without target/rel`)
            if (tag == 'img' && (e.getAttribute('referrerpolicy') != 'no-referrer' || e.getAttribute('loading') != 'lazy'))
                bad.push(`#${id}: <img> without referrerpolicy/loading`)
        }
    }
    return bad
}

describe('sanitizer against the XSS corpus', () => {
    let browser: Browser
    let server: Server
    let origin = ''

    beforeAll(async () => {
        const bundle = await build({
            stdin: {
                contents: `
                    import { h, render } from 'preact'
                    import { richText } from './src/ui/rich-text'
                    window.__mount = (html, raw) => {
                        const host = document.createElement('div')
                        host.className = 'host'
                        host.dataset.id = String(document.querySelectorAll('.host').length)
                        document.body.append(host)
                        const root = host.attachShadow({ mode: 'open' })
                        if (raw) root.innerHTML = html
                        else render(h('div', null, richText(html)), root.appendChild(document.createElement('div')))
                    }`,
                resolveDir: ROOT,
                loader: 'ts',
            },
            bundle: true,
            write: false,
            format: 'iife',
            target: 'es2020',
            logLevel: 'silent',
            // The Preact the app ships.
            plugins: [preactFromSource],
        })
        const js = bundle.outputFiles[0].text
        server = createServer((req, res) => {
            const page = '<!doctype html><meta charset=utf-8><title>sanitizer corpus</title><body><script src="/bundle.js"></script>'
            if (req.url == '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
            else if (req.url == '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page)
            else if (req.url == '/csp')
                res.writeHead(200, {
                    'content-type': 'text/html',
                    // Strict: no inline script, no style attributes/elements. Preact's CSSOM styles must still apply.
                    'content-security-policy': "default-src 'none'; script-src 'self'; img-src https: http:",
                }).end(page)
            else res.writeHead(404).end()
        })
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
        origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        browser = await launchBrowser()
    })

    afterAll(async () => {
        await browser?.close()
        await new Promise((r) => (server ? server.close(r) : r(undefined)))
    })

    async function open(path: string) {
        const context = await browser.newContext()
        // Nothing leaves the machine: other hosts fail at once (which also makes <img onerror> fire quickly).
        await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()))
        await context.addInitScript(instrument)
        const page = await context.newPage()
        const events: string[] = []
        page.on('dialog', (d) => {
            events.push(`dialog ${d.type()} ${d.message()}`)
            void d.dismiss()
        })
        page.on('popup', (p) => events.push(`popup ${p.url()}`))
        page.on('pageerror', () => {}) // hostile markup rendered raw may throw; not a finding by itself
        await page.goto(origin + path)
        return { page, events, close: () => context.close() }
    }

    async function renderAll(page: Page, raw: boolean) {
        await page.evaluate(
            ([htmls, raw]) => {
                for (const html of htmls) (window as unknown as Harness).__mount(html, raw)
            },
            [corpus.map((v) => v.html), raw] as const
        )
        await page.waitForTimeout(300)
        if (!raw) await page.evaluate(poke) // (slow on the raw page's huge DOM, and not needed to prove it is live)
        await page.waitForTimeout(1200) // image errors, animations, autofocus, toggles
        return page.evaluate(() => (window as unknown as Harness).__hits)
    }

    it(`has a large corpus (${corpus.length} vectors)`, () => {
        expect(corpus.length).toBeGreaterThan(1000)
        expect(new Set(corpus.map((v) => v.html)).size).toBeGreaterThan(1000)
    })

    it('in Node (happy-dom parser): sanitizeHtml never throws and outputs only allowlisted elements, attributes and URLs', () => {
        const parser = new new Window().DOMParser()
        const parse = (html: string) => parser.parseFromString(html, 'text/html').body as unknown as ParsedNode
        const problems = corpus.flatMap((v) => treeProblems(sanitizeHtml(v.html, parse, toTree)).map((p) => `#${v.id} ${JSON.stringify(v.html)}: ${p}`))
        expect(problems).toEqual([])
    })

    it('control: the same vectors inserted raw do run script in this harness', async () => {
        const { page, events, close } = await open('/')
        try {
            const hits = await renderAll(page, true)
            const ids = new Set(hits.map((h) => /__xss\((\d+)\)/.exec(h)?.[1]).filter(Boolean))
            report(`raw control: ${ids.size} distinct vectors ran script (${hits.length} calls, ${events.length} dialogs/popups)`)
            expect(ids.size).toBeGreaterThan(50) // ~100 without the poke
        } finally {
            await close()
        }
    })

    it('sanitised and rendered by Preact in shadow roots: no vector runs script, nothing dangerous in the DOM', async () => {
        const { page, events, close } = await open('/')
        try {
            const hits = await renderAll(page, false)
            const byId = new Map(corpus.map((v) => [String(v.id), v.html]))
            expect(hits.map((h) => `${h} ${JSON.stringify(byId.get(/\d+/.exec(h)?.[0] ?? '') ?? '')}`)).toEqual([])
            expect(events).toEqual([])
            expect(await page.evaluate(audit)).toEqual([])
            expect(page.url()).toBe(origin + '/')
            expect(page.frames()).toHaveLength(1)
            const counts = await page.evaluate(() => ({
                hosts: document.querySelectorAll('.host').length,
                scripts: document.scripts.length,
                links: [...document.querySelectorAll('.host')].reduce((n, h) => n + h.shadowRoot!.querySelectorAll('a[href]').length, 0),
                images: [...document.querySelectorAll('.host')].reduce((n, h) => n + h.shadowRoot!.querySelectorAll('img').length, 0),
            }))
            expect(counts.hosts).toBe(corpus.length)
            expect(counts.scripts).toBe(1)
            report(`sanitised: ${counts.hosts} vectors rendered, 0 ran script; ${counts.links} safe links, ${counts.images} safe images kept`)
        } finally {
            await close()
        }
    })

    it('renders the default body under a strict CSP, without its inline styles and without a violation', async () => {
        const { page, events, close } = await open('/csp')
        try {
            const r = await page.evaluate((body) => {
                const w = window as unknown as Harness
                w.__mount(body, false)
                const root = document.querySelector('.host')!.shadowRoot!
                return {
                    img: root.querySelector('img')!.getAttribute('src'),
                    styled: root.querySelectorAll('[style]').length,
                    text: root.querySelector('p')!.textContent,
                    csp: w.__csp,
                }
            }, DEFAULT_BODY)
            expect(r).toEqual({
                img: 'https://posthog.com/x.webp',
                styled: 0,
                text: "You're invited to a 30-minute user interview.Help guide our roadmap and get $50 of PostHog Merch.",
                csp: [],
            })
            expect(events).toEqual([])
        } finally {
            await close()
        }
    })
})
