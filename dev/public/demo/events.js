// The "Events received" card: what posthog-js sent the stand-in, newest first, the app's own events with every
// property they carry (featureFlagName, bookingTool, bookingId...) and what they `$set` on the person.
import { $, el, propertyList } from './dom.js'

/** The app's event names, as the settings have them. */
export function appEventNames(s) {
    const c = s.siteConfig || {}
    return [c.shownUserInterviewPopupEvent, c.dismissUserInterviewPopupEvent, c.clickBookButtonEvent, c.bookedUserInterviewEvent].filter(Boolean)
}

/** posthog-js's own properties without a `$`, on every event: not what an event says. */
const POSTHOG_JS_OWN = new Set(['distinct_id', 'token'])

/** What the panel shows of an event's properties: the app's own (not posthog-js's), then its `$set`. */
function readableProperties(e, isApp) {
    const props = e.properties || {}
    const own = Object.keys(props)
        .filter((key) => !key.startsWith('$') && !POSTHOG_JS_OWN.has(key))
        .map((key) => [key, props[key]])
    if (e.event === '$identify' && props.$anon_distinct_id) own.push(['$anon_distinct_id', props.$anon_distinct_id])
    const set = isApp && e.set ? Object.keys(e.set).map((key) => [`$set ${key}`, e.set[key]]) : []
    return own.concat(set)
}

function eventItem(e, isApp) {
    const li = el('li', isApp ? 'app' : '')
    const head = el('div', 'event-head')
    head.append(el('span', 'name', e.event), el('time', 'meta', new Date(e.receivedAt).toLocaleTimeString()))
    li.append(head)
    const who = el('div', 'meta distinct', e.distinct_id || '(no distinct id)')
    who.title = 'distinct id'
    li.append(who)
    const entries = readableProperties(e, isApp)
    if (entries.length) li.append(propertyList('event-props', entries))
    return li
}

let lastKey = ''

/** Renders the list again when an event arrived or the filter changed; `force` after the filter was toggled. */
export function renderEvents(s, force) {
    const onlyApp = $('only-app').checked
    const names = appEventNames(s)
    const list = s.events.filter((e) => !onlyApp || names.includes(e.event))
    const key = `${onlyApp}:${s.eventCount}:${list.length}`
    if (key === lastKey && !force) return
    lastKey = key
    const ol = $('events')
    ol.textContent = ''
    if (!list.length) {
        ol.append(el('li', 'empty', onlyApp ? 'No app events yet.' : 'No events yet.'))
        return
    }
    for (const e of list.slice().reverse()) ol.append(eventItem(e, names.includes(e.event)))
}
