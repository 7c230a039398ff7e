// The app's settings, in one place: each key, its default, and how PostHog's forms present it. The build writes both
// `plugin.json`'s `config` (the plugin form) and the HogFunction's `inputs_schema` (today's form) from FIELDS; the
// app itself imports only DEFAULTS (FIELDS, pure data, is tree-shaken out of the bundle every visitor downloads).

/** Every setting's default, used when a value is missing, empty or unusable. */
export const DEFAULTS = {
    interviewConfigs: '',
    flagStartsWith: '',
    minDaysSinceLastSeenPopUp: 90,
    domains: '',
    /** When to ask (src/triggers.ts): each default keeps the original behaviour, but shareCoolDownWithSurveys. */
    showOnEvents: '',
    showAfterSeconds: 0,
    pages: '',
    maxShows: 0,
    /** `YYYY-MM-DD`: the last day (the visitor's local time) the invitation is shown. Empty: no end. */
    endDate: '',
    shareCoolDownWithSurveys: true,
    invitationTitle: 'Help us improve!',
    /** Limited HTML, like footerHTML. */
    invitationBody:
        "<p>You're invited to a 30-minute user interview.</p><p>Tell us what works and what doesn't, and help guide our roadmap.</p>",
    bookButtonText: 'Book now',
    closeButtonText: 'Close',
    /** Empty: no remind-me-later button. */
    remindLaterButtonText: '',
    remindLaterDays: 7,
    /** Booking (src/booking.ts): auto embeds Calendly and cal.com links in the popup, and opens any other in a new tab. */
    bookingMode: 'auto',
    prefillNameAndEmail: false,
    openInNewTabText: 'Open in a new tab',
    bookingLoadingText: 'Loading the booking page…',
    bookedText: "You're booked. Thank you!",
    footerHTML: '',
    bookButtonBackground: '#1d4aff',
    bookButtonColor: '#ffffff',
    zIndex: 999999,
    position: 'bottom-right',
    theme: 'auto',
    shownUserInterviewPopupEvent: 'User Interview Shown Pop Up',
    dismissUserInterviewPopupEvent: 'User Interview Dismissed Pop Up',
    snoozeUserInterviewPopupEvent: 'User Interview Snoozed Pop Up',
    clickBookButtonEvent: 'User Interview Clicked Book Button',
    bookedUserInterviewEvent: 'User Interview Booked',
    userPropertyNameSeenUserInterview: 'Seen User Interview Invitation',
}

export type SettingKey = keyof typeof DEFAULTS

/**
 * The original app's 2022 settings, still read (parseSettings zips them when interviewConfigs is empty): fields of the
 * plugin form, default empty, but kept out of DEFAULTS, which every visitor downloads. The HogFunction form requires
 * interviewConfigs, so there they arrive zipped into it (scripts/hog-inputs.mjs, for deploy's --settings).
 */
export type LegacyKey = 'featureFlagNames' | 'bookButtonURLs'
const LEGACY_KEYS: Record<LegacyKey, true> = { featureFlagNames: true, bookButtonURLs: true }

/**
 * Settings of the campaign around the popup, read by `npm run status` (scripts/), never by the app in the browser:
 * kept out of DEFAULTS, which every visitor downloads. A flag's payload may set them too.
 */
export const CAMPAIGN_DEFAULTS = {
    /** Bookings after which `npm run status -- --stop-at-target` switches the interview's flag off. 0: no target. */
    targetBookings: 0,
}
export type CampaignKey = keyof typeof CAMPAIGN_DEFAULTS

/** Every key a team may set: the app's, the campaign's and the 2022 ones. */
export type AnyKey = SettingKey | LegacyKey | CampaignKey

function fieldDefault(key: AnyKey) {
    return key in DEFAULTS ? DEFAULTS[key as SettingKey] : key in CAMPAIGN_DEFAULTS ? CAMPAIGN_DEFAULTS[key as CampaignKey] : ''
}

