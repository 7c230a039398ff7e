import { defineConfig, type Plugin } from 'vitest/config'
import { isPreactSource, patchPreactSource, PREACT_SOURCE } from './esbuild.config.mjs'

/** The unit tests render with the Preact the bundle ships: built from its source, less what the app never uses. */
const preactFromSource: Plugin = {
    name: 'preact-from-source',
    enforce: 'pre',
    resolveId(id) {
        return id === 'preact' ? `${PREACT_SOURCE}index.js` : null
    },
    transform(code, id) {
        // By its real path too: Vite, like esbuild, resolves a symlinked node_modules.
        return isPreactSource(id) ? patchPreactSource(id, code) : null
    },
}

export default defineConfig({
    test: {
        projects: [
            {
                plugins: [preactFromSource],
                test: {
                    name: 'unit',
                    include: ['test/unit/**/*.test.ts'],
                    environment: 'happy-dom',
                    // happy-dom's report of each booking frame it does not load (below) is expected: not printed.
                    setupFiles: ['test/unit/quiet-frames.ts'],
                    // Parsed test markup must stay inert in happy-dom too (browsers' DOMParser documents are): no
                    // script runs, nothing loads, and nothing is logged about it.
                    environmentOptions: {
                        happyDOM: {
                            settings: {
                                disableJavaScriptFileLoading: true,
                                disableCSSFileLoading: true,
                                disableIframePageLoading: true,
                                handleDisabledFileLoadingAsSuccess: true,
                            },
                        },
                    },
                },
            },
            {
                test: {
                    name: 'e2e',
                    include: ['test/e2e/**/*.test.ts'],
                    environment: 'node',
                    testTimeout: 60_000,
                    hookTimeout: 60_000,
                    // One Chromium per file; two cores, so keep files from fighting.
                    fileParallelism: false,
                },
            },
        ],
    },
})
