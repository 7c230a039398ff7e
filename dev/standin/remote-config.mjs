// Remote config, as posthog/models/remote_config.py builds it and posthog-js 1.449 reads it (remote-config.js,
// site-apps.js, entrypoints/external-scripts-loader.js):
//   GET /array/{token}/config.js   inline: `_POSTHOG_REMOTE_CONFIG[token] = { config, siteApps: [{ id, init }] }`;
//                                  legacy: a script that defines nothing, so posthog-js falls back to the JSON
//   GET /array/{token}/config      the JSON, with `siteApps: [{ id, url }]` for the legacy plugin form
//   GET /site_app/{id}/{token}/{hash}/   the legacy site app script (posthog/api/site_app.py)
// Delivery 'hog' serves the app as a HogFunction of type `site_app` (see site-functions.mjs).
import { deliveryFor, send, sendJs, sendJson, templatingFor } from './http.mjs'
import { SITE_APP_ID, inlineSiteAppLoader, legacySiteAppScript, siteAppSource, siteAppUrl, siteConfig } from './site-app.mjs'
import { siteFunctionLoaders } from './site-functions.mjs'

/**
 * The JSON posthog-js reads from `/array/{token}/config` (and, without `siteApps`, from config.js).
 * @param {import('./state.mjs').StandInState} state @param {unknown[]} [legacySiteApps]
 */
export function remoteConfig(state, legacySiteApps) {
    return {
        token: state.token,
        supportedCompression: ['gzip', 'gzip-js'],
        hasFeatureFlags: true,
        captureDeadClicks: false,
        capturePerformance: false,
        autocapture_opt_out: false,
        autocaptureExceptions: false,
        analytics: { endpoint: '/i/v0/e/' },
        elementsChainAsString: true,
        errorTracking: { autocaptureExceptions: false, suppressionRules: [] },
        sessionRecording: false,
        heatmaps: false,
        surveys: false,
        productTours: false,
        defaultIdentifiedOnly: true,
        ...(legacySiteApps ? { siteApps: legacySiteApps } : {}),
    }
}

export const CONFIG_PATH = /^\/array\/([^/]+)\/(config\.js|config|array\.js)$/
export const SITE_APP_PATH = /^\/site_app\/(\d+)\/([^/]+)\/([^/]+)\/?$/

/** `/array/{token}/config(.js)`. @param {import('./state.mjs').StandInState} state @param {RegExpExecArray} cfg */
export async function configRoute(state, req, res, cfg) {
    if (cfg[1] !== state.token) return send(req, res, 404, '', 'application/json')
    const mode = deliveryFor(state, req)
    if (cfg[2] === 'config') {
        // 'hog': the app is a site function, which only config.js carries; no plugin is installed.
        if (mode === 'hog') return sendJson(req, res, 200, remoteConfig(state, []), { Vary: 'Origin, Referer' })
        const source = await siteAppSource(state).catch((e) => (state.log(String(e)), undefined))
        const legacy = source ? [{ id: SITE_APP_ID, url: siteAppUrl(state, source, siteConfig(state)) }] : []
        return sendJson(req, res, 200, remoteConfig(state, legacy), { Vary: 'Origin, Referer' })
    }
    if (cfg[2] === 'array.js') return send(req, res, 404, '', 'application/javascript')
    if (mode === 'legacy') {
        // Legacy path: the script form is unavailable, so posthog-js falls back to the JSON, whose
        // `siteApps: [{ id, url }]` it loads through `__PosthogExtensions__.loadSiteApp`.
        return sendJs(req, res, '/* stand-in: legacy delivery, no inline config */')
    }
    let loaders = ''
    if (mode === 'hog') {
        loaders = (await siteFunctionLoaders(state, templatingFor(state, req))).join(',')
    } else {
        try {
            loaders = inlineSiteAppLoader(await siteAppSource(state), siteConfig(state), SITE_APP_ID)
        } catch (e) {
            state.log(String(e))
        }
    }
    const js =
        `(function() {\n  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};\n` +
        `  window._POSTHOG_REMOTE_CONFIG['${state.token}'] = {\n    config: ${JSON.stringify(remoteConfig(state))},\n` +
        `    siteApps: [${loaders}]\n  }\n})();`
    return sendJs(req, res, js)
}

/** The legacy site app script. @param {import('./state.mjs').StandInState} state @param {RegExpExecArray} siteApp */
export async function siteAppRoute(state, req, res, siteApp) {
    if (siteApp[2] !== state.token || Number(siteApp[1]) !== SITE_APP_ID) return send(req, res, 404, '', 'text/plain')
    try {
        return sendJs(req, res, legacySiteAppScript(await siteAppSource(state), siteConfig(state), SITE_APP_ID))
    } catch (e) {
        return send(req, res, 500, `/* ${String(e).replace(/\*\//g, '')} */`, 'application/javascript')
    }
}
