// inject() timed alone, for this app and the original approach: called with a posthog whose flags do not match, in a
// page of the stand-in's origin (localStorage works), cross-origin isolated so that performance.now() has 5 µs
// resolution rather than 100 µs. The first 20 runs warm the JIT up and are not counted.

/**
 * `servedCode`: each app's code as PostHog serves it (an expression giving its exports), `runs` timed calls each.
 * Returns `{ isolated, ours: { times, addedPerInject }, original: {...} }`.
 */
export async function timeInject(browser, standIn, servedCode, runs) {
    const context = await browser.newContext()
    const page = await context.newPage()
    const blank = `${standIn.url}/__bench_blank`
    await page.route(blank, (route) =>
        route.fulfill({
            status: 200,
            contentType: 'text/html',
            headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
            body: '<!doctype html><html lang="en"><head><title>bench</title></head><body><main><p>Host page</p></main></body></html>',
        }),
    )
    await page.goto(blank)
    const isolated = await page.evaluate(() => window.crossOriginIsolated)
    const config = standIn.siteConfig()
    await page.addScriptTag({ content: `window.__ours = ${servedCode.ours};\nwindow.__original = ${servedCode.original};` })
    const inject = { isolated }
    for (const name of ['ours', 'original']) {
        inject[name] = await page.evaluate(
            ({ name, config, runs }) => {
                const app = window[name === 'ours' ? '__ours' : '__original']()
                const fake = () => ({
                    capture() {},
                    onFeatureFlags(cb) {
                        // posthog-js calls back at once when flags are already loaded.
                        cb(['some-other-flag'], { 'some-other-flag': true }, { errorsLoading: false })
                        return () => {}
                    },
                    getFeatureFlagPayload() {
                        return undefined
                    },
                    get_property() {
                        return undefined
                    },
                    has_opted_out_capturing() {
                        return false
                    },
                })
                const times = []
                const nodesBefore = document.body.childNodes.length
                let added = 0
                for (let i = 0; i < runs + 20; i++) {
                    delete window.__userInterviewer
                    const posthog = fake()
                    const t = performance.now()
                    app.inject({ config: { ...config }, posthog, callback() {} })
                    const d = performance.now() - t
                    if (i >= 20) times.push(d) // the first runs warm the JIT up
                    added = Math.max(added, document.body.childNodes.length - nodesBefore)
                    while (document.body.childNodes.length > nodesBefore) document.body.lastChild.remove()
                }
                return { times, addedPerInject: added }
            },
            { name, config, runs },
        )
    }
    await context.close()
    return inject
}
