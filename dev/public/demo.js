// The demo page's own code: starts the real posthog-js against the stand-in (which serves the built site app) and
// drives the side panel, one card a module under demo/. Plain browser modules served as they are, no inline script.
import { configuredFlags, distinctId, forgetVisitor, get, post, STATE } from './demo/api.js'
import { $, el } from './demo/dom.js'
import { renderEvents } from './demo/events.js'
import { collectFlags, flagRow, renderFlags, renderFlagStatus } from './demo/flags.js'
import { bootstrapFromAddress, renderPerson, renderVisitor, wireIdentify } from './demo/person.js'
import { collectSettings, renderSettings } from './demo/settings.js'

const windowEvents = []
let state = null
let flagsLoaded = false

for (const name of ['PHUserInterviewBoxOpened', 'PHUserInterviewBoxClosed']) {
    window.addEventListener(name, () => {
        windowEvents.push(`${name.replace('PHUserInterview', '')} ${new Date().toLocaleTimeString()}`)
        $('window-events').textContent = `Window events: ${windowEvents.slice(-4).join(' · ')}`
    })
}

function start() {
    const opened = bootstrapFromAddress(window.location)
    get(STATE).then((s) => {
        $('token').textContent = s.token
        window.posthog.init(s.token, {
            api_host: window.location.origin,
            opt_in_site_apps: true,
            // The page may run headless (screenshots); posthog-js would treat that as a bot.
            opt_out_useragent_filter: true,
            request_batching: false,
            disable_session_recording: true,
            capture_pageleave: false,
            // "Same person, another device": this browser starts as that person, identified, before any flag loads.
            ...(opened ? { bootstrap: opened.bootstrap } : {}),
            loaded: () => {
                if (opened) window.history.replaceState(null, '', opened.cleanAddress)
                poll()
            },
        })
    })
}

function poll() {
    const id = distinctId()
    get(`${STATE}?limit=80${id ? `&distinct_id=${encodeURIComponent(id)}` : ''}`)
        .then((s) => {
            state = s
            renderVisitor()
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
        .catch(() => {
            /* server restarting */
        })
        .then(() => setTimeout(poll, 1000))
}

function renderDelivery(s) {
    for (const radio of document.querySelectorAll('input[name="delivery"]')) radio.checked = radio.value === s.delivery
}

function renderTryLinks(s) {
    const select = $('try-flag')
    const flags = configuredFlags(s)
    const current = select.value
    if (select.dataset.flags !== flags.join(',')) {
        select.textContent = ''
        for (const f of flags) {
            const option = el('option', '', f)
            option.value = f
            select.append(option)
        }
        select.dataset.flags = flags.join(',')
        if (flags.includes(current)) select.value = current
    }
    updateTryLinks()
}

function updateTryLinks() {
    const flag = encodeURIComponent($('try-flag').value || 'user-interview')
    $('try-booked').href = `/?bookedUserInterviewEvent=${flag}`
    $('try-preview').href = `/?userInterviewPreview=${flag}`
}

/** Navigates to `address`, by default the plain page: one-shot parameters (booking redirect, preview) dropped. */
function reloadClean(address = '/') {
    window.location.href = address
}

function wire() {
    $('reload').addEventListener('click', () => window.location.reload())
    $('new-visitor').addEventListener('click', () => {
        forgetVisitor()
        reloadClean()
    })
    wireIdentify(reloadClean)
    $('only-app').addEventListener('change', () => state && renderEvents(state, true))
    $('try-flag').addEventListener('change', updateTryLinks)
    for (const radio of document.querySelectorAll('input[name="delivery"]')) {
        radio.addEventListener('change', (ev) => post('delivery', { delivery: ev.target.value }).then(() => window.location.reload()))
    }
    $('add-flag').addEventListener('click', () => $('flags').append(flagRow('', { enabled: true })))
    $('save-flags').addEventListener('click', () => {
        const edited = collectFlags()
        post('flags', { flags: edited.flags }).then(() => {
            $('flags-note').textContent = `${edited.warnings.length ? `${edited.warnings.join('; ')}. ` : ''}Saved; posthog-js reloaded the flags.`
            if (window.posthog && window.posthog.reloadFeatureFlags) window.posthog.reloadFeatureFlags()
        })
    })
    $('save-settings').addEventListener('click', () => {
        post('settings', { settings: collectSettings(), replace: true }).then(() => window.location.reload())
    })
    $('reset-demo').addEventListener('click', () => {
        post('reset').then(() => {
            forgetVisitor()
            reloadClean()
        })
    })
}

wire()
start()
