// @vitest-environment node
// The stand-in as PostHog for the HogFunction form: Hog string templates (dev/hog-template.mjs), the site function
// compile (get_transpiled_function), config.js in 'hog' delivery, and the REST API (hog functions, insights) over HTTP.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
    compileStringTemplate,
    HogTemplateError,
    importStlFunctions,
    parseStringTemplate,
    pyJsonDumps,
} from '../../dev/hog-template.mjs'
import {
    DEFAULT_PERSONAL_API_KEY,
    IMPLICIT_SITE_FUNCTION_ID,
    MAX_HOG_CODE_SIZE_BYTES,
    startStandIn,
    transpileSiteFunction,
    type StandIn,
} from '../../dev/posthog-standin.mjs'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/site-function')
const g = globalThis as unknown as Record<string, any>

/** Run a compiled template expression the way the site function does: STL above, `__getGlobal` in scope. */
function evaluate(template: string, globals: Record<string, unknown>): unknown {
    const stl = new Set<string>()
    const code = compileStringTemplate(template, stl)
    return new Function('__getGlobal', `${importStlFunctions(stl)}\nreturn ${code}`)((key: string) => globals[key])
}

describe('Hog string templates (parse_string_template + JavaScriptCompiler)', () => {
    it('compiles literal text to a Python json.dumps constant, with no STL', () => {
        const stl = new Set<string>()
        expect(compileStringTemplate('Hello "you"', stl)).toBe('"Hello \\"you\\""')
        expect(compileStringTemplate('café 😀', stl)).toBe('"caf\\u00e9 \\ud83d\\ude00"')
        expect(stl.size).toBe(0)
    })

    it('compiles placeholders to __getGlobal / __getProperty chains joined by concat', () => {
        const stl = new Set<string>()
        expect(compileStringTemplate('Hi {person.properties.name}!', stl)).toBe(
            'concat("Hi ", __getProperty(__getProperty(__getGlobal("person"), "properties", true), "name", true), "!")',
        )
        expect([...stl].sort()).toEqual(['__getProperty', 'concat'])
        // One piece: no concat, the raw value.
        expect(compileStringTemplate('{inputs.days}')).toBe('__getProperty(__getGlobal("inputs"), "days", true)')
        expect(compileStringTemplate("{event.properties['a b']}")).toBe(
            '__getProperty(__getProperty(__getGlobal("event"), "properties", true), "a b", false)',
        )
        expect(compileStringTemplate("{'x}y'} {2} {1.50} {true} {NULL}")).toBe('concat("x}y", " ", 2, " ", 1.5, " ", true, " ", null)')
    })

    it('evaluates as PostHog compiled code does: a missing property prints null, a missing object nothing', () => {
        expect(evaluate('Hi {person.properties.name}!', { person: { properties: { name: 'Ada' } } })).toBe('Hi Ada!')
        expect(evaluate('Hi {person.properties.name}!', { person: { properties: {} } })).toBe('Hi null!')
        expect(evaluate('Hi {person.properties.name}!', {})).toBe('Hi !')
        expect(evaluate('{n} days', { n: 3 })).toBe('3 days')
        expect(evaluate('{o}', { o: { a: [1, 'b'] } })).toEqual({ a: [1, 'b'] })
        expect(evaluate('x{o}', { o: { a: [1, 'b'] } })).toBe("x{'a': [1, 'b']}")
    })

    it("applies Hog's escapes: \\{ is a literal brace, \\n \\t \\\\ are characters, others stay", () => {
        expect(evaluate('\\{name} and {name}', { name: 'x' })).toBe('{name} and x')
        expect(evaluate('a\\nb\\tc\\\\d\\qe', {})).toBe('a\nb\tc\\d\\qe')
        // `\\{` is still text (FULL_STRING_TEXT takes `\` then `\{`), and only `\{` -> `{` is replaced first.
        expect(evaluate('\\\\{x}', {})).toBe('\\{x}')
        expect(parseStringTemplate('')).toEqual({ type: 'constant', value: '' })
    })

    it('rejects what PostHog rejects, and what the stand-in does not support', () => {
        for (const bad of ['Hello {', '{}', '{{name}}', 'a } b {c', '{person.}', "{'open}"]) {
            expect(() => compileStringTemplate(bad), bad).toThrow(HogTemplateError)
        }
        for (const unsupported of ['{a + b}', '{lower(name)}', '{person?.name}', '{select}', '{concat}', '{`x`}']) {
            let error: unknown
            try {
                compileStringTemplate(unsupported)
            } catch (e) {
                error = e
            }
            expect(error, unsupported).toBeInstanceOf(HogTemplateError)
            expect((error as HogTemplateError).message, unsupported).toMatch(/^\(stand-in\)/)
        }
    })

    it('prints values as json.dumps does', () => {
        expect(pyJsonDumps({ a: [1, 2.5, null, true, 'x\n'] })).toBe('{"a": [1, 2.5, null, true, "x\\n"]}')
        expect(pyJsonDumps(1e-7)).toBe('1e-07')
    })
})

