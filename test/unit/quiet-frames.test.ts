// The unit tests' console filter (test/unit/quiet-frames.ts) drops only happy-dom's report of a frame it was told not
// to load: any other error, DOMException or not, is still printed.
import { describe, expect, it } from 'vitest'
import { isDisabledFrameLoad } from './quiet-frames'

describe('quiet frames', () => {
    it("drops happy-dom's disabled frame load, from a real iframe", async () => {
        const reported: unknown[] = []
        const { default: nodeConsole } = await import('node:console')
        const printError = nodeConsole.error
        nodeConsole.error = (...args: unknown[]) => void reported.push(...args)
        try {
            const frame = document.createElement('iframe')
            frame.src = 'https://calendly.com/team/30min'
            document.body.append(frame)
            frame.remove()
        } finally {
            nodeConsole.error = printError
        }
        expect(reported).toHaveLength(1)
        expect(isDisabledFrameLoad(reported[0])).toBe(true)
    })

    it('keeps every other error', () => {
        expect(isDisabledFrameLoad(new DOMException('Failed to load iframe page "x". Iframe page loading is disabled.', 'NetworkError'))).toBe(false)
        expect(isDisabledFrameLoad(new DOMException('The operation is insecure.', 'NotSupportedError'))).toBe(false)
        expect(isDisabledFrameLoad(new Error('Failed to load iframe page "x". Iframe page loading is disabled.'))).toBe(false)
        expect(isDisabledFrameLoad('Failed to load iframe page "x". Iframe page loading is disabled.')).toBe(false)
        expect(isDisabledFrameLoad(null)).toBe(false)
    })
})
