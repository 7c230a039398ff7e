// The "App settings" card: a form of the app's site fields (plugin.json's, as the stand-in serves them).
import { $, el } from './dom.js'

const LONG = new Set(['interviewConfigs', 'invitationBody', 'footerHTML'])

function field(f, value) {
    if (f.type === 'choice' && Array.isArray(f.choices)) {
        const select = el('select')
        for (const choice of f.choices) {
            const option = el('option', '', choice)
            option.value = choice
            select.append(option)
        }
        select.value = value
        return select
    }
    const input = LONG.has(f.key) ? el('textarea') : el('input')
    if (LONG.has(f.key)) input.rows = f.key === 'invitationBody' ? 3 : 2
    else input.type = 'text'
    input.value = value
    return input
}

export function renderSettings(s) {
    const form = $('settings')
    form.textContent = ''
    for (const f of s.siteFields || []) {
        const label = el('label')
        label.append(el('span', 'key', f.name || f.key))
        const input = field(f, s.siteConfig[f.key] == null ? '' : String(s.siteConfig[f.key]))
        input.name = f.key
        label.append(input)
        if (f.hint) label.title = f.hint
        form.append(label)
    }
}

export function collectSettings() {
    const out = {}
    for (const f of $('settings').elements) if (f.name) out[f.name] = f.value
    return out
}