const SOURCE = 'export function onLoad({ inputs, posthog }) { globalThis.__loaded = { inputs, posthog } }'
const fakePosthog = () => ({ get_property: (key: string) => (key === '$stored_person_properties' ? { name: 'Ada' } : undefined) })

/** What posthog-js does with a siteApps entry: call `init({ posthog, callback })`. */
function runSiteFunction(code: string) {
    delete g.__loaded
    const posthog = fakePosthog()
    const callback = vi.fn()
    const response = new Function(`return ${code}`)()().init({ posthog, callback })
    return { response, callback, loaded: g.__loaded, posthog }
}

describe('transpileSiteFunction (get_transpiled_function)', () => {
    const schema = [
        { key: 'greeting', type: 'string', templating: false },
        { key: 'hello', type: 'string' },
        { key: 'days', type: 'number' },
    ]
    const inputs = {
        greeting: { value: 'Hi {there}', order: 0 },
        hello: { value: 'Hello {person.properties.name}', order: 1 },
        days: { value: 30, order: 2 },
    }

    it('runs onLoad with the inputs, person templates evaluated, then calls back true; no processEvent', () => {
        const { response, callback, loaded, posthog } = runSiteFunction(transpileSiteFunction({ hog: SOURCE, inputs, inputs_schema: schema }))
        expect(loaded.inputs).toEqual({ greeting: 'Hi {there}', days: 30, hello: 'Hello Ada' })
        expect(loaded.posthog).toBe(posthog)
        expect(callback).toHaveBeenCalledWith(true)
        expect(response).toEqual({})
    })

    it("keeps a `templating: false` text's { literal: a JSON constant in buildInputs", () => {
        const code = transpileSiteFunction({ hog: SOURCE, inputs, inputs_schema: schema })
        expect(code).toContain('"greeting": "Hi {there}"')
        expect(code).toContain('case "hello": return concat(')
        expect(code).not.toContain('case "greeting"')
    })

    it('templates it when emulating the PostHog versions that ignore `templating: false`', () => {
        const code = transpileSiteFunction({ hog: SOURCE, inputs, inputs_schema: schema }, { honourTemplatingFalse: false })
        expect(code).toContain('case "greeting": return concat("Hi ", __getGlobal("there"))')
        expect(runSiteFunction(code).loaded.inputs.greeting).toBe('Hi null')
        // A `{` that does not parse: get_transpiled_function raises.
        const broken = { ...inputs, greeting: { value: 'Use { to open', order: 0 } }
        expect(() => transpileSiteFunction({ hog: SOURCE, inputs: broken, inputs_schema: schema }, { honourTemplatingFalse: false })).toThrow(HogTemplateError)
        expect(runSiteFunction(transpileSiteFunction({ hog: SOURCE, inputs: broken, inputs_schema: schema })).loaded.inputs.greeting).toBe('Use { to open')
    })

    it('has the exact frame PostHog builds, and returns processEvent only for an onEvent export', () => {
        const code = transpileSiteFunction({ hog: SOURCE, inputs: { days: { value: 1 } } })
        expect(code.startsWith('(function() {\n\nfunction buildInputs(globals, initial) {\nlet inputs = {\n"days": 1};\n')).toBe(true)
        expect(code).toContain("const filterMatches = true;\n            if (!filterMatches) { return; }\n            ;\n        }")
        expect(code.endsWith('    return { init: init };\n})')).toBe(true)
        const withEvent = transpileSiteFunction({ hog: `${SOURCE}\nexport function onEvent() {}`, inputs: {} })
        expect(typeof runSiteFunction(withEvent).response.processEvent).toBe('function')
    })

    it('orders inputs by their `order` and compiles object values as templates', () => {
        const code = transpileSiteFunction({
            hog: SOURCE,
            inputs: { b: { value: { k: 'v {person.properties.name}', n: 1 }, order: 1 }, a: { value: 'x', order: 0 } },
        })
        expect(code).toContain('let inputs = {\n"a": "x"};')
        expect(code).toContain('case "b": return {"k": concat("v ", ')
        expect(runSiteFunction(code).loaded.inputs).toEqual({ a: 'x', b: { k: 'v Ada', n: 1 } })
    })
})

