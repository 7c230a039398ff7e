import { describe, expect, it, vi } from 'vitest'
import { contrastRatio, cssColour } from '../../src/colour'
import { createWarn, LOG_PREFIX } from '../../src/log'
import { hostnameAllowed, queryParam, safeUrl, withoutQueryParam } from '../../src/urls'

describe('safeUrl', () => {
    it('accepts absolute http(s) URLs only, re-serialised', () => {
        expect(safeUrl(' https://cal.com/a/30min ')).toBe('https://cal.com/a/30min')
        expect(safeUrl('http://example.test')).toBe('http://example.test/')
        expect(safeUrl('HTTPS://EXAMPLE.TEST/X')).toBe('https://example.test/X')
        for (const bad of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', 'mailto:a@b.c', '//cal.com/x', '/path', 'cal.com', '', null, 1, {}]) {
            expect(safeUrl(bad)).toBe('')
        }
        expect(safeUrl('https://x.test/' + 'a'.repeat(3000))).toBe('')
    })

    it('accepts mailto: only when asked (links, never booking links or images)', () => {
        expect(safeUrl('mailto:a@b.c')).toBe('')
        expect(safeUrl('mailto:a@b.c', true)).toBe('mailto:a@b.c')
        expect(safeUrl('javascript:alert(1)', true)).toBe('')
    })
})

describe('query parameters', () => {
    const BOOKED = 'bookedUserInterviewEvent'

    it('reads a trimmed value, or null when absent or empty', () => {
        expect(queryParam('https://a.test/?bookedUserInterviewEvent=%20flag-1%20&x=1', BOOKED)).toBe('flag-1')
        expect(queryParam('https://a.test/?bookedUserInterviewEvent=', BOOKED)).toBeNull()
        expect(queryParam('https://a.test/', BOOKED)).toBeNull()
        expect(queryParam('https://a.test/#bookedUserInterviewEvent=f', BOOKED)).toBeNull()
    })

    it("reads a hash-routed app's query too, the address's own first", () => {
        expect(queryParam('https://a.test/#/home?bookedUserInterviewEvent=flag', BOOKED)).toBe('flag')
        expect(queryParam('https://a.test/app/#!/home?x=1&bookedUserInterviewEvent=f%2Dg', BOOKED)).toBe('f-g')
        expect(queryParam('https://a.test/?bookedUserInterviewEvent=a#/home?bookedUserInterviewEvent=b', BOOKED)).toBe('a')
    })

    it('removes any of several names, every occurrence', () => {
        expect(withoutQueryParam('https://a.test/?old=x&a=1&new=y#/r?new=z&b=2&old', 'new|old')).toBe('https://a.test/?a=1#/r?b=2')
        expect(withoutQueryParam('https://a.test/?renew=1&new2=2&a=new', 'new')).toBe('https://a.test/?renew=1&new2=2&a=new')
    })

    it('removes one parameter and keeps the rest, hash included', () => {
        expect(withoutQueryParam('https://a.test/home?x=1&bookedUserInterviewEvent=f#top', BOOKED)).toBe('https://a.test/home?x=1#top')
        expect(withoutQueryParam('https://a.test/home?bookedUserInterviewEvent=f', BOOKED)).toBe('https://a.test/home')
        expect(withoutQueryParam('https://a.test/home?bookedUserInterviewEvent=f#top', BOOKED)).toBe('https://a.test/home#top')
    })

    it("leaves every other byte of the page's own query as it was", () => {
        const query = '?name=John%20Smith&next=/a/b,c&debug&plus=a+b&x=%E2%9C%93&&empty=&dup=1&dup=2'
        expect(withoutQueryParam(`https://a.test/p${query}&bookedUserInterviewEvent=f`, BOOKED)).toBe(`https://a.test/p${query}`)
        expect(withoutQueryParam(`https://a.test/p?bookedUserInterviewEvent=f&${query.slice(1)}#h`, BOOKED)).toBe(`https://a.test/p${query}#h`)
        // Spelled any way the URL parser reads as that name, and every occurrence of it.
        expect(withoutQueryParam('https://a.test/?a=1&bookedUserInterviewEvent=f&b=2&bookedUserInterviewEvent', BOOKED)).toBe('https://a.test/?a=1&b=2')
    })

    it("removes it from a hash route's query, leaving the route as it was", () => {
        expect(withoutQueryParam('https://a.test/#/home?bookedUserInterviewEvent=flag', BOOKED)).toBe('https://a.test/#/home')
        expect(withoutQueryParam('https://a.test/?q=a+b#/home?tab=1&bookedUserInterviewEvent=flag&z=%20', BOOKED)).toBe(
            'https://a.test/?q=a+b#/home?tab=1&z=%20',
        )
        expect(withoutQueryParam('https://a.test/#section', BOOKED)).toBe('https://a.test/#section')
    })
})

