// The popup's only styles. They live in its shadow root, so the host page's CSS cannot reach in and ours cannot leak
// out; `:host{all:initial}` also cuts off the inherited properties (font, colour, line-height) that would.
// Sizes are in px, never rem: a host page's `html{font-size}` must not resize the popup.
// One font face, regular weight, in sizes only: each further face (a bold title, a named family) is a font lookup and
// load in the popup's first layout, which delays its first paint by milliseconds on a cold page. The generic
// `sans-serif` is the browser's own setting, the cheapest family to resolve.

const DARK = '--bg:#1f2127;--fg:#f3f4f6;--mu:#c9ccd4;--bd:#474b57;--fr:#9db1ff'

export const POPUP_CSS =
    ':host{all:initial!important}' +
    '*{box-sizing:border-box}' +
    '.p{--bg:#fff;--fg:#1f2330;--mu:#454b5c;--bd:#c3c8d1;--fr:#1d4aff;position:fixed;bottom:16px;right:16px;width:380px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;padding:20px;background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:12px;box-shadow:0 8px 28px #0004;font:14px/1.5 sans-serif;animation:i .2s}' +
    `.dark{${DARK}}` +
    `@media (prefers-color-scheme:dark){.auto{${DARK}}}` +
    '.bottom-left{right:auto;left:16px}' +
    '.center{inset:50% auto auto 50%;transform:translate(-50%,-50%)}' +
    '.p:focus{outline:0}' +
    '@keyframes i{from{opacity:0;translate:0 12px}}' +
    '@media (prefers-reduced-motion:reduce){.p{animation:none}}' +
    'h2{margin:0 0 8px;font:inherit;font-size:18px}' +
    '.b,.f{color:var(--mu);overflow-wrap:anywhere}' +
    'p{margin:0 0 8px}' +
    'img{max-width:100%;height:auto}' +
    'a{color:var(--fr)}' +
    '.a{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px;margin-top:16px}' +
    'button{font:inherit;min-height:40px;padding:8px 16px;border-radius:8px;border:1px solid var(--bd);background:none;color:var(--fg);cursor:pointer}' +
    ':focus-visible{outline:2px solid var(--fr);outline-offset:2px}' +
    'button:hover{filter:brightness(1.1)}' +
    '.book{background:var(--bb);color:var(--bc);border-color:#0000}' +
    '.f{margin-top:14px;padding-top:10px;border-top:1px solid var(--bd)}' +
    // The booking panel: a modal <dialog> in the top layer (no z-index needed), room for a calendar on a desktop,
    // the whole screen on a phone.
    '.k{inset:0;margin:auto;width:1000px;height:760px;padding:0;flex-direction:column;overflow:hidden}' +
    '.k[open]{display:flex}' +
    '.k::backdrop{background:#0008}' +
    '.h{display:flex;align-items:center;gap:16px;padding:8px 8px 8px 20px;border-bottom:1px solid var(--bd)}' +
    '.h h2{flex:1;margin:0}' +
    '.s{margin:0;padding:0 20px;color:var(--mu)}' +
    '.s:not(:empty){padding-block:8px}' +
    'iframe{flex:1;width:100%;border:0}' +
    '.o{margin:auto;font-size:18px}' +
    '@media (max-width:600px){.k{width:100%;height:100%;max-width:none;max-height:none;border:0;border-radius:0}}'