// ---------------------------------------------------------------------------------------------------------------

type Reply = { status: number; body: any; headers: Headers }

describe('REST API and config.js in hog delivery', () => {
    let standIn: StandIn
    const logs: string[] = []
    const auth = { Authorization: `Bearer ${DEFAULT_PERSONAL_API_KEY}` }

    async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth): Promise<Reply> {
        const res = await fetch(standIn.url + path, {
            method,
            headers: { 'Content-Type': 'application/json', ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
        })
        const text = await res.text()
        return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers }
    }
    const configJs = async (cookie = '') =>
        (await fetch(`${standIn.url}/array/${standIn.token}/config.js`, { headers: cookie ? { Cookie: cookie } : {} })).text()

    const schema = [
        { key: 'interviewConfigs', type: 'string', label: 'Interview configs', required: true, templating: false },
        { key: 'footerHTML', type: 'string', label: 'Footer', templating: false },
        { key: 'minDaysSinceLastSeenPopUp', type: 'number', label: 'Days', default: 90 },
        { key: 'greeting', type: 'string', label: 'Greeting' },
    ]
    const siteApp = (extra: Record<string, unknown> = {}) => ({
        type: 'site_app',
        name: 'User Interviewer',
        description: 'Invites people to book an interview',
        hog: SOURCE,
        inputs_schema: schema,
        inputs: { interviewConfigs: { value: 'user-interview=https://cal.com/a/30' }, minDaysSinceLastSeenPopUp: { value: 30 } },
        ...extra,
    })
    const validation = (attr: string, detail: string | RegExp) => ({
        type: 'validation_error',
        code: expect.any(String),
        detail: typeof detail === 'string' ? detail : expect.stringMatching(detail),
        attr,
    })

    beforeAll(async () => {
        standIn = await startStandIn({
            delivery: 'hog',
            hogFunctionPath: join(fixtures, 'hog-function.json'),
            settings: { interviewConfigs: 'user-interview=https://cal.com/a/30', footerHTML: 'Hi {name}', minDaysSinceLastSeenPopUp: '30' },
            personalApiKeys: {
                [DEFAULT_PERSONAL_API_KEY]: ['hog_function:write', 'insight:write'],
                phx_read_only: ['hog_function:read'],
                phx_key_reader: ['personal_api_key:read', 'hog_function:read'],
                phx_key_writer: ['personal_api_key:write'],
                phx_all_scopes: ['*'],
                phx_project_1: { scopes: ['*'], scopedTeams: [1] },
                phx_project_7: { scopes: ['hog_function:write', 'insight:write'], scopedTeams: [7] },
            },
            log: (m) => logs.push(m),
        })
    })
    afterAll(() => standIn.close())
    afterEach(() => standIn.reset())

    it('creates a site_app as PostHog does: 201, uuid id, disabled by default, inputs with order and transpiled code', async () => {
        const { status, body } = await call('POST', '/api/projects/1/hog_functions/', siteApp({ inputs: { ...siteApp().inputs, greeting: { value: 'Hi {person.properties.name}' } } }))
        expect(status).toBe(201)
        expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
        expect(body).toMatchObject({ type: 'site_app', name: 'User Interviewer', enabled: false, hog: SOURCE, bytecode: null })
        expect(body).not.toHaveProperty('deleted')
        expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
        expect(body.inputs).toEqual({
            interviewConfigs: { value: 'user-interview=https://cal.com/a/30', order: 0 },
            minDaysSinceLastSeenPopUp: { value: 30, order: 1 },
            greeting: {
                value: 'Hi {person.properties.name}',
                order: 2,
                transpiled: { lang: 'ts', code: expect.stringContaining('concat("Hi ", __getProperty('), stl: ['__getProperty', 'concat'] },
            },
        })
        expect(body.inputs_schema[0]).toEqual({ key: 'interviewConfigs', type: 'string', label: 'Interview configs', hidden: false, secret: false, required: true, templating: false })
        expect(body.filters).toEqual({ source: 'events', transpiled: { lang: 'ts', code: 'true', stl: [] } })
        expect(body.transpiled).toBe(transpileSiteFunction({ hog: SOURCE, inputs: standIn.hogFunctions()[0].inputs, inputs_schema: body.inputs_schema }))
        expect(standIn.hogFunctions()).toHaveLength(1)
    })

    it('lists by type, paginated as { count, next, previous, results }, on /projects and /environments', async () => {
        await call('POST', '/api/projects/1/hog_functions/', siteApp({ name: 'one' }))
        await call('POST', '/api/projects/1/hog_functions/', siteApp({ name: 'two' }))
        await call('POST', '/api/projects/1/hog_functions/', { ...siteApp({ name: 'dest' }), type: 'site_destination' })
        const all = await call('GET', '/api/environments/1/hog_functions/?type=site_app', undefined, { Authorization: 'Bearer phx_read_only' })
        expect(all.status).toBe(200)
        expect(all.body).toMatchObject({ count: 2, next: null, previous: null })
        expect(all.body.results.map((f: any) => f.name).sort()).toEqual(['one', 'two'])
        expect(all.body.results[0]).not.toHaveProperty('inputs') // the minimal serializer, unless ?full=true
        const page = await call('GET', '/api/projects/@current/hog_functions/?type=site_app,site_destination&limit=2&full=true')
        expect(page.body.count).toBe(3)
        expect(page.body.results).toHaveLength(2)
        expect(page.body.results[0]).toHaveProperty('inputs')
        expect(page.body.next).toBe(`${standIn.url}/api/projects/@current/hog_functions/?type=site_app%2Csite_destination&limit=2&full=true&offset=2`)
    })

    it('PATCH changes what was sent and keeps the rest; soft delete by PATCH deleted, DELETE is 405', async () => {
        const created = (await call('POST', '/api/projects/1/hog_functions/', siteApp())).body
        const renamed = await call('PATCH', `/api/projects/1/hog_functions/${created.id}/`, { name: 'Renamed', enabled: true })
        expect(renamed.status).toBe(200)
        expect(renamed.body).toMatchObject({ name: 'Renamed', enabled: true, hog: SOURCE, description: created.description, inputs: created.inputs, version: 1 })
        const inputs = await call('PATCH', `/api/projects/1/hog_functions/${created.id}/`, { inputs: { interviewConfigs: { value: 'x=https://cal.com/b' } } })
        expect(inputs.body.inputs).toEqual({ interviewConfigs: { value: 'x=https://cal.com/b', order: 0 } })
        expect(inputs.body.version).toBe(2)
        expect((await call('DELETE', `/api/projects/1/hog_functions/${created.id}/`)).status).toBe(405)
        expect((await call('PATCH', `/api/projects/1/hog_functions/${created.id}/`, { deleted: true })).status).toBe(200)
        expect((await call('GET', `/api/projects/1/hog_functions/${created.id}/`)).status).toBe(404)
        expect(standIn.hogFunctions()[0]).toMatchObject({ id: created.id, deleted: true })
        expect((await call('GET', '/api/projects/1/hog_functions/')).body.count).toBe(0)
        expect((await call('PATCH', `/api/projects/1/hog_functions/${created.id}/`, { deleted: false })).status).toBe(200)
        expect((await call('GET', `/api/projects/1/hog_functions/${created.id}/`)).status).toBe(200)
    })

    it('answers 401 without a key or with an unknown one, 403 without the scope, 404 for another project or id', async () => {
        expect(await call('POST', '/api/projects/1/hog_functions/', siteApp(), {})).toMatchObject({
            status: 401,
            body: { type: 'authentication_error', code: 'not_authenticated', detail: 'Authentication credentials were not provided.', attr: null },
        })
        expect(await call('GET', '/api/projects/1/hog_functions/', undefined, { Authorization: 'Bearer phc_project_token' })).toMatchObject({
            status: 401,
            body: { type: 'authentication_error', code: 'authentication_failed', detail: 'Personal API key found in request Authorization header is invalid.', attr: null },
        })
        expect(await call('POST', '/api/projects/1/hog_functions/', siteApp(), { Authorization: 'Bearer phx_read_only' })).toMatchObject({
            status: 403,
            body: { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'hog_function:write'", attr: null },
        })
        expect((await call('GET', '/api/projects/1/insights/', undefined, { Authorization: 'Bearer phx_read_only' })).body.detail).toBe(
            "API key missing required scope 'insight:read'",
        )
        expect(await call('GET', '/api/projects/2/hog_functions/')).toMatchObject({ status: 404, body: { type: 'invalid_request', code: 'not_found', attr: null } })
        expect((await call('GET', '/api/projects/1/hog_functions/0b4c2d9e-0000-4000-8000-000000000000/')).status).toBe(404)
        expect(standIn.hogFunctions()).toHaveLength(0)
    })

    it('GET /api/personal_api_keys/@current/ answers the key in use, with personal_api_key:read, :write or *', async () => {
        const current = (key: string) => call('GET', '/api/personal_api_keys/@current/', undefined, { Authorization: `Bearer ${key}` })
        const reader = await current('phx_key_reader')
        expect(reader.status).toBe(200)
        expect(reader.body).toEqual({
            id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/),
            label: expect.any(String),
            value: null,
            mask_value: 'phx_...ader',
            created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            last_used_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            user_id: expect.any(Number),
            scopes: ['personal_api_key:read', 'hog_function:read'],
            scoped_teams: [],
            scoped_organizations: [],
        })
        expect((await current('phx_key_writer')).body.scopes).toEqual(['personal_api_key:write'])
        expect((await current('phx_all_scopes')).body.scopes).toEqual(['*'])
        // The usual deploy key: scoped to hog functions and insights only.
        expect(await current(DEFAULT_PERSONAL_API_KEY)).toMatchObject({
            status: 403,
            body: { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'personal_api_key:read'", attr: null },
        })
        // check_team_and_org_permissions: a key scoped to projects reaches project-based endpoints only, even with `*`.
        expect(await current('phx_project_1')).toMatchObject({
            status: 403,
            body: { code: 'permission_denied', detail: 'API keys with scoped projects are only supported on project-based endpoints.' },
        })
        expect((await call('GET', '/api/personal_api_keys/@current/', undefined, {})).status).toBe(401)
        expect((await call('GET', '/api/personal_api_keys/@current/', undefined, { Authorization: 'Bearer phx_unknown' })).status).toBe(401)
        expect((await call('GET', '/api/personal_api_keys/some-other-id/', undefined, { Authorization: 'Bearer phx_key_reader' })).status).toBe(404)
    })

    it('a key scoped to projects: its project works, another project is a 403 naming it', async () => {
        expect((await call('GET', '/api/projects/1/hog_functions/', undefined, { Authorization: 'Bearer phx_project_1' })).status).toBe(200)
        expect(await call('GET', '/api/projects/1/hog_functions/', undefined, { Authorization: 'Bearer phx_project_7' })).toMatchObject({
            status: 403,
            body: { type: 'authentication_error', code: 'permission_denied', detail: 'API key does not have access to the requested project: ID 1.', attr: null },
        })
        expect(await call('POST', '/api/projects/1/hog_functions/', siteApp(), { Authorization: 'Bearer phx_project_7' })).toMatchObject({ status: 403 })
        expect(standIn.hogFunctions()).toHaveLength(0)
    })

    it('a PATCH of an id that does not exist checks the scope first (403), then answers 404, changing nothing', async () => {
        const NIL = '00000000-0000-0000-0000-000000000000'
        const readOnly = { Authorization: 'Bearer phx_read_only' }
        expect(await call('PATCH', `/api/projects/1/hog_functions/${NIL}/`, {}, readOnly)).toMatchObject({
            status: 403,
            body: { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'hog_function:write'", attr: null },
        })
        expect(await call('PATCH', '/api/projects/1/insights/0/', {}, readOnly)).toMatchObject({
            status: 403,
            body: { detail: "API key missing required scope 'insight:write'" },
        })
        const notFound = { status: 404, body: { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null } }
        expect(await call('PATCH', `/api/projects/1/hog_functions/${NIL}/`, {})).toMatchObject(notFound)
        expect(await call('PATCH', '/api/projects/1/insights/0/', {})).toMatchObject(notFound)
        // get_object before the serializer: a body that is not an object is still a 404 for a missing id.
        expect(await call('PATCH', '/api/projects/1/insights/0/', ['x'])).toMatchObject(notFound)
        expect(await call('PATCH', `/api/projects/1/hog_functions/${NIL}/`, null)).toMatchObject(notFound)
        expect(await call('POST', '/api/projects/1/insights/', ['x'])).toMatchObject({ status: 400 })
        expect(standIn.hogFunctions()).toEqual([])
        expect(standIn.insights()).toEqual([])
    })

    it('refuses bad inputs with 400 as validation.py does', async () => {
        const post = (body: unknown) => call('POST', '/api/projects/1/hog_functions/', body)
        expect(await post(siteApp({ inputs: { minDaysSinceLastSeenPopUp: { value: 30 } } }))).toMatchObject({
            status: 400,
            body: { ...validation('inputs__interviewConfigs', 'This field is required.'), code: 'invalid_input' },
        })
        expect(await post(siteApp({ inputs: { interviewConfigs: { value: '' } } }))).toMatchObject({ status: 400, body: validation('inputs__interviewConfigs', 'This field is required.') })
        expect(await post(siteApp({ inputs: { ...siteApp().inputs, minDaysSinceLastSeenPopUp: { value: '30' } } }))).toMatchObject({
            status: 400,
            body: validation('inputs__minDaysSinceLastSeenPopUp', 'Value must be a number.'),
        })
        expect(await post(siteApp({ inputs: { ...siteApp().inputs, greeting: { value: 'Hi {person.name' } } }))).toMatchObject({
            status: 400,
            body: validation('inputs__greeting', /^Invalid template: /),
        })
        expect(await post(siteApp({ inputs: { ...siteApp().inputs, greeting: { value: 'Hi {{person.name}}' } } }))).toMatchObject({
            status: 400,
            body: validation('inputs__greeting', /Liquid-style \{\{ \.\.\. \}\} syntax is not supported here/),
        })
        // `templating: false`: no template check at all.
        expect((await post(siteApp({ inputs: { ...siteApp().inputs, footerHTML: { value: 'Use { freely' } } }))).status).toBe(201)
        expect(await post(siteApp({ type: 'nope' }))).toMatchObject({ status: 400, body: { ...validation('type', '"nope" is not a valid choice.'), code: 'invalid_choice' } })
        expect(await post({ ...siteApp(), inputs_schema: [{ key: 'x', type: 'colour' }] })).toMatchObject({ status: 400, body: validation('inputs_schema__0__type', '"colour" is not a valid choice.') })
        expect(standIn.hogFunctions()).toHaveLength(1)
    })

    it('refuses oversize hog, TypeScript that does not compile, and a create without hog', async () => {
        const post = (body: unknown) => call('POST', '/api/projects/1/hog_functions/', body)
        const big = `${SOURCE}\n//${'x'.repeat(MAX_HOG_CODE_SIZE_BYTES)}`
        expect(await post(siteApp({ hog: big }))).toMatchObject({
            status: 400,
            body: validation('hog', 'HOG code exceeds maximum size of 100KB. Please simplify your code or contact support if you need this limit increased.'),
        })
        // At the limit exactly (bytes, after DRF trims the text): accepted.
        const atLimit = SOURCE + '/'.repeat(MAX_HOG_CODE_SIZE_BYTES - Buffer.byteLength(SOURCE))
        expect((await post(siteApp({ hog: atLimit }))).status).toBe(201)
        expect(await post(siteApp({ hog: 'export function onLoad( {' }))).toMatchObject({ status: 400, body: validation('hog', 'Error in TypeScript code') })
        expect(await post(siteApp({ hog: undefined }))).toMatchObject({ status: 400, body: validation('hog', 'Required.') })
        expect(await post(siteApp({ hog: '   ' }))).toMatchObject({ status: 400, body: { ...validation('hog', 'This field may not be blank.'), code: 'blank' } })
        expect(standIn.hogFunctions()).toHaveLength(1)
    })

    it('older PostHog (templating ignored): an unparseable `{` in a templating:false text is a 500 and drops the function from config.js', async () => {
        const body = siteApp({ enabled: true, inputs: { ...siteApp().inputs, footerHTML: { value: 'Use { freely' } } })
        standIn.setTemplating('ignore')
        expect(await call('POST', '/api/projects/1/hog_functions/', body)).toMatchObject({ status: 500, body: { type: 'server_error' } })
        standIn.setTemplating('honour')
        const created = (await call('POST', '/api/projects/1/hog_functions/', body)).body
        expect(await configJs()).toContain(`id: '${created.id}'`)
        expect(await configJs('standin_templating=ignore')).not.toContain(`id: '${created.id}'`)
        expect(logs.some((l) => l.includes(`Failed to build JS for site function ${created.id}`))).toBe(true)
    })

    it("config.js lists each enabled site function, not a disabled or deleted one, in remote_config.py's shape", async () => {
        const on = (await call('POST', '/api/projects/1/hog_functions/', siteApp({ name: 'on', enabled: true }))).body
        const off = (await call('POST', '/api/projects/1/hog_functions/', siteApp({ name: 'off' }))).body
        const gone = (await call('POST', '/api/projects/1/hog_functions/', siteApp({ name: 'gone', enabled: true }))).body
        await call('PATCH', `/api/projects/1/hog_functions/${gone.id}/`, { deleted: true })
        const js = await configJs()
        expect(js).toContain(`siteApps: [    \n    {\n      id: '${on.id}',\n      init: function(config) { return     (function() {\n`)
        expect(js).not.toContain(off.id)
        expect(js).not.toContain(gone.id)
        expect(js).not.toContain(IMPLICIT_SITE_FUNCTION_ID)
        // What posthog-js does with it.
        const win: Record<string, any> = {}
        new Function('window', js)(win)
        const [loader] = win._POSTHOG_REMOTE_CONFIG[standIn.token].siteApps
        delete g.__loaded
        const callback = vi.fn()
        expect(loader.init({ posthog: fakePosthog(), callback })).toEqual({})
        expect(callback).toHaveBeenCalledWith(true)
        expect(g.__loaded.inputs).toEqual({ interviewConfigs: 'user-interview=https://cal.com/a/30', minDaysSinceLastSeenPopUp: 30 })
        // Other deliveries do not serve site functions.
        expect(await configJs('standin_delivery=inline')).not.toContain(on.id)
    })

    it('with no site_app in the store, serves dist/hog-function.json with the settings as inputs', async () => {
        const js = await configJs()
        expect(js).toContain(`id: '${IMPLICIT_SITE_FUNCTION_ID}'`)
        // The fixture's onLoad sets `window.__loaded`; `window` here is the config.js scope's.
        const win: Record<string, any> = {}
        new Function('window', js)(win)
        win._POSTHOG_REMOTE_CONFIG[standIn.token].siteApps[0].init({ posthog: fakePosthog(), callback: () => {} })
        // Settings typed as the schema says (the number), `templating: false` text kept as typed.
        expect(win.__loaded).toEqual({ interviewConfigs: 'user-interview=https://cal.com/a/30', footerHTML: 'Hi {name}', minDaysSinceLastSeenPopUp: 30 })
        expect(JSON.parse(readFileSync(join(fixtures, 'hog-function.json'), 'utf8')).type).toBe('site_app')
        // A disabled site_app in the store replaces it: nothing is served.
        await call('POST', '/api/projects/1/hog_functions/', siteApp())
        expect(await configJs()).toContain('siteApps: []')
    })

    it('insights: create a funnel, find it by short_id, update it; refuse a query that is not an object', async () => {
        const query = {
            kind: 'InsightVizNode',
            source: {
                kind: 'FunnelsQuery',
                series: [
                    { kind: 'EventsNode', event: 'User Interview Shown Pop Up', name: 'User Interview Shown Pop Up' },
                    { kind: 'EventsNode', event: 'User Interview Clicked Book Button', name: 'User Interview Clicked Book Button' },
                ],
                breakdownFilter: { breakdown_type: 'event', breakdown: 'featureFlagName' },
                funnelsFilter: { funnelVizType: 'steps' },
                dateRange: { date_from: '-30d', date_to: null },
            },
        }
        const created = await call('POST', '/api/projects/1/insights/', { name: 'Interviews', query, saved: true })
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({ id: 1, name: 'Interviews', saved: true, deleted: false, query })
        expect(created.body.short_id).toMatch(/^[A-Za-z0-9]{8}$/)
        const found = await call('GET', `/api/projects/1/insights/?short_id=${created.body.short_id}`)
        expect(found.body).toMatchObject({ count: 1, results: [{ id: 1 }] })
        const updated = await call('PATCH', '/api/projects/1/insights/1/', { description: 'shown to booked' })
        expect(updated.body).toMatchObject({ id: 1, name: 'Interviews', description: 'shown to booked', query })
        expect(standIn.insights()).toHaveLength(1)
        expect(await call('POST', '/api/projects/1/insights/', { name: 'x', query: 'funnel' })).toMatchObject({
            status: 400,
            body: validation('query', 'Query must be a valid JSON object'),
        })
        const oneStep = { ...query, source: { ...query.source, series: query.source.series.slice(0, 1) } }
        expect(await call('POST', '/api/projects/1/insights/', { name: 'x', query: oneStep })).toMatchObject({ status: 400, body: validation('query', /^\(stand-in\) /) })
        expect((await call('DELETE', '/api/projects/1/insights/1/')).status).toBe(405)
        expect(standIn.insights()).toHaveLength(1)
    })
})
