// The visitor and their person: who posthog-js says the visitor is (anonymous or identified), the Identify control,
// "Same person, another device", and the person's properties with the flags the stand-in now serves them. This is
// where the product's main promise shows: once an identified person answered, `Seen User Interview Invitation - {flag}`
// is on their person and the flag's release condition turns it off for them, on every device.
import { configuredFlags, distinctId, forgetVisitor, isIdentified } from './api.js'
import { $, el, shown } from './dom.js'

/** The demo's address that starts posthog-js as `email`, already identified (posthog-js's `bootstrap`). */
export const IDENTIFY_PARAM = 'identifyAs'

/** posthog-js's bootstrap for a page opened by "Same person, another device", and the address without the parameter. */
export function bootstrapFromAddress(location) {
    const url = new URL(location.href)
    const as = url.searchParams.get(IDENTIFY_PARAM)
    if (!as) return null
    url.searchParams.delete(IDENTIFY_PARAM)
    return { bootstrap: { distinctID: as, isIdentifiedID: true }, cleanAddress: url.pathname + url.search + url.hash }
}

export function renderVisitor() {
    const id = distinctId()
    $('distinct-id').textContent = id || '…'
    const identified = isIdentified()
    $('user-state').textContent = identified ? 'identified' : 'anonymous'
    $('user-state').className = identified ? 'badge on' : 'badge'
}

function flagLine(s) {
    const flags = configuredFlags(s)
    const served = s.flagsForVisitor || {}
    const line = el('div', 'person-flags')
    line.append(el('span', 'small', 'Flags served to this person: '))
    for (const key of flags) {
        const on = !!(served[key] && served[key].enabled)
        line.append(el('span', on ? 'badge on' : 'badge', `${key} ${on ? 'on' : 'off'}`))
    }
    return line
}

function explanation(s, keys) {
    const seen = keys.filter((k) => k.startsWith('Seen User Interview Invitation'))
    if (!isIdentified() && !keys.length)
        return 'Nothing on a person yet: posthog-js makes no person for an anonymous visitor, so the app keeps an answer on this browser until they are identified. Answer the popup, then Identify.'
    if (!isIdentified()) return 'Anonymous: Identify to send this visitor’s answer to their person.'
    if (!seen.length) return 'Identified. Answer the popup: the seen properties land here, and the flag turns off.'
    return 'Answered: the flag’s release condition (seen property not set) now serves it off to this person on every device. Try “Same person, another device”.'
}

export function renderPerson(s) {
    const props = s.person || {}
    // posthog-js sets every campaign parameter it looks for (gclid, fbclid...) once, as null when absent: not shown.
    const keys = Object.keys(props)
        .filter((k) => !k.startsWith('$') && props[k] !== null)
        .sort()
    const dl = $('person')
    dl.textContent = ''
    for (const key of keys) {
        const pair = el('div', key.startsWith('Seen User Interview Invitation') ? 'seen' : '')
        pair.append(el('dt', '', key), el('dd', '', shown(props[key])))
        dl.append(pair)
    }
    $('person-note').textContent = explanation(s, keys)
    $('person-flags').replaceWith(Object.assign(flagLine(s), { id: 'person-flags' }))
}

/** Wires the Identify form and the other-device button; `reload(address)` navigates. */
export function wireIdentify(reload) {
    $('identify').addEventListener('submit', (ev) => {
        ev.preventDefault()
        const as = $('identify-as').value.trim()
        // identify() merges this browser's anonymous id into the person and reloads the flags.
        if (as && window.posthog) window.posthog.identify(as, { email: as })
    })
    $('other-device').addEventListener('click', () => {
        const as = (isIdentified() && distinctId()) || $('identify-as').value.trim() || 'visitor@example.com'
        forgetVisitor()
        reload(`/?${IDENTIFY_PARAM}=${encodeURIComponent(as)}`)
    })
}
