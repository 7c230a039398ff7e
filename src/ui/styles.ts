// The popup's only styles. They live in its shadow root, so the host page's CSS cannot reach in and ours cannot leak
// out; `:host{all:initial}` also cuts off the inherited properties (font, colour, line-height) that would.
// Sizes are in px, never rem: a host page's `html{font-size}` must not resize the popup. The generic `sans-serif` is
// the browser's own setting, the cheapest family to resolve; the title and buttons take its weight 600.
// The colours are custom properties of `.popup` (light) and `.dark` (or `.system` in a dark system): src/ui/theme.ts
// gives the class as the popup mounts.

const BUTTON = 'button,.tab'
const DARK = '--ui-background:#1f2127;--ui-text:#f3f4f6;--ui-muted:#c9ccd4;--ui-border:#4b4f5b;--ui-secondary:#2d3039;--ui-focus:#9db1ff'

export const POPUP_CSS =
    ':host{all:initial!important}' +
    '*{box-sizing:border-box}' +
    '.popup{--ui-background:#fff;--ui-text:#1f2330;--ui-muted:#4a5061;--ui-border:#c9ced6;--ui-secondary:#f1f2f4;--ui-focus:#1d4aff;' +
    'position:fixed;bottom:16px;right:16px;width:380px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;' +
    'padding:20px;background:var(--ui-background);color:var(--ui-text);border:1px solid var(--ui-border);border-radius:12px;' +
    'box-shadow:0 8px 28px #0003;font:14px/1.5 sans-serif}' +
    `.dark{${DARK}}` +
    `@media (prefers-color-scheme:dark){.system{${DARK}}}` +
    '.bottom-left{right:auto;left:16px}' +
    '.center{inset:50% auto auto 50%;transform:translate(-50%,-50%)}' +
    '.popup:focus{outline:0}' +
    // (the right margin keeps a long title clear of the corner close)
    'h2{margin:0 32px 8px 0;font:600 18px/1.35 sans-serif}' +
    '.body,.footer{color:var(--ui-muted);overflow-wrap:anywhere}' +
    'p{margin:0 0 8px}' +
    'img{max-width:100%;height:auto}' +
    'a{color:var(--ui-focus)}' +
    '.actions{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px;margin-top:16px}' +
    // Every button, and the panel's new-tab link, is a secondary control; Book is the one primary.
    `${BUTTON}{font:inherit;font-weight:600;min-height:40px;padding:8px 16px;border-radius:8px;border:1px solid var(--ui-border);` +
    'background:var(--ui-secondary);color:var(--ui-text);cursor:pointer;text-decoration:none}' +
    ':focus-visible{outline:2px solid var(--ui-focus);outline-offset:2px}' +
    'button:hover,.tab:hover{filter:brightness(1.06)}' +
    '.book{background:var(--ui-book-background);color:var(--ui-book-text);border-color:#0000}' +
    '.close-icon{position:absolute;top:8px;right:8px;padding:0 12px;border:0;background:none;color:var(--ui-muted);font-size:22px}' +
    '.footer{margin-top:14px;padding-top:10px;border-top:1px solid var(--ui-border)}' +
    // The preview's marker: not a setting, never shown to a visitor.
    '.preview{margin:0 32px 12px 0;padding:4px 8px;border-radius:6px;background:#fff1c2;color:#4d3900}' +
    // The booking panel: a modal <dialog> in the top layer (no z-index needed), room for a calendar on a desktop, the
    // whole screen on a phone. Always light: booking pages are white.
    // (up to 1000 x 760 px; a phone's whole screen, whatever its height)
    '.panel{inset:0;margin:auto;width:100%;height:100%;max-width:1000px;max-height:760px;padding:0;overflow:hidden}' +
    // Rows: the header, the preview's marker (when there is one), the frame; what the status says lies over the top
    // of the frame (the same cell, drawn after it), so the frame never moves.
    '.panel[open]{display:grid;grid-template-rows:auto auto 1fr}' +
    '.panel::backdrop{background:#0008}' +
    '.header{display:flex;flex-wrap:wrap;justify-content:flex-end;align-items:center;gap:8px;padding:12px 16px;border-bottom:1px solid var(--ui-border)}' +
    '.header h2{flex:1;margin:0}' +
    '.panel .preview{margin:0;border-radius:0}' +
    'iframe,.status,.fallback{grid-area:3/1}' +
    'iframe{width:100%;height:100%;border:0}' +
    '.status{align-self:start;margin:0;color:var(--ui-muted)}' +
    '.status:not(:empty){padding:10px 20px;background:var(--ui-background);border-bottom:1px solid var(--ui-border)}' +
    '.status.booked{background:#e5f5ea;color:#0b5a2a;font-weight:600}' +
    '.fallback{place-self:center;font-size:18px}' +
    // On a phone the title has a line of its own, above the two buttons.
    '@media (max-width:600px){.panel{max-height:none;border:0;border-radius:0}.header h2{flex-basis:100%}}'
