// src/page-theme.ts: which shade `theme: auto` takes from what the page's computed styles say.
import { describe, expect, it } from 'vitest'
import { brightness, pageIsDark } from '../../src/page-theme'

const TRANSPARENT = 'rgba(0, 0, 0, 0)'
const BLACK_TEXT = 'rgb(0, 0, 0)'

describe('brightness', () => {
    it('reads rgb() and rgba() as computed styles give them', () => {
        expect(brightness('rgb(255, 255, 255)')).toBe(255)
        expect(brightness('rgb(0, 0, 0)')).toBe(0)
        expect(brightness('rgba(18, 20, 24, 0.9)')).toBeCloseTo(19.858, 3)
    })

    it('has none for a transparent colour or another form', () => {
        expect(brightness(TRANSPARENT)).toBeNaN()
        expect(brightness('oklch(0.2 0.01 250)')).toBeNaN()
        expect(brightness('')).toBeNaN()
    })
})

describe('pageIsDark', () => {
    it('the first background that is not transparent decides: the root, else the body', () => {
        expect(pageIsDark(['rgb(17, 17, 17)', 'rgb(255, 255, 255)'], BLACK_TEXT)).toBe(true)
        expect(pageIsDark([TRANSPARENT, 'rgb(18, 20, 24)'], BLACK_TEXT)).toBe(true)
        expect(pageIsDark([TRANSPARENT, 'rgb(247, 247, 245)'], 'rgb(255, 255, 255)')).toBe(false)
        // Half way is light; a mid grey under it is dark.
        expect(pageIsDark(['rgb(128, 128, 128)'], BLACK_TEXT)).toBe(false)
        expect(pageIsDark(['rgb(127, 127, 127)'], BLACK_TEXT)).toBe(true)
    })

    it('with no background, the text colour: light text (a declared dark color-scheme, CSS or <meta>) is a dark page', () => {
        expect(pageIsDark([TRANSPARENT, TRANSPARENT], 'rgb(255, 255, 255)')).toBe(true)
        // Nothing declared, nothing set: the browser's white page and black text.
        expect(pageIsDark([TRANSPARENT, TRANSPARENT], BLACK_TEXT)).toBe(false)
        // A background in a form it cannot read says nothing: the text does.
        expect(pageIsDark(['oklch(0.2 0.01 250)', TRANSPARENT], 'rgb(240, 240, 240)')).toBe(true)
        expect(pageIsDark([], 'oklch(0.9 0 0)')).toBe(false)
    })
})
