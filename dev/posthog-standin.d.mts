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

/** How config.js delivers the app: plugin inline, plugin legacy script, or as PostHog's site functions (HogFunctions). */
export type Delivery = 'inline' | 'legacy' | 'hog'

/**
 * Which PostHog `get_transpiled_function` the 'hog' delivery emulates: 'honour' an input schema's `templating: false`
 * (its value is a constant) or 'ignore' it, as every stored PostHog version does (a `{` in the text is a Hog template).
 */
export type Templating = 'honour' | 'ignore'

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
    /** Default 'honour'. See `Templating`. */
    templating?: Templating
    /** The HogFunction the 'hog' delivery serves when none was created through the API; default `<repo>/dist/hog-function.json`. */
    hogFunctionPath?: string
    /** The one project the REST API knows (also reachable as `@current`). Default 1. */
    projectId?: number
    /**
     * Personal API keys the REST API accepts, with their scopes (`hog_function:read|write`, `insight:read|write`,
     * `feature_flag:read|write`, `query:read`, `personal_api_key:read|write` for `GET /api/personal_api_keys/@current/`,
     * `*`; an empty list is a legacy key that may do anything), as a list or as `{ scopes, scopedTeams }` for a key
     * limited to projects (PersonalAPIKey.scoped_teams). Default `{ phx_standin_personal_key: DEFAULT_PERSONAL_API_KEY_SCOPES }`.
     */
    personalApiKeys?: Record<string, string[] | PersonalApiKeyOptions>
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
    /** Per-browser templating emulation for 'hog' delivery (a `standin_templating` cookie). */
    templating?: Templating
    /** Extra `posthog.init` options, e.g. `{ opt_out_capturing_by_default: true }`. */
    init?: Record<string, unknown>
    /**
     * `true`/`'strict'`: CSP without 'unsafe-inline' for scripts and styles; `'scripts'`: scripts only;
     * `'report-only'`: the strict policy, reported and not enforced.
     */
    csp?: boolean | 'strict' | 'scripts' | 'report-only'
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
    /** Which PostHog version's site-function compile config.js (and the API's transpile check) emulates. */
    setTemplating(mode: Templating): void
    templating(): Templating
    /** The REST API's project id. */
    projectId: number
    /** The first personal API key the stand-in knows (by default `phx_standin_personal_key`). */
    personalApiKey: string
    /** Copies of the stored HogFunctions as PostHog's rows hold them, soft-deleted ones included (`deleted: true`). */
    hogFunctions(): StoredHogFunction[]
    /** Copies of the stored insights, soft-deleted ones included. */
    insights(): StoredInsight[]
    /** Create a HogFunction as `POST /api/projects/{id}/hog_functions/` would (same validation); returns the API body. Throws on a 4xx/5xx, with `status` and `body`. */
    createHogFunction(body: Record<string, unknown>): Record<string, any>
    /** Copies of the flags created through the REST API, as the rows hold them, soft-deleted ones included. */
    featureFlags(): StoredFeatureFlag[]
    /** Create a flag as `POST /api/projects/{id}/feature_flags/` would; returns the API body. Throws like createHogFunction. */
    createFeatureFlag(body: Record<string, unknown>): Record<string, any>
    /** Copies of the scheduled changes. */
    scheduledChanges(): StoredScheduledChange[]
    /** Create a scheduled change as ScheduledChangeSerializer would (PostHog has no personal-API-key route to it); returns the API body. */
    createScheduledChange(body: Record<string, unknown>): Record<string, any>
    /** Run the due scheduled changes as PostHog's celery task does, at `now` (ISO, default the current time); returns the ids it ran. */
    runScheduledChanges(now?: string): number[]
    /** The `siteApps` entries config.js carries in 'hog' delivery (server templating mode). */
    siteFunctionsJs(): Promise<string[]>
    /** Forget events, persons and requests; keep flags and settings. */
    clearEvents(): void
    /** Back to the start options: no events, persons, overrides, hog functions or insights; initial settings, flags, delivery and templating. */
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

export interface StoredHogFunction {
    id: string
    type: string
    name: string | null
    description: string
    created_at: string
    updated_at: string
    enabled: boolean
    deleted: boolean
    hog: string
    bytecode: null
    /** The whole site function source (get_transpiled_function), set when `hog` was sent. */
    transpiled: string | null
    inputs_schema: Array<Record<string, any>>
    /** `{ key: { value, templating?, transpiled?: { lang, code, stl }, order } }` */
    inputs: Record<string, Record<string, any>>
    filters: Record<string, any>
    masking: null
    mappings: unknown[] | null
    icon_url: string | null
    execution_order: number | null
    batch_export_id: null
    version: number
}

