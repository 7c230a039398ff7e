// Simulates a browser where storage is blocked (privacy settings, sandboxed iframes): touching
// window.localStorage or window.sessionStorage throws, as Chromium does with cookies disabled.
;(function () {
    function thrower(name) {
        return function () {
            throw new DOMException("Failed to read the '" + name + "' property from 'Window': Access is denied for this document.", 'SecurityError')
        }
    }
    ;['localStorage', 'sessionStorage'].forEach(function (name) {
        try {
            Object.defineProperty(window, name, { configurable: true, get: thrower(name) })
        } catch (e) {
            /* ignore */
        }
    })
})()
