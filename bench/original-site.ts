// A RE-CREATION, for `npm run bench` only: the approach of the original User Interview App (PostHog/user-interview-app,
// site.ts), written again from its description so the bench can measure that approach beside this app. It is not the
// original's code and not shipped. What it keeps of the original, because that is what the bench measures:
//   - plain TypeScript, no framework, served as PostHog's Babel transpile of the file (not minified);
//   - one inline CSS string (about the original's size), put in a <style> element in an open shadow root;
//   - that shadow host <div> appended to <body> on inject, before anyone is known to be targeted;
//   - localStorage reads on inject (last answer date) and per flag (answered already?);
//   - the popup built as an innerHTML template with the settings interpolated, one click listener on the shadow root.
// Like the original, it does no sanitising, no focus handling, no Escape, no callback(), and trusts its settings
// (so two matching flags, or a flag reload, can add a second popup).

const CSS = /* css */ `
    .popup {
        position: fixed;
        bottom: 20px;
        right: 20px;
        z-index: 999999;
        display: flex;
        flex-direction: column;
        max-width: 380px;
        color: black;
        font-weight: normal;
        text-align: left;
        font-family: -apple-system, BlinkMacSystemFont, 'Inter', 'Segoe UI', 'Roboto', Helvetica, Arial, sans-serif,
            'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol';
        background: white;
        border: 1px solid #f0f0f0;
        border-radius: 8px;
        padding-top: 5px;
        box-shadow: -6px 0 16px -8px rgb(0 0 0 / 8%), -9px 0 28px 0 rgb(0 0 0 / 5%), -12px 0 48px 16px rgb(0 0 0 / 3%);
    }
    .popup .invitation {
        margin-bottom: 10px;
        padding: 10px 20px 0 20px;
        color: #2d2d2d;
        font-size: 14px;
        font-family: -apple-system, BlinkMacSystemFont, 'Inter', 'Segoe UI', 'Roboto', Helvetica, Arial, sans-serif,
            'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol';
        background: white;
        border: none;
        outline: none;
    }
    .invitation-title {
        margin-top: 0;
        color: #2d2d2d;
        font-size: 1.125rem;
        font-weight: 700;
        text-align: left;
        font-family: -apple-system, BlinkMacSystemFont, Inter, Segoe UI, Roboto, Helvetica, Arial, sans-serif,
            'Apple Color Emoji', 'Segoe UI Emoji', Segoe UI Symbol;
    }
    .invitation-body {
        color: #2d2d2d;
        font-size: 0.875rem;
        font-weight: 400;
        text-align: left;
        font-family: -apple-system, BlinkMacSystemFont, Inter, Segoe UI, Roboto, Helvetica, Arial, sans-serif,
            'Apple Color Emoji', 'Segoe UI Emoji', Segoe UI Symbol;
    }
    .bottom {
        height: 20px;
        padding: 10px 0;
        border-top: 1px solid #f0f0f0;
    }
    .buttons {
        display: flex;
        justify-content: space-between;
    }
    .book-button,
    .close-button {
        position: relative;
        display: inline-block;
        box-sizing: border-box;
        height: 32px;
        margin: 0;
        padding: 4px 15px;
        overflow: visible;
        font-family: inherit;
        font-size: 14px;
        font-weight: 400;
        line-height: 1.5715;
        text-align: center;
        text-transform: none;
        white-space: nowrap;
        border: 1px solid transparent;
        border-radius: 4px;
        outline: 0;
        cursor: pointer;
        user-select: none;
        touch-action: manipulation;
        transition: all 0.3s cubic-bezier(0.645, 0.045, 0.355, 1);
    }
    .book-button {
        color: #fff;
        background: #1d4aff;
        border-color: #1d4aff;
        text-shadow: 0 -1px 0 rgba(0, 0, 0, 0.12);
        box-shadow: 0 2px 0 rgba(0, 0, 0, 0.045);
    }
    .close-button {
        color: #2d2d2d;
        background: #fff;
        border-color: rgba(0, 0, 0, 0.15);
        box-shadow: 0 2px 0 rgba(0, 0, 0, 0.015);
    }
    .book-button:hover,
    .close-button:hover {
        filter: brightness(1.2);
    }
`

interface OriginalPosthog {
    capture(event: string, properties?: Record<string, unknown>): void
    onFeatureFlags(callback: (flags: string[]) => void): unknown
}

type OriginalConfig = Record<string, string>

const LAST_SEEN_KEY = 'user_interview_popup_shown'
const answeredKey = (flag: string) => `ph-${flag}-${LAST_SEEN_KEY}`

function daysSince(date: string): number {
    return Math.ceil(Math.abs(Date.now() - new Date(date).getTime()) / 86_400_000)
}

function shadowHost(css: string): ShadowRoot {
    const host = document.createElement('div')
    const shadow = host.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.innerText = css
    shadow.appendChild(style)
    document.body.appendChild(host)
    return shadow
}

function showPopup(posthog: OriginalPosthog, config: OriginalConfig, shadow: ShadowRoot, link: string, flag: string): void {
    posthog.capture(config.shownUserInterviewPopupEvent, { featureFlagName: flag })
    const popup = document.createElement('div')
    popup.innerHTML = `
    <div class="popup">
        <div class="invitation">
            <h2 class="invitation-title">${config.invitationTitle}</h2>
            <div class="invitation-body">${config.invitationBody}</div>
        </div>
        <div class="bottom">
            <div class="buttons">
                <button class="close-button" type="button">${config.closeButtonText}</button>
                <button class="book-button" onclick="window.open('${link}')">${config.bookButtonText}</button>
            </div>
        </div>
    </div>`
    shadow.appendChild(popup)
    shadow.addEventListener('click', (event) => {
        const target = event.target as Element
        const answer = target.classList.contains('close-button')
            ? config.dismissUserInterviewPopupEvent
            : target.classList.contains('book-button')
              ? config.clickBookButtonEvent
              : null
        if (answer) {
            posthog.capture(answer, {
                $set: { [`${config.userPropertyNameSeenUserInterview} - ${flag}`]: new Date().toISOString() },
                featureFlagName: flag,
            })
            shadow.innerHTML = ''
            localStorage.setItem(answeredKey(flag), 'true')
        }
        localStorage.setItem(LAST_SEEN_KEY, new Date().toISOString())
    })
}

export function inject({ config, posthog }: { config: OriginalConfig; posthog: OriginalPosthog }): void {
    if (config.domains) {
        const domains = config.domains.split(',').map((domain) => domain.trim())
        if (domains.indexOf(window.location.hostname) === -1) return
    }
    const lastSeen = localStorage.getItem(LAST_SEEN_KEY)
    if (lastSeen && daysSince(lastSeen) < parseInt(config.minDaysSinceLastSeenPopUp)) return

    const shadow = shadowHost(CSS)
    const interviews = config.interviewConfigs.split(',').map((pair) => ({
        flag: pair.split('=')[0].trim(),
        link: pair.split('=')[1].trim(),
    }))
    posthog.onFeatureFlags((flags) => {
        interviews.forEach(({ flag, link }) => {
            if (flags.indexOf(flag) !== -1 && !localStorage.getItem(answeredKey(flag))) {
                showPopup(posthog, config, shadow, link, flag)
                return // as in the original: meant "only one popup", but it only leaves this forEach callback
            }
        })
    })
}