export const POSITIONS = ['bottom-right', 'bottom-left', 'center'] as const
export const THEMES = ['auto', 'light', 'dark', 'system'] as const
export const BOOKING_MODES = ['auto', 'embed', 'new-tab'] as const

export interface SettingField {
    key: AnyKey
    label: string
    hint?: string
    /**
     * `number` is a number input in the HogFunction form, and a text field (as the original app had) in plugin.json;
     * `boolean` a switch there, and a `true`/`false` choice in plugin.json (which has no boolean type).
     */
    type: 'string' | 'number' | 'choice' | 'boolean'
    choices?: readonly string[]
    /** The app cannot run without it: required in both forms. */
    required?: boolean
    /** Required in plugin.json only, as the original app had it (its form fills in the default). */
    requiredInPlugin?: boolean
}

/** In the order PostHog's forms show them. */
export const FIELDS: SettingField[] = [
    {
        key: 'interviewConfigs',
        label: 'Interview configs',
        hint: 'Feature flag and booking link pairs, separated by commas, in priority order. For example: `interview-high-icp=https://calendly.com/a/high-icp,user-interview=https://cal.com/b/30min`. Links must start with http:// or https://.',
        type: 'string',
        required: true,
    },
    {
        key: 'flagStartsWith',
        label: 'Flag prefix (optional)',
        hint: 'Any enabled feature flag whose key starts with this (for example `interview-`) and whose JSON payload has a `bookingLink` is also a candidate, after the flags above. The payload of a flag may also set `invitationTitle`, `invitationBody`, `bookButtonText`, `closeButtonText`, `remindLaterButtonText`, when to ask (`showOnEvents`, `showAfterSeconds`, `pages`, `maxShows`, `remindLaterDays`, `endDate`), `bookingMode` and `targetBookings` for that flag.',
        type: 'string',
    },
    {
        key: 'minDaysSinceLastSeenPopUp',
        label: "Minimum number of days since they've last seen a popup",
        hint: 'No invitation is shown to someone who answered any invitation (closed it or clicked book) within this many days. Default 90.',
        type: 'number',
        requiredInPlugin: true,
    },
    {
        key: 'domains',
        label: 'Domains',
        hint: 'Comma separated list of hostnames to activate on. Leave blank to enable all. For example: `localhost,app.example.com`',
        type: 'string',
    },
    {
        key: 'showOnEvents',
        label: 'Show on events',
        hint: 'Comma separated event names, for example `report_exported`. When set, the invitation appears only after one of them is captured on the page (your own `posthog.capture` calls, `$pageview`, `$autocapture`). Empty: as soon as flags load.',
        type: 'string',
    },
    {
        key: 'showAfterSeconds',
        label: 'Show after seconds',
        hint: 'Wait this many seconds after flags load (or after the event above) before showing; nothing shows if the visitor answered meanwhile or left the pages below. Default 0.',
        type: 'number',
    },
    {
        key: 'pages',
        label: 'Pages',
        hint: 'Comma separated paths where the invitation may appear, `*` matching anything, for example `/app/*,/billing`. Empty: every page. Single-page apps are followed: leaving these pages takes the invitation down, unanswered.',
        type: 'string',
    },
    {
        key: 'maxShows',
        label: 'Maximum displays',
        hint: 'After this many displays without an answer, the invitation counts as dismissed (the dismissed event, with `ignored: true`). 0 (the default): no limit.',
        type: 'number',
    },
    {
        key: 'endDate',
        label: 'End date',
        hint: "`YYYY-MM-DD`: the last day the invitation is shown (the visitor's local time); from the next day on, nobody is invited. Empty (the default): no end. (PostHog offers no API key access to scheduled flag changes, so the flag itself stays on: the app's own check ends it.)",
        type: 'string',
    },
    {
        key: 'targetBookings',
        label: 'Target bookings',
        hint: 'How many bookings each interview needs. `npm run status` shows how far each is from it, and `npm run status -- --stop-at-target` switches its flag off once reached. 0 (the default): no target. Not used on the page.',
        type: 'number',
    },
    {
        key: 'shareCoolDownWithSurveys',
        label: 'Share the cool-down with PostHog Surveys',
        hint: 'No invitation for a visitor shown a PostHog survey within the minimum days above, and an answered invitation counts as a seen survey for the wait period of Surveys. Default true.',
        type: 'boolean',
    },
    { key: 'invitationTitle', label: 'Invitation title', hint: 'Plain text.', type: 'string' },
    {
        key: 'invitationBody',
        label: 'Invitation body',
        hint: 'Limited HTML: paragraphs, line breaks, bold, italic, lists, links (http, https, mailto) and images (http, https). Everything else is removed.',
        type: 'string',
    },
    { key: 'bookButtonText', label: 'Book button text', type: 'string', requiredInPlugin: true },
    { key: 'closeButtonText', label: 'Close button text', type: 'string' },
    {
        key: 'remindLaterButtonText',
        label: 'Remind me later button text',
        hint: 'Empty (the default): no such button. Set, for example `Not now`: the button hides the invitation on this browser for the days below, without counting as an answer.',
        type: 'string',
    },
    { key: 'remindLaterDays', label: 'Remind me later after days', hint: 'Default 7.', type: 'number' },
    {
        key: 'bookingMode',
        label: 'Booking mode',
        hint: '`embed`: Book opens the booking page in a panel over the page, and a booking made there is captured as the booked event (Calendly and cal.com say when someone books; a page that cannot be framed opens in a new tab instead). `new-tab`: Book opens the link in a new tab. `auto` (the default): `embed` for Calendly and cal.com links, `new-tab` for any other.',
        type: 'choice',
        choices: BOOKING_MODES,
    },
    {
        key: 'prefillNameAndEmail',
        label: "Prefill the visitor's name and email",
        hint: "Calendly and cal.com links get the `name` and `email` person properties posthog-js holds for the visitor, so they need not type them. Default false. (The feature flag and the visitor's distinct_id are always passed, in Calendly's `utm_campaign`/`utm_content` and cal.com's `metadata[featureFlagName]`/`metadata[distinct_id]`.)",
        type: 'boolean',
    },
    { key: 'openInNewTabText', label: 'Open in a new tab link text', hint: "In the booking panel.", type: 'string' },
    { key: 'bookingLoadingText', label: 'Booking page loading text', hint: 'In the booking panel, while the booking page loads.', type: 'string' },
    { key: 'bookedText', label: 'Booked confirmation text', hint: 'In the booking panel, once the booking page says the visitor booked.', type: 'string' },
    {
        key: 'footerHTML',
        label: 'Footer HTML',
        hint: "Limited HTML shown under the buttons. For example: `More questions? <a href='https://example.com/questions'>Ask us anything</a>`",
        type: 'string',
    },
    {
        key: 'bookButtonBackground',
        label: 'Book button background colour',
        hint: 'A CSS colour, for example `#1d4aff`. `npm run deploy` warns when the text on it falls below 4.5:1 contrast.',
        type: 'string',
    },
    { key: 'bookButtonColor', label: 'Book button text colour', hint: 'A CSS colour, for example `#ffffff`.', type: 'string' },
    { key: 'zIndex', label: 'z-index of the popup', hint: 'Raise it if your site has elements drawn above the popup.', type: 'number' },
    { key: 'position', label: 'Position', hint: 'Where the popup appears.', type: 'choice', choices: POSITIONS },
    { key: 'theme', label: 'Theme', hint: "`auto` follows the page: its background, else its declared color-scheme (neither: light). `system` follows the visitor's light or dark setting.", type: 'choice', choices: THEMES },
    { key: 'shownUserInterviewPopupEvent', label: 'Shown user interview popup event name', type: 'string' },
    { key: 'dismissUserInterviewPopupEvent', label: 'Dismissed user interview popup event name', type: 'string' },
    { key: 'snoozeUserInterviewPopupEvent', label: 'Remind me later (snoozed) user interview popup event name', type: 'string' },
    { key: 'clickBookButtonEvent', label: 'Click book button event name', type: 'string' },
    {
        key: 'bookedUserInterviewEvent',
        label: 'Booked user interview event name',
        hint: 'Captured when a visitor lands on a page whose address has `bookedUserInterviewEvent={flag}` (your booking tool\'s redirect after booking).',
        type: 'string',
    },
    {
        key: 'userPropertyNameSeenUserInterview',
        label: 'Name of the person property for seeing a popup',
        hint: 'Set to the answer\'s date as `{name}` and `{name} - {flag}`. Filter each interview flag on `{name} - {flag}` is not set.',
        type: 'string',
        requiredInPlugin: true,
    },
    {
        key: 'featureFlagNames',
        label: 'Feature flag names (original app)',
        hint: "Kept for installs of the original app's 2022 versions: flags, comma separated, paired in order with the Book button URLs below. Read only when Interview configs is empty; use Interview configs instead.",
        type: 'string',
    },
    { key: 'bookButtonURLs', label: 'Book button URLs (original app)', hint: 'The booking links of those flags, comma separated, in the same order.', type: 'string' },
]