describe('hostnameAllowed', () => {
    it('allows everything without domains, exact hosts, and *. subdomains', () => {
        expect(hostnameAllowed('anything.test', [])).toBe(true)
        expect(hostnameAllowed('App.Example.com', ['app.example.com'])).toBe(true)
        expect(hostnameAllowed('example.com', ['app.example.com'])).toBe(false)
        expect(hostnameAllowed('evil-example.com', ['*.example.com'])).toBe(false)
        expect(hostnameAllowed('a.b.example.com', ['*.example.com'])).toBe(true)
    })
})

describe('colours', () => {
    const browser = vi.fn(() => true)

    it('accepts plain colours only, and of those only what the browser takes', () => {
        expect(cssColour(' #1D4AFF ', browser)).toBe('#1d4aff')
        expect(cssColour('rgba(0, 0, 0, .5)', browser)).toBe('rgba(0, 0, 0, .5)')
        expect(cssColour('hsl(120deg 50% 40% / 0.5)', browser)).toBe('hsl(120deg 50% 40% / 0.5)')
        expect(cssColour('RebeccaPurple', browser)).toBe('rebeccapurple')
        expect(browser).toHaveBeenLastCalledWith('rebeccapurple')
        const bad = ['red;display:none', 'url(https://x)', 'expression(alert(1))', 'var(--x)', 'var(--x,) url(https://x)', 'rgb(var(--x))', 'rgb(1,2,3);x:y', '#12345g', 'red }', '']
        for (const value of bad) expect(cssColour(value, browser)).toBeNull()
        // What the browser refuses (an unknown name, five, seven or nine hex digits, a malformed rgb()): refused.
        for (const value of ['dodgerblu', '#12345', '#1234567', '#123456789', 'rgb(1, 2)', 'rgb(1 2 3 4 5)']) expect(cssColour(value, () => false)).toBeNull()
        // Without the browser's say, nothing passes.
        expect(cssColour('#ffffff')).toBeNull()
    })

    it('computes WCAG contrast ratios', () => {
        expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5)
        expect(contrastRatio('#fff', '#ffffff')).toBeCloseTo(1, 5)
        expect(contrastRatio('#1d4aff', '#ffffff')).toBeGreaterThan(4.5)
        expect(contrastRatio('#ffff00', '#ffffff')).toBeLessThan(4.5)
        expect(contrastRatio('#fff', '#777')).toBeCloseTo(4.48, 1)
        expect(contrastRatio('#1D4AFF'.toLowerCase(), '#fff')).toBeGreaterThan(6)
        expect(contrastRatio('rebeccapurple', '#fff')).toBeNaN()
        expect(contrastRatio('rgb(0,0,0)', '#fff')).toBeNaN()
    })
})

describe('createWarn', () => {
    it('prefixes, says each message once, and survives a throwing console', () => {
        const sink = vi.fn()
        const warn = createWarn(sink)
        warn('a')
        warn('a')
        warn('b', 42)
        expect(sink.mock.calls).toEqual([[`${LOG_PREFIX} a`, undefined], [`${LOG_PREFIX} b`, 42]])
        expect(() =>
            createWarn(() => {
                throw new Error('console gone')
            })('c'),
        ).not.toThrow()
    })
})
