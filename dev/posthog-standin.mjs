// A local stand-in for the parts of PostHog that posthog-js and the campaign tools talk to, so the real posthog-js
// can load the built site app on loopback: remote config (config.js + JSON), flags, capture, the legacy site-app
// script, posthog-js's own static files, a demo page, a configurable test page, and the REST API the tools use.
// No framework, no network, no build step. The types are in posthog-standin.d.mts.
//
// One module per PostHog surface, under dev/standin/ (each cites the PostHog source it follows):
//   server.mjs            the router and startStandIn        state.mjs          the shared state object
//   remote-config.mjs     config.js / config / legacy script site-app.mjs       the plugin form (Babel, site config)
//   site-functions.mjs    HogFunctions of type site_app      flags.mjs          /flags and /decide
//   ingestion.mjs         capture and person updates         persons.mjs        persons and merges
//   test-page.mjs         /test                              control.mjs        /_standin/* control routes
//   handle.mjs            the StandIn handle                 http.mjs           HTTP plumbing, paths
//   api/router.mjs        /api/{projects,environments}/{id}/{resource}/: auth (api/auth.mjs), then the view:
//   api/hog-functions.mjs (+ hog-function-validation.mjs), api/insights.mjs, api/personal-api-keys.mjs,
//   api/feature-flags.mjs (+ feature-flag-validation.mjs; evaluated for /flags by flag-matching.mjs),
//   api/scheduled-changes.mjs (refused to scoped keys, as PostHog does; run by a control route),
//   api/query.mjs (EventsQuery, answered by events-query.mjs over the ingested events);
//   api/errors.mjs        drf-exceptions-hog bodies and DRF fields;  api/pagination.mjs  LimitOffsetPagination
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './standin/http.mjs'

export { startStandIn } from './standin/server.mjs'
export { DEFAULT_PERSONAL_API_KEY, DEFAULT_PERSONAL_API_KEY_SCOPES } from './standin/state.mjs'
export { siteConfigFromSchema, transpileSiteApp } from './standin/site-app.mjs'
export { IMPLICIT_SITE_FUNCTION_ID, siteFunctionLoader, transpileSiteFunction } from './standin/site-functions.mjs'
export { MAX_HOG_CODE_SIZE_BYTES } from './standin/api/hog-function-validation.mjs'
export { validationErrorBody } from './standin/api/errors.mjs'
export { insightQueryProblem } from './standin/api/insights.mjs'
export { decodeBody } from './standin/ingestion.mjs'
export { evaluateFlag, flagHash, matchPersonProperty } from './standin/flag-matching.mjs'

/** True when `dist/site.ts` exists (the app has been built). */
export function siteAppBuilt(path = join(root, 'dist', 'site.ts')) {
    try {
        return statSync(path).isFile()
    } catch {
        return false
    }
}
