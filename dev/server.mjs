// `npm start`: the local demo. Serves the built site app through the PostHog stand-in, with the demo page at `/`: by
// default as today's PostHog does (a site-app HogFunction, dist/hog-function.json), or in either plugin form. Settings,
// flags and delivery mode can be changed from the page's side panel.
import { pathToFileURL } from 'node:url'
import { startStandIn, siteAppBuilt } from './posthog-standin.mjs'

/** What a fresh demo looks like: one interview, its flag on for everyone until the person has answered. */
export const DEMO_SETTINGS = { interviewConfigs: 'user-interview=https://cal.com/example/30min' }
export const DEMO_FLAGS = {
    'user-interview': { enabled: true, unlessPersonHas: 'Seen User Interview Invitation - user-interview' },
}

export async function startDemo({ port = Number(process.env.PORT ?? 8010), log = console.error } = {}) {
    const standIn = await startStandIn({ port, settings: DEMO_SETTINGS, flags: DEMO_FLAGS, delivery: 'hog', log })
    // Offline, the demo books on the stand-in's imitation of a cal.com page (a self-hosted cal.com's `/embed` link):
    // Book opens it in the booking panel, and its Confirm button books.
    standIn.setSettings({ interviewConfigs: `user-interview=${standIn.url}/_standin/booking/cal/example/30min/embed` })
    return standIn
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    if (!siteAppBuilt()) console.error('warning: dist/site.ts is missing; run `npm run build` (the page will load without the app)')
    const standIn = await startDemo()
    console.log(`User Interviewer demo: ${standIn.url}/  (also ${standIn.localhostUrl}/)`)
    console.log(`Test page: ${standIn.url}/test   Stand-in state: ${standIn.url}/_standin/state`)
    const stop = () => standIn.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
}
