// The "Feature flags" card: the stand-in's flags, editable (enabled, JSON payload, the release condition that turns a
// flag off for a person who has a property), and whether each is on for this visitor.
import { $, el } from './dom.js'

/** A flag's spec as the stand-in takes it: `true`, a variant string, or `{ enabled, payload, unlessPersonHas }`. */
function normalised(spec) {
    if (typeof spec === 'boolean') return { enabled: spec }
    if (typeof spec === 'string') return { enabled: true, variant: spec }
    return spec || { enabled: true }
}

function input(className, value, placeholder) {
    const e = el('input', className)
    e.type = 'text'
    e.value = value
    if (placeholder) e.placeholder = placeholder
    return e
}

function payloadText(spec) {
    if (spec.rawPayload != null) return spec.rawPayload
    return spec.payload !== undefined ? JSON.stringify(spec.payload, null, 1) : ''
}

export function flagRow(key, given) {
    const spec = normalised(given)
    const row = el('div', 'flag')
    row.dataset.key = key
    const top = el('div', 'flag-top')
    const enabled = el('input', 'f-enabled')
    enabled.type = 'checkbox'
    enabled.checked = spec.enabled !== false
    enabled.title = 'Enabled for everyone'
    const name = input('f-key', key, 'flag key')
    name.setAttribute('aria-label', 'Flag key')
    const remove = el('button', 'remove', '×')
    remove.type = 'button'
    remove.title = 'Remove flag'
    remove.addEventListener('click', () => row.remove())
    top.append(enabled, name, el('span', 'status', '…'), remove)

    const payloadLabel = el('label', '', 'JSON payload (optional)')
    const payload = el('textarea', 'f-payload')
    payload.rows = 2
    payload.placeholder = '{ "bookingLink": "https://…", "invitationTitle": "…" }'
    payload.value = payloadText(spec)
    payloadLabel.append(payload)

    const condLabel = el('label', '', 'Release condition: off once the person has property')
    condLabel.append(input('f-unless', spec.unlessPersonHas || '', `Seen User Interview Invitation - ${key || 'flag'}`))
    row.append(top, payloadLabel, condLabel)
    return row
}

export function renderFlags(flags) {
    const box = $('flags')
    box.textContent = ''
    for (const key of Object.keys(flags || {})) box.append(flagRow(key, flags[key]))
}

export function renderFlagStatus(s) {
    for (const row of document.querySelectorAll('#flags .flag')) {
        const served = s.flagsForVisitor && s.flagsForVisitor[row.querySelector('.f-key').value]
        const status = row.querySelector('.status')
        status.className = `status${served && served.enabled ? ' on' : ''}`
        status.textContent = served ? (served.enabled ? 'on for visitor' : 'off for visitor') : 'unsaved'
    }
}

/** The flags as edited, and a warning for each payload that is not JSON (sent as typed, as PostHog would keep it). */
export function collectFlags() {
    const flags = {}
    const warnings = []
    for (const row of document.querySelectorAll('#flags .flag')) {
        const key = row.querySelector('.f-key').value.trim()
        if (!key) continue
        const spec = { enabled: row.querySelector('.f-enabled').checked }
        const text = row.querySelector('.f-payload').value.trim()
        if (text) {
            try {
                spec.payload = JSON.parse(text)
            } catch {
                spec.rawPayload = text
                warnings.push(`${key}: payload is not JSON, sent as is`)
            }
        }
        const unless = row.querySelector('.f-unless').value.trim()
        if (unless) spec.unlessPersonHas = unless
        flags[key] = spec
    }
    return { flags, warnings }
}
