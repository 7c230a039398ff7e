// Test page bootstrap (a served file, so it also runs under a strict Content-Security-Policy).
// Options come from the JSON data block the stand-in writes into the page: { token, init }.
;(function () {
    var el = document.getElementById('standin-options')
    var opts = el ? JSON.parse(el.textContent || '{}') : {}
    var ph = window.posthog
    window.__standin = { loaded: false, errors: [] }
    if (!ph || typeof ph.init !== 'function') {
        window.__standin.errors.push('posthog-js did not load')
        return
    }
    var config = {
        api_host: window.location.origin,
        opt_in_site_apps: true,
        opt_out_useragent_filter: true,
        request_batching: false,
        disable_session_recording: true,
        disable_surveys: true,
        capture_pageleave: false,
        loaded: function () {
            window.__standin.loaded = true
        },
    }
    var extra = opts.init || {}
    for (var k in extra) if (Object.prototype.hasOwnProperty.call(extra, k)) config[k] = extra[k]
    ph.init(opts.token, config)
})()