export const APP_NAME = 'User Interviewer'
export const APP_DESCRIPTION =
    'Invite flag-targeted visitors to book a user interview through a small popup, and record what they did.'

const OPT_IN_NOTICE =
    '## MANUAL STEP NOTICE: This app injects code into your website through posthog-js. You need to **opt in** on your site to enable this behaviour.\n\n```\nposthog.init("api_key", {\n  "api_host": "https://us.i.posthog.com",\n  "opt_in_site_apps": true,\n})\n```\n\nThen create a feature flag per interview (for example `user-interview`), filter it on the person property `Seen User Interview Invitation - user-interview` **is not set**, and list it below with its booking link.'

/** plugin.json, the plugin form's manifest. Plugin config has no number type: numbers are text fields there. */
export function pluginJson() {
    return {
        name: APP_NAME,
        url: 'https://github.com/PostHog/user-interview-app',
        description: APP_DESCRIPTION,
        main: 'site.ts',
        posthogVersion: '>= 1.30.0',
        config: [
            { markdown: OPT_IN_NOTICE } as Record<string, unknown>,
            ...FIELDS.map((field) => ({
                key: field.key,
                name: field.label,
                ...(field.hint ? { hint: field.hint } : {}),
                type: field.type === 'number' ? 'string' : field.type === 'boolean' ? 'choice' : field.type,
                ...(field.choices ? { choices: field.choices.slice() } : field.type === 'boolean' ? { choices: ['true', 'false'] } : {}),
                default: String(fieldDefault(field.key)),
                ...(field.required || field.requiredInPlugin ? { required: true } : {}),
                site: true,
            })),
        ],
    }
}

/**
 * The HogFunction's `inputs_schema` (posthog/cdp/validation.py's InputsSchemaItemSerializer). Texts say
 * `templating: false`: their `{` is literal (a footer's `{name}`, an event name), never a Hog template. Only the
 * settings the app cannot run without are `required`: PostHog refuses a required input that is empty.
 */
export function inputsSchema() {
    // The old lists arrive as interviewConfigs (scripts/hog-inputs.mjs), which this form requires: no fields of their own.
    return FIELDS.filter((field) => !(field.key in LEGACY_KEYS)).map((field) => ({
        key: field.key,
        type: field.type,
        label: field.label,
        ...(field.hint ? { description: field.hint } : {}),
        ...(field.choices ? { choices: field.choices.map((choice) => ({ label: choice, value: choice })) } : {}),
        default: fieldDefault(field.key),
        required: !!field.required,
        secret: false,
        ...(field.type === 'string' ? { templating: false } : {}),
    }))
}
