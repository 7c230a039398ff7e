// The second review's defects (issue 18) where they are the app's own logic, with the fake posthog-js: which display
// counts, and where the twice-a-second check stops.
import { describe, expect, it, vi } from 'vitest'
import { inject } from '../../site'
import { afterNextPaint, fakePosthog, useFreshPage } from './fake-posthog'

const CONFIG = { interviewConfigs: 'user-interview=https://cal.test/ui', maxShows: '3' }
const SHOWS = 'ph-user-interview-interview_shows'

let warnings: string[]
useFreshPage((page) => ({ warnings } = page))

describe('displays nobody saw', () => {
    it('a background tab renders the popup, but counts the display only once the visitor comes to the tab', () => {
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['user-interview'])
        expect(document.querySelector('user-interviewer')).not.toBeNull()
        expect(localStorage.getItem(SHOWS)).toBeNull()
        vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
        document.dispatchEvent(new Event('visibilitychange'))
        expect(localStorage.getItem(SHOWS)).toBe('1')
        document.dispatchEvent(new Event('visibilitychange'))
        expect(localStorage.getItem(SHOWS)).toBe('1')
    })

    it('counts a visible display after its first paint', async () => {
        vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['user-interview'])
        await new Promise((resolve) => setTimeout(resolve))
        expect(localStorage.getItem(SHOWS)).toBeNull()
        await afterNextPaint()
        expect(localStorage.getItem(SHOWS)).toBe('1')
    })
})

describe('where nothing can show, nothing keeps checking', () => {
    it('a frame laid out at no size: no popup, no count, no interval', () => {
        vi.spyOn(window, 'innerWidth', 'get').mockReturnValue(0)
        const setInterval = vi.spyOn(window, 'setInterval')
        const clearInterval = vi.spyOn(window, 'clearInterval')
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['user-interview'])
        posthog.loadFlags(['user-interview'])
        expect(document.querySelector('user-interviewer')).toBeNull()
        expect(localStorage.getItem(SHOWS)).toBeNull()
        expect(posthog.captured).toEqual([])
        // Started once someone could be invited, then stopped, and never started again.
        expect(setInterval).toHaveBeenCalledTimes(1)
        expect(clearInterval).toHaveBeenCalledWith(setInterval.mock.results[0].value)
    })

    it('a browser that cannot show the popup (no constructable stylesheets): said once, and the check stops', () => {
        const setInterval = vi.spyOn(window, 'setInterval')
        const clearInterval = vi.spyOn(window, 'clearInterval')
        vi.spyOn(CSSStyleSheet.prototype, 'replaceSync').mockImplementation(() => {
            throw new TypeError('not supported')
        })
        const posthog = fakePosthog()
        inject({ config: CONFIG, posthog })
        posthog.loadFlags(['user-interview'])
        posthog.loadFlags(['user-interview'])
        expect(warnings.filter((line) => line.includes('[User Interviewer]'))).toHaveLength(1)
        expect(setInterval).toHaveBeenCalledTimes(1)
        expect(clearInterval).toHaveBeenCalledWith(setInterval.mock.results[0].value)
    })
})
