// Imitations of a Calendly and a cal.com scheduling page, served by the stand-in (`/_standin/booking/calendly/...`,
// `/_standin/booking/cal/.../embed`) and, in the e2e tests, under the tools' real hostnames (Playwright routes
// calendly.com and app.cal.com here). Each posts to its parent exactly what the real page posts, read from each
// tool's embed source and docs (src/booking.ts lists them), and no more:
// - Calendly: only when framed with `embed_domain` (without it the real page posts nothing), plain objects
//   `{ event: 'calendly.…', payload }`: event_type_viewed and page_height on load, date_and_time_selected, then
//   event_scheduled with `{ event: { uri }, invitee: { uri } }` on a booking.
// - cal.com: `{ originator: 'CAL', type, namespace, fullType, data }`, starting with `__iframeReady`. The page stays
//   hidden (visibility) until its parent answers with `{ originator: 'CAL', method: 'parentKnowsIframeReady' }`, then
//   posts linkReady. A booking posts bookingSuccessful (the older message, with the attendee's name and email) and
//   then bookingSuccessfulV2 `{ uid, title, startTime, endTime, eventTypeId, status, paymentRequired, isRecurring,
//   videoCallUrl }`.
// Both show their address's query (what the app passed them: prefill and tracking) and a Confirm button that books.

const STYLE =
    'body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:24px;color:#1a1a1a;background:#fff}' +
    'h1{font-size:20px;margin:0 0 4px}p{margin:0 0 12px;color:#555}label{display:block;margin:8px 0}' +
    'input{font:inherit;padding:6px 8px;border:1px solid #bbb;border-radius:6px;width:100%;max-width:320px;box-sizing:border-box}' +
    '.slots{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}.slots button,#confirm{font:inherit;padding:8px 14px;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}' +
    '#confirm{background:#0069ff;color:#fff;border-color:#0069ff}#done{display:none;color:#0a7a2f;font-weight:600}'

/** The page's body: a calendar-like form, the query it was given, and a Confirm button. */
function bookingBody(tool, query) {
    const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    const params = [...query.entries()].map(([k, v]) => `<li><code>${esc(k)}</code> = <code>${esc(v)}</code></li>`).join('')
    return `<h1>${tool}: 30 minute user interview</h1>
<p>Imitation scheduling page (stand-in). Pick a time, then confirm.</p>
<div class="slots"><button id="pick">Mon 10:00</button><button>Mon 14:30</button><button>Tue 09:00</button></div>
<label>Name <input id="name" value="${esc(query.get('name') ?? '')}"></label>
<label>Email <input id="email" value="${esc(query.get('email') ?? '')}"></label>
<p><button id="confirm">Confirm</button></p>
<p id="done" role="status">Booked.</p>
<details><summary>Parameters received</summary><ul id="params">${params}</ul></details>`
}

/** An imitation Calendly scheduling page for `url` (its path and query). */
export function calendlyPage(url) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calendly (stand-in)</title>
<style>${STYLE}</style></head><body>${bookingBody('Calendly', url.searchParams)}
<script>
(function () {
    var query = new URLSearchParams(location.search)
    // The real page tells its parent only when framed with embed_domain.
    var embedded = parent !== window && query.has('embed_domain')
    function post(event, payload) {
        if (embedded) parent.postMessage({ event: event, payload: payload }, '*')
    }
    var id = Math.random().toString(36).slice(2, 10).toUpperCase()
    post('calendly.event_type_viewed', {})
    post('calendly.page_height', { height: '602px' })
    document.getElementById('pick').onclick = function () {
        post('calendly.date_and_time_selected', {})
    }
    document.getElementById('confirm').onclick = function () {
        post('calendly.event_scheduled', {
            event: { uri: 'https://api.calendly.com/scheduled_events/EV' + id },
            invitee: { uri: 'https://api.calendly.com/scheduled_events/EV' + id + '/invitees/IN' + id },
        })
        document.getElementById('done').style.display = 'block'
    }
})()
</script></body></html>`
}

/** An imitation cal.com embed page for `url` (`/{user}/{event}/embed?embed={namespace}&embedType=inline`). */
export function calComPage(url) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cal.com (stand-in)</title>
<style>${STYLE}</style></head><body>${bookingBody('Cal.com', url.searchParams)}
<script>
(function () {
    var namespace = new URLSearchParams(location.search).get('embed')
    var embedded = parent !== window && namespace !== null
    // Kept hidden until the parent knows the frame is ready, as cal.com's _document does for embeds.
    if (embedded) document.body.style.visibility = 'hidden'
    function post(type, data) {
        if (embedded)
            parent.postMessage(
                { originator: 'CAL', type: type, namespace: namespace, fullType: 'CAL:' + namespace + ':' + type, data: data },
                '*',
            )
    }
    window.__parentKnowsIframeReady = 0
    addEventListener('message', function (e) {
        if (e.data && e.data.originator === 'CAL' && e.data.method === 'parentKnowsIframeReady') {
            window.__parentKnowsIframeReady++
            document.body.style.visibility = 'visible'
            post('linkReady', {})
        }
    })
    post('__iframeReady', { isPrerendering: false })
    var uid = Math.random().toString(36).slice(2, 12)
    window.__bookingUid = uid // (for tests)
    document.getElementById('confirm').onclick = function () {
        var name = document.getElementById('name').value
        var email = document.getElementById('email').value
        var start = '2026-12-07T10:00:00.000Z'
        var end = '2026-12-07T10:30:00.000Z'
        post('bookingSuccessful', {
            booking: { uid: uid, title: '30 min', startTime: start, endTime: end, attendees: [{ name: name, email: email }] },
            eventType: { id: 42, title: '30 min', length: 30 },
            date: start,
            duration: 30,
            organizer: { name: 'Example', email: 'organizer@example.com', timeZone: 'Europe/London' },
            confirmed: true,
        })
        post('bookingSuccessfulV2', {
            uid: uid,
            title: '30 min between Example and ' + name,
            startTime: start,
            endTime: end,
            eventTypeId: 42,
            status: 'ACCEPTED',
            paymentRequired: false,
            isRecurring: false,
            videoCallUrl: 'https://app.cal.com/video/' + uid,
        })
        document.getElementById('done').style.display = 'block'
    }
})()
</script></body></html>`
}

/** The imitation for a stand-in path under `/_standin/booking/` (`calendly/...` or `cal/...`), or null. */
export function bookingPageFor(rest, url) {
    if (rest.startsWith('calendly/')) return calendlyPage(url)
    if (rest.startsWith('cal/')) return calComPage(url)
    return null
}
