// The demo page's own code: starts the real posthog-js against the stand-in (which serves the built site app) and
// drives the side panel. Plain browser JS from a served file, no inline script.
;(function () {
    'use strict'
    var STATE = '/_standin/state'
    var $ = function (id) {
        return document.getElementById(id)
    }
    var windowEvents = []
    var state = null
    var flagsLoaded = false

    // ---- posthog-js ----------------------------------------------------------------------------------------------
    ;['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed'].forEach(function (name) {
        window.addEventListener(name, function () {
            windowEvents.push(name.replace('PHUserInterview', '') + ' ' + new Date().toLocaleTimeString())
            $('window-events').textContent = 'Window events: ' + windowEvents.slice(-4).join(' · ')
        })
    })

    function get(url) {
        return fetch(url, { cache: 'no-store' }).then(function (r) {
            return r.json()
        })
    }
    function post(path, body) {
        return fetch('/_standin/' + path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body || {}),
        }).then(function (r) {
            return r.json()
        })
    }

    function start() {
        get(STATE).then(function (s) {
            $('token').textContent = s.token
            window.posthog.init(s.token, {
                api_host: window.location.origin,
                opt_in_site_apps: true,
                // The page may run headless (screenshots); posthog-js would treat that as a bot.
                opt_out_useragent_filter: true,
                request_batching: false,
                disable_session_recording: true,
                capture_pageleave: false,
                loaded: function (ph) {
                    $('distinct-id').textContent = ph.get_distinct_id()
                    poll()
                },
            })
        })
    }

    // ---- panel: state ------------------------------------------------------------------------------------------
    function distinctId() {
        return window.posthog && window.posthog.get_distinct_id ? window.posthog.get_distinct_id() : ''
    }

    function poll() {
        var id = distinctId()
        get(STATE + '?limit=80' + (id ? '&distinct_id=' + encodeURIComponent(id) : ''))
            .then(function (s) {
                state = s
                $('distinct-id').textContent = id || '…'
                renderDelivery(s)
                renderEvents(s)
                renderPerson(s)
                renderTryLinks(s)
                if (!flagsLoaded) {
                    flagsLoaded = true
                    renderFlags(s.flags)
                    renderSettings(s)
                }
                renderFlagStatus(s)
            })
            .catch(function () {
                /* server restarting */
            })
            .then(function () {
                setTimeout(poll, 1000)
            })
    }

    function appEventNames(s) {
        var c = s.siteConfig || {}
        return [
            c.shownUserInterviewPopupEvent,
            c.dismissUserInterviewPopupEvent,
            c.clickBookButtonEvent,
            c.bookedUserInterviewEvent,
        ].filter(Boolean)
    }

    function el(tag, className, text) {
        var e = document.createElement(tag)
        if (className) e.className = className
        if (text != null) e.textContent = text
        return e
    }

    var lastEventsKey = ''
    function renderEvents(s) {
        var onlyApp = $('only-app').checked
        var names = appEventNames(s)
        var list = s.events.filter(function (e) {
            return !onlyApp || names.indexOf(e.event) !== -1
        })
        var key = onlyApp + ':' + s.eventCount + ':' + list.length
        if (key === lastEventsKey) return
        lastEventsKey = key
        var ol = $('events')
        ol.textContent = ''
        if (!list.length) {
            ol.appendChild(el('li', 'empty', onlyApp ? 'No app events yet.' : 'No events yet.'))
            return
        }
        list.slice()
            .reverse()
            .forEach(function (e) {
                var li = el('li', names.indexOf(e.event) !== -1 ? 'app' : '')
                li.appendChild(el('div', 'name', e.event))
                var meta = new Date(e.receivedAt).toLocaleTimeString()
                if (e.properties && e.properties.featureFlagName) meta += ' · featureFlagName: ' + e.properties.featureFlagName
                meta += ' · ' + (e.distinct_id || '').slice(0, 12) + '…'
                li.appendChild(el('div', 'meta', meta))
                if (e.set && Object.keys(e.set).length && names.indexOf(e.event) !== -1) {
                    li.appendChild(el('pre', 'set', '$set ' + JSON.stringify(e.set, null, 1)))
                }
                ol.appendChild(li)
            })
    }

    function renderPerson(s) {
        var dl = $('person')
        dl.textContent = ''
        var props = s.person || {}
        var keys = Object.keys(props).filter(function (k) {
            return k.charAt(0) !== '$'
        })
        if (!keys.length) {
            dl.appendChild(el('div', 'empty', 'No person properties set yet.'))
            return
        }
        keys.sort().forEach(function (k) {
            var row = el('div')
            row.appendChild(el('dt', '', k))
            row.appendChild(el('dd', '', typeof props[k] === 'string' ? props[k] : JSON.stringify(props[k])))
            dl.appendChild(row)
        })
    }

    function renderDelivery(s) {
        var radios = document.querySelectorAll('input[name="delivery"]')
        for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === s.delivery
    }

    function configuredFlags(s) {
        var out = []
        String((s.siteConfig && s.siteConfig.interviewConfigs) || '')
            .split(',')
            .forEach(function (pair) {
                var k = pair.split('=')[0].trim()
                if (k && out.indexOf(k) === -1) out.push(k)
            })
        Object.keys(s.flags || {}).forEach(function (k) {
            if (out.indexOf(k) === -1) out.push(k)
        })
        return out
    }

    function renderTryLinks(s) {
        var select = $('try-flag')
        var flags = configuredFlags(s)
        var current = select.value
        if (select.options.length !== flags.length || select.dataset.flags !== flags.join(',')) {
            select.textContent = ''
            flags.forEach(function (f) {
                var o = el('option', '', f)
                o.value = f
                select.appendChild(o)
            })
            select.dataset.flags = flags.join(',')
            if (flags.indexOf(current) !== -1) select.value = current
        }
        updateTryLinks()
    }
    function updateTryLinks() {
        var f = $('try-flag').value || 'user-interview'
        $('try-booked').href = '/?bookedUserInterviewEvent=' + encodeURIComponent(f)
        $('try-preview').href = '/?userInterviewPreview=' + encodeURIComponent(f)
    }

    // ---- panel: flags ------------------------------------------------------------------------------------------
    function flagRow(key, spec) {
        if (typeof spec === 'boolean') spec = { enabled: spec }
        else if (typeof spec === 'string') spec = { enabled: true, variant: spec }
        spec = spec || { enabled: true }
        var row = el('div', 'flag')
        row.dataset.key = key
        var top = el('div', 'flag-top')
        var enabled = el('input')
        enabled.type = 'checkbox'
        enabled.className = 'f-enabled'
        enabled.checked = spec.enabled !== false
        enabled.title = 'Enabled for everyone'
        var name = el('input')
        name.type = 'text'
        name.className = 'f-key'
        name.value = key
        name.placeholder = 'flag key'
        name.setAttribute('aria-label', 'Flag key')
        var status = el('span', 'status', '…')
        var remove = el('button', 'remove', '×')
        remove.type = 'button'
        remove.title = 'Remove flag'
        remove.addEventListener('click', function () {
            row.remove()
        })
        top.appendChild(enabled)
        top.appendChild(name)
        top.appendChild(status)
        top.appendChild(remove)
        row.appendChild(top)

        var payloadLabel = el('label', '', 'JSON payload (optional)')
        var payload = el('textarea')
        payload.className = 'f-payload'
        payload.rows = 2
        payload.placeholder = '{ "bookingLink": "https://…", "invitationTitle": "…" }'
        payload.value = spec.rawPayload != null ? spec.rawPayload : spec.payload !== undefined ? JSON.stringify(spec.payload, null, 1) : ''
        payloadLabel.appendChild(payload)
        row.appendChild(payloadLabel)

        var condLabel = el('label', '', 'Release condition: off once the person has property')
        var cond = el('input')
        cond.type = 'text'
        cond.className = 'f-unless'
        cond.value = spec.unlessPersonHas || ''
        cond.placeholder = 'Seen User Interview Invitation - ' + (key || 'flag')
        condLabel.appendChild(cond)
        row.appendChild(condLabel)
        return row
    }

    function renderFlags(flags) {
        var box = $('flags')
        box.textContent = ''
        Object.keys(flags || {}).forEach(function (k) {
            box.appendChild(flagRow(k, flags[k]))
        })
    }

    function renderFlagStatus(s) {
        var rows = document.querySelectorAll('#flags .flag')
        for (var i = 0; i < rows.length; i++) {
            var key = rows[i].querySelector('.f-key').value
            var d = s.flagsForVisitor && s.flagsForVisitor[key]
            var st = rows[i].querySelector('.status')
            st.className = 'status' + (d && d.enabled ? ' on' : '')
            st.textContent = d ? (d.enabled ? 'on for visitor' : 'off for visitor') : 'unsaved'
        }
    }

    function collectFlags() {
        var out = {}
        var warnings = []
        var rows = document.querySelectorAll('#flags .flag')
        for (var i = 0; i < rows.length; i++) {
            var key = rows[i].querySelector('.f-key').value.trim()
            if (!key) continue
            var spec = { enabled: rows[i].querySelector('.f-enabled').checked }
            var text = rows[i].querySelector('.f-payload').value.trim()
            if (text) {
                try {
                    spec.payload = JSON.parse(text)
                } catch (e) {
                    spec.rawPayload = text
                    warnings.push(key + ': payload is not JSON, sent as is')
                }
            }
            var unless = rows[i].querySelector('.f-unless').value.trim()
            if (unless) spec.unlessPersonHas = unless
            out[key] = spec
        }
        return { flags: out, warnings: warnings }
    }

    // ---- panel: settings -----------------------------------------------------------------------------------------
    var LONG = { interviewConfigs: 1, invitationBody: 1, footerHTML: 1 }
    function renderSettings(s) {
        var form = $('settings')
        form.textContent = ''
        ;(s.siteFields || []).forEach(function (f) {
            var label = el('label')
            label.appendChild(el('span', 'key', f.name || f.key))
            var value = s.siteConfig[f.key] == null ? '' : String(s.siteConfig[f.key])
            var input
            if (f.type === 'choice' && Array.isArray(f.choices)) {
                input = el('select')
                f.choices.forEach(function (c) {
                    var o = el('option', '', c)
                    o.value = c
                    input.appendChild(o)
                })
                input.value = value
            } else if (LONG[f.key]) {
                input = el('textarea')
                input.rows = f.key === 'invitationBody' ? 3 : 2
                input.value = value
            } else {
                input = el('input')
                input.type = 'text'
                input.value = value
            }
            input.name = f.key
            label.appendChild(input)
            if (f.hint) label.title = f.hint
            form.appendChild(label)
        })
    }

    function collectSettings() {
        var out = {}
        var fields = $('settings').elements
        for (var i = 0; i < fields.length; i++) if (fields[i].name) out[fields[i].name] = fields[i].value
        return out
    }

    function reloadClean() {
        // Drop one-shot query params (booking redirect / preview) so a reload shows the normal page.
        window.location.href = '/'
    }

    // ---- wiring --------------------------------------------------------------------------------------------------
    $('reload').addEventListener('click', function () {
        window.location.reload()
    })
    $('new-visitor').addEventListener('click', function () {
        try {
            window.posthog.reset(true)
        } catch (e) {
            /* ignore */
        }
        try {
            window.localStorage.clear()
            window.sessionStorage.clear()
        } catch (e) {
            /* storage blocked */
        }
        reloadClean()
    })
    $('only-app').addEventListener('change', function () {
        lastEventsKey = ''
        if (state) renderEvents(state)
    })
    $('try-flag').addEventListener('change', updateTryLinks)
    var radios = document.querySelectorAll('input[name="delivery"]')
    for (var i = 0; i < radios.length; i++) {
        radios[i].addEventListener('change', function (ev) {
            post('delivery', { delivery: ev.target.value }).then(function () {
                window.location.reload()
            })
        })
    }
    $('add-flag').addEventListener('click', function () {
        $('flags').appendChild(flagRow('', { enabled: true }))
    })
    $('save-flags').addEventListener('click', function () {
        var c = collectFlags()
        post('flags', { flags: c.flags }).then(function () {
            $('flags-note').textContent =
                (c.warnings.length ? c.warnings.join('; ') + '. ' : '') + 'Saved; posthog-js reloaded the flags.'
            if (window.posthog && window.posthog.reloadFeatureFlags) window.posthog.reloadFeatureFlags()
        })
    })
    $('save-settings').addEventListener('click', function () {
        post('settings', { settings: collectSettings(), replace: true }).then(function () {
            window.location.reload()
        })
    })
    $('reset-demo').addEventListener('click', function () {
        post('reset').then(function () {
            try {
                window.posthog.reset(true)
                window.localStorage.clear()
            } catch (e) {
                /* ignore */
            }
            reloadClean()
        })
    })

    start()
})()
