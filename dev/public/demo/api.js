// What the demo page asks of the stand-in (its /_standin control routes) and of posthog-js.

export const STATE = '/_standin/state'

export function get(url) {
    return fetch(url, { cache: 'no-store' }).then((r) => r.json())
}

export function post(path, body) {
    return fetch(`/_standin/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body || {}),
    }).then((r) => r.json())
}

const posthog = () => window.posthog

/** The visitor's distinct id, once posthog-js has one. */
export function distinctId() {
    return posthog() && posthog().get_distinct_id ? posthog().get_distinct_id() : ''
}

/** Whether posthog-js has identified this visitor (identify() or a bootstrapped identified id). */
export function isIdentified() {
    return !!(posthog() && posthog().get_property && posthog().get_property('$user_state') === 'identified')
}

/** Forget this browser's visitor: posthog-js's persistence (cookie and storage) and the app's own memory. */
export function forgetVisitor() {
    try {
        posthog().reset(true)
    } catch {
        /* posthog-js not loaded */
    }
    try {
        window.localStorage.clear()
        window.sessionStorage.clear()
    } catch {
        /* storage blocked */
    }
}

/** The flags the settings name (interviewConfigs, in order), then any other flag the stand-in serves. */
export function configuredFlags(s) {
    const out = []
    for (const pair of String((s.siteConfig && s.siteConfig.interviewConfigs) || '').split(',')) {
        const key = pair.split('=')[0].trim()
        if (key && !out.includes(key)) out.push(key)
    }
    for (const key of Object.keys(s.flags || {})) if (!out.includes(key)) out.push(key)
    return out
}
