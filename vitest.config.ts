import { defineConfig } from 'vitest/config'

export default defineConfig({
    test: {
        projects: [
            {
                test: {
                    name: 'unit',
                    include: ['test/unit/**/*.test.ts'],
                    environment: 'happy-dom',
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
