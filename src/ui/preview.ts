// The preview's marker: the person setting the app up sees that this is not the live popup. Its text is the app's,
// not a setting (a visitor never sees it).
import { h } from 'preact'
import htm from 'htm'

const html = /* @__PURE__ */ htm.bind(h)

export function PreviewMarker() {
    return html`<p class="preview">Preview: nothing is recorded. A booking made here is real.</p>`
}
