// User Interviewer, the plugin form of the site app (plugin.json + site.ts), for PostHog versions that still serve
// plugin site apps. PostHog calls `inject` with the app's plugin config (strings from its form) and the page's
// posthog-js; this hands both to the one core in src/app.ts, which does not know how it was delivered.
import { guard, startApp, type PosthogLike } from './src/app'

export type { PosthogLike }

export interface InjectArgs {
    config?: unknown
    posthog?: PosthogLike
    callback?: (success: boolean) => void
}

/**
 * posthog-js reads `processEvent` off what this returns (inline delivery) and counts the app as errored when it is not
 * an object, so it always returns one; the app needs no per-event hook.
 */
export function inject(args: InjectArgs = {}): { processEvent?: (globals: unknown) => void } {
    const ready = startApp(args.config, args.posthog)
    guard(() => args.callback && args.callback(ready))()
    return {}
}