export interface StoredInsight {
    id: number
    short_id: string
    name: string | null
    derived_name: string | null
    description: string | null
    query: Record<string, any> | null
    filters: Record<string, any>
    saved: boolean
    deleted: boolean
    favorited: boolean
    order: number | null
    created_at: string
    updated_at: string
    last_modified_at: string
}

/** A personal API key's scopes and, when it is limited to projects, their ids (checked before the scopes, as PostHog does). */
export interface PersonalApiKeyOptions {
    scopes: string[]
    scopedTeams?: number[]
}

/** The key and scopes every stand-in accepts unless `personalApiKeys` is given. */
export const DEFAULT_PERSONAL_API_KEY: string
export const DEFAULT_PERSONAL_API_KEY_SCOPES: readonly string[]
/** The id of the site function built from dist/hog-function.json when the store has none. */
export const IMPLICIT_SITE_FUNCTION_ID: string
/** products/cdp/backend/api/hog_function.py MAX_HOG_CODE_SIZE_BYTES (100 KB, of the UTF-8 bytes). */
export const MAX_HOG_CODE_SIZE_BYTES: number
/**
 * posthog/cdp/site_functions.py `get_transpiled_function`: the `(function() {...})` source whose call returns `{ init }`.
 * `honourTemplatingFalse: false` emulates the stored PostHog versions, which template every input string holding `{`.
 */
export function transpileSiteFunction(
    hogFunction: { hog?: string | null; inputs?: Record<string, any> | null; inputs_schema?: Array<Record<string, any>> | null },
    options?: { honourTemplatingFalse?: boolean },
): string
/** One `siteApps` entry as remote_config.py writes it: `{ id: '...', init: function(config) { return (...)().init(config) } }`, indented. */
export function siteFunctionLoader(id: string, source: string): string
/** drf-exceptions-hog's body for a DRF ValidationError detail. */
export function validationErrorBody(errors: unknown): { type: 'validation_error'; code: string; detail: string; attr: string | null }
/** A flag as FeatureFlag's row holds it (`filters` in jsonb key order; payload objects stored as JSON text). */
export interface StoredFeatureFlag {
    id: number
    team_id: number
    name: string
    key: string
    filters: Record<string, any>
    deleted: boolean
    active: boolean
    version: number
    created_at: string
    updated_at: string
    ensure_experience_continuity: boolean | null
    rollback_conditions: unknown
    performed_rollback: boolean
    tags: string[]
    has_enriched_analytics: boolean | null
    is_remote_configuration: boolean
    has_encrypted_payloads: boolean
    evaluation_runtime: string
    bucketing_identifier: string | null
}

export interface StoredScheduledChange {
    id: number
    team_id: number
    record_id: string
    model_name: 'FeatureFlag'
    payload: unknown
    /** ISO 8601 (toISOString). */
    scheduled_at: string
    executed_at: string | null
    /** JSON text, as process_scheduled_changes records it: `{ error, error_type, ... }`. */
    failure_reason: string | null
    failure_count: number
    is_recurring: boolean
    recurrence_interval: 'daily' | 'weekly' | 'monthly' | 'yearly' | null
    cron_expression: string | null
    last_executed_at: string | null
    end_date: string | null
    timezone: string
    created_at: string
    updated_at: string
}

/** flag_matching.py `get_hash`: sha1 of `{key}.{distinctId}{salt}`, its first 15 hex digits over 0xFFFFFFFFFFFFFFF. */
export function flagHash(key: string, distinctId: string, salt?: string): number
/** One person-property condition against the person's properties, as PostHog's flags service matches it. */
export function matchPersonProperty(property: { key: string; operator?: string | null; value?: unknown }, properties: Record<string, unknown>): boolean
/** A flag's release conditions for one distinct id: `{ enabled, variant, reason }` as /flags v2 reports them. */
export function evaluateFlag(
    flag: { key: string; active: boolean; filters: Record<string, any> },
    distinctId: string,
    properties: Record<string, unknown>,
): { enabled: boolean; variant: string | null; reason: { code: string; condition_index: number | null; description: string } }

/** Why PostHog could not compute this insight query (the stand-in refuses it on save), or null. */
export function insightQueryProblem(query: unknown): string | null
