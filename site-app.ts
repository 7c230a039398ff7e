// User Interviewer, today's form of the site app: a HogFunction of type `site_app`. PostHog compiles this file's
// build (dist/site-app.ts) with its inputs (posthog/cdp/site_functions.py) and posthog-js calls `onLoad` with the
// typed input values and the page's posthog-js; this hands both to the one core in src/app.ts.
//
// No `onEvent` is exported, on purpose: PostHog calls it only through mappings, which a site app does not have, and
// exporting it would make posthog-js run a filter on every captured event for nothing.
import { startApp, type PosthogLike } from './src/app'

export interface OnLoadArgs {
    inputs?: unknown
    posthog?: PosthogLike
}

/**
 * Returns nothing (not a promise): PostHog's loader then reports the app loaded at once. An app that cannot run has
 * already said why on the console; a throw here would only reach posthog-js, so there is none (startApp never throws).
 */
export function onLoad(args?: OnLoadArgs): void {
    startApp(args && args.inputs, args && args.posthog)
}
