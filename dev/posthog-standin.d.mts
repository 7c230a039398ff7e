// Types for posthog-standin.mjs (plain JS, no build step).

/** A flag for the stand-in: `true`/`false`, a variant name, or a spec. */
export type FlagInput = boolean | string | FlagSpec

export interface FlagSpec {
    /** Default true for a spec object. */
    enabled?: boolean
    variant?: string | null
    /** Any JSON value: sent as PostHog does, JSON-encoded in `metadata.payload` (posthog-js parses it back). */
    payload?: unknown
    /** Sent verbatim as `metadata.payload`, e.g. a string that is not valid JSON. Wins over `payload`. */
    rawPayload?: string
    /**
     * Emulates the recommended release condition "person property `X` is not set": the flag is off for a person
     * who has this property (from captured `$set`s or the request's `person_properties`).
     */
    unlessPersonHas?: string
}

export type Delivery = 'inline' | 'legacy'

export interface StandInOptions {
    /** 0 (default) picks a free port. */
    port?: number
    /** Listen address, default 127.0.0.1 (also reachable as `localhost`). */
    host?: string
    /** Project token, default `phc_standin_local_token`. */
    token?: string
    /** The built site app, default `<repo>/dist/site.ts`; re-transpiled when its mtime or size changes. */
    siteAppPath?: string
    /** Schema for the app's `config`, default `<repo>/plugin.json`. */
    pluginJsonPath?: string
    /** Saved plugin settings (overrides of plugin.json defaults). */
    settings?: Record<string, unknown>
    /** Flags for everyone. */
    flags?: Record<string, FlagInput>
    /** How config.js delivers the app. Default `inline`. */
    delivery?: Delivery
    /** Diagnostics sink: a missing build, undecodable bodies, handler errors (default `console.warn`). */
    log?: (message: string) => void
}

export interface ReceivedEvent {
    event: string
    distinct_id: string
    properties: Record<string, any>
    /** `properties.$set` merged with top-level `$set` (top-level wins), as PostHog's ingestion does. */
    set: Record<string, any>
    $set?: Record<string, any>
    $set_once?: Record<string, any>
    timestamp?: string
    uuid?: string
    /** Server time the event arrived. */
    receivedAt: string
    /** Capture path it arrived on, e.g. `/i/v0/e/`. */
    endpoint: string
    /** How the body was encoded: `gzip`, `json`, `form`, `form+base64`, `base64`. */
    encoding: string
}

export type EventFilter = string | RegExp | ((event: ReceivedEvent) => boolean)

export interface RequestLogEntry {
    method: string
    path: string
    at: number
    body?: any
}

export interface TestPageOptions {
    /** `127.0.0.1` (default) or `localhost`: the same server under another hostname. */
    host?: '127.0.0.1' | 'localhost'
    /** Per-browser delivery mode (stored in a `standin_delivery` cookie, so it survives reloads). */
    delivery?: Delivery
    /** Extra `posthog.init` options, e.g. `{ opt_out_capturing_by_default: true }`. */
    init?: Record<string, unknown>
    /** `true`/`'strict'`: CSP without 'unsafe-inline' for scripts and styles; `'scripts'`: scripts only. */
    csp?: boolean | 'strict' | 'scripts'
    /** Load an aggressive host stylesheet (`*`, `div`, `button`, `h2`, `html { font-size: 30px }`...). */
    hostile?: boolean
    /** First script makes `window.localStorage` / `sessionStorage` throw on access. */
    blockStorage?: boolean
    /** `array.js` (default; lazy-loads extensions from /static) or `array.full.js`. */
    bundle?: 'full'
    /** Extra query parameters on the page URL, e.g. `{ bookedUserInterviewEvent: 'user-interview' }`. */
    query?: Record<string, string>
}

export interface StandIn {
    /** `http://127.0.0.1:{port}` */
    url: string
    /** `http://localhost:{port}` */
    localhostUrl: string
    port: number
    token: string
    /** The PluginConfig id the app is served under. */
    siteAppId: number
    /** Every event received so far (copies), optionally filtered by name, pattern or predicate. */
    events(filter?: EventFilter): ReceivedEvent[]
    /** Resolves once at least `count` (default 1) matching events arrived; rejects after `timeout` (default 10 s). */
    waitForEvents(filter: EventFilter, options?: { count?: number; timeout?: number }): Promise<ReceivedEvent[]>
    /**
     * Person properties after every `$set`/`$set_once`/`$unset` received for this distinct id (merged on `$identify`),
     * except, as in PostHog's ingestion, those of events saying `$process_person_profile: false` (an anonymous visitor
     * under posthog-js's default person_profiles 'identified_only').
     */
    personProperties(distinctId: string): Record<string, any>
    persons(): { distinctIds: string[]; properties: Record<string, any> }[]
    /** Flags requests received (with decoded bodies) and capture requests. */
    requests(): RequestLogEntry[]
    /** Merge flags for everyone, or for one distinct id (`replace` replaces instead of merging). */
    setFlags(flags: Record<string, FlagInput>, options?: { distinctId?: string; replace?: boolean }): void
    /** Merge saved settings (`replace` replaces). Takes effect on the next page load. */
    setSettings(partial: Record<string, unknown>, options?: { replace?: boolean }): void
    settings(): Record<string, unknown>
    /** The `config` the app receives: plugin.json `site` fields, saved value else default. */
    siteConfig(): Record<string, unknown>
    setDelivery(mode: Delivery): void
    /** Forget events, persons and requests; keep flags and settings. */
    clearEvents(): void
    /** Back to the start options: no events, persons, overrides; initial settings, flags and delivery. */
    reset(): void
    /** URL of the test page with these options. */
    testPageUrl(options?: TestPageOptions): string
    close(): Promise<void>
}

export function startStandIn(options?: StandInOptions): Promise<StandIn>
/** PostHog's Babel step on `site.ts`, wrapped: `(function () {let exports={};...;return exports;})`. */
export function transpileSiteApp(code: string): string
/** PostHog's `get_site_config_from_schema`. */
export function siteConfigFromSchema(schema: Array<Record<string, any>>, values: Record<string, unknown>): Record<string, unknown>
/** Decode a posthog-js request body (gzip, `data=` form, base64, JSON). */
export function decodeBody(raw: Buffer, query: URLSearchParams): { payload: any; encoding: string }
export function siteAppBuilt(path?: string): boolean
