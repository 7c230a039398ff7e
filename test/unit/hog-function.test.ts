// Today's form: the HogFunction. Its entry (site-app.ts), the settings parser reading typed inputs, and what the build
// writes for it (dist/site-app.ts, dist/hog-function.json) and for the plugin form (plugin.json), all from
// src/settings-fields.ts.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { onLoad } from '../../site-app'
import { parseSettings } from '../../src/settings'
import { CAMPAIGN_DEFAULTS, DEFAULTS, FIELDS, inputsSchema, pluginJson } from '../../src/settings-fields'
import { inputsFromSettings } from '../../scripts/hog-inputs.mjs'
import { fakePosthog, useFreshPage } from './fake-posthog'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')

beforeAll(() => {
    if (!existsSync(join(root, 'dist/hog-function.json'))) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: root })
})

const dialog = () => document.querySelector('user-interviewer')?.shadowRoot?.querySelector('[role="dialog"]') as HTMLElement | null

let warnings: string[]
useFreshPage((page) => ({ warnings } = page))

describe('onLoad, the HogFunction entry', () => {
    it('runs the app from typed inputs: a number, a choice, a null left by a failed template', () => {
        const posthog = fakePosthog()
        const result = onLoad({
            inputs: {
                interviewConfigs: 'user-interview=https://cal.test/30min',
                minDaysSinceLastSeenPopUp: 0,
                zIndex: 42,
                position: 'center',
                invitationTitle: null,
                bookButtonText: 'Pick a time',
            },
            posthog: posthog as never,
        })
        expect(result).toBeUndefined() // not a promise: PostHog's loader reports it loaded at once
        posthog.loadFlags(['user-interview'])
        expect(dialog()!.className).toContain('center')
        expect(dialog()!.style.zIndex).toBe('42')
        expect(dialog()!.querySelector('h2')!.textContent).toBe(DEFAULTS.invitationTitle)
        expect(dialog()!.querySelector('button.book')!.textContent!.trim()).toBe('Pick a time')
        expect(posthog.captured.map((c) => c.event)).toEqual(['User Interview Shown Pop Up'])
        expect(warnings).toEqual([])
    })

    it('never throws, whatever PostHog hands it', () => {
        for (const args of [undefined, null, {}, { inputs: 7 }, { inputs: {}, posthog: {} }, { posthog: null }]) {
            expect(() => onLoad(args as never)).not.toThrow()
        }
        expect(warnings.every((line) => line.startsWith('[User Interviewer]'))).toBe(true)
    })
})

describe('one parser for plugin strings and typed inputs', () => {
    it('reads the same settings from either form', () => {
        const quiet = () => undefined
        const fromPlugin = parseSettings({ minDaysSinceLastSeenPopUp: '0', zIndex: ' 5 ', position: 'CENTER', theme: 'dark' }, quiet)
        const fromInputs = parseSettings({ minDaysSinceLastSeenPopUp: 0, zIndex: 5, position: 'center', theme: 'dark' }, quiet)
        expect(fromInputs).toEqual(fromPlugin)
        expect(fromInputs).toMatchObject({ minDaysSinceLastSeenPopUp: 0, zIndex: 5, position: 'center', theme: 'dark' })
    })

    it('takes a missing input, a null and an empty string all as the default', () => {
        const quiet = () => undefined
        for (const value of [undefined, null, '']) {
            expect(parseSettings({ minDaysSinceLastSeenPopUp: value, bookButtonText: value }, quiet)).toMatchObject({
                minDaysSinceLastSeenPopUp: DEFAULTS.minDaysSinceLastSeenPopUp,
                bookButtonText: DEFAULTS.bookButtonText,
            })
        }
    })
})

describe('settings in one place', () => {
    it("has a field for every default and a default for every field, but the original app's two old lists", () => {
        // featureFlagNames + bookButtonURLs: read (zipped) only when interviewConfigs is empty, so no default ships;
        // the campaign's settings are read by npm run status alone, so their defaults do not ship either.
        const LEGACY = ['bookButtonURLs', 'featureFlagNames']
        expect(FIELDS.map((field) => field.key).filter((key) => !LEGACY.includes(key)).sort()).toEqual(
            Object.keys({ ...DEFAULTS, ...CAMPAIGN_DEFAULTS }).sort(),
        )
        expect(Object.keys(CAMPAIGN_DEFAULTS).filter((key) => key in DEFAULTS)).toEqual([])
        expect(FIELDS.filter((field) => LEGACY.includes(field.key)).map((field) => field.key).sort()).toEqual(LEGACY)
    })

    it('writes plugin.json from it, at the top level and in dist/, keeping every key, type and default of the original app', () => {
        const generated = JSON.parse(JSON.stringify(pluginJson()))
        expect(JSON.parse(read('plugin.json'))).toEqual(generated)
        expect(JSON.parse(read('dist/plugin.json'))).toEqual(generated)
        const fields = generated.config.filter((entry: { key?: string }) => entry.key)
        // The original app's settings keep their keys, and the plugin form has no number type: numbers stay text.
        expect(fields.map((field: { key: string }) => field.key)).toEqual(expect.arrayContaining(['interviewConfigs', 'minDaysSinceLastSeenPopUp', 'domains']))
        expect(fields.find((field: { key: string }) => field.key === 'minDaysSinceLastSeenPopUp')).toMatchObject({ type: 'string', default: '90', required: true })
        expect(fields.every((field: { site?: boolean }) => field.site === true)).toBe(true)
    })

    it('writes dist/hog-function.json: the create body less inputs, with dist/site-app.ts as its source', () => {
        const body = JSON.parse(read('dist/hog-function.json'))
        expect(Object.keys(body).sort()).toEqual(['description', 'hog', 'inputs_schema', 'name', 'type'])
        expect(body).toMatchObject({ name: 'User Interviewer', type: 'site_app' })
        expect(body.hog).toBe(read('dist/site-app.ts'))
        expect(body.inputs_schema).toEqual(JSON.parse(JSON.stringify(inputsSchema())))
    })

    it("gives the schema every plugin.json setting under the same key, label, help text and default, in PostHog's types", () => {
        const schema = inputsSchema()
        const plugin = pluginJson().config.filter((entry) => entry.key) as Array<Record<string, unknown>>
        // All but the original app's 2022 lists, which this form takes zipped into its required interviewConfigs.
        const LEGACY = ['featureFlagNames', 'bookButtonURLs']
        expect(schema.map((input) => input.key)).toEqual(plugin.map((field) => field.key).filter((key) => !LEGACY.includes(key as string)))
        for (const field of plugin.filter((entry) => !LEGACY.includes(entry.key as string))) {
            const input = schema.find((item) => item.key === field.key)!
            expect(input.label).toBe(field.name)
            expect(input.description).toBe(field.hint)
            expect(String(input.default)).toBe(field.default)
        }
        const byKey = Object.fromEntries(schema.map((input) => [input.key, input]))
        expect(byKey.minDaysSinceLastSeenPopUp).toMatchObject({ type: 'number', default: 90, required: false })
        expect(byKey.zIndex).toMatchObject({ type: 'number', default: 999999 })
        expect(byKey.position).toMatchObject({ type: 'choice', choices: [{ label: 'bottom-right', value: 'bottom-right' }, { label: 'bottom-left', value: 'bottom-left' }, { label: 'center', value: 'center' }] })
        expect(byKey.theme.type).toBe('choice')
        // PostHog refuses a required input that is empty: only what the app cannot run without is required.
        expect(schema.filter((input) => input.required).map((input) => input.key)).toEqual(['interviewConfigs'])
        // Every text keeps its `{` literal rather than becoming a Hog template.
        for (const input of schema) expect(input.templating).toBe(input.type === 'string' ? false : undefined)
    })

    it("is a schema PostHog's InputsSchemaItemSerializer accepts", () => {
        const TYPES = ['string', 'number', 'boolean', 'dictionary', 'choice', 'json', 'integration', 'integration_field', 'email']
        for (const input of inputsSchema()) {
            expect(TYPES).toContain(input.type)
            expect(typeof input.key).toBe('string')
            expect(typeof input.label).toBe('string')
            if (input.choices) for (const choice of input.choices) expect(choice).toEqual({ label: expect.any(String), value: expect.any(String) })
            if (input.type === 'number') expect(typeof input.default).toBe('number')
        }
    })
})

describe("a team's plugin settings as HogFunction inputs", () => {
    it('types them as the schema says, and lists what does not fit', () => {
        const { inputs, problems } = inputsFromSettings(inputsSchema(), {
            interviewConfigs: 'user-interview=https://cal.test/30min',
            minDaysSinceLastSeenPopUp: '30',
            zIndex: 'high',
            position: 'Center',
            theme: '',
            invitationTitle: 'Hi {there}',
            notASetting: 'x',
        })
        expect(inputs).toEqual({
            interviewConfigs: { value: 'user-interview=https://cal.test/30min' },
            minDaysSinceLastSeenPopUp: { value: 30 },
            position: { value: 'center' },
            invitationTitle: { value: 'Hi {there}' },
        })
        expect(problems).toEqual(['zIndex: "high" is not a number', 'notASetting: not a setting of this app'])
    })

    it("takes the original app's 2022 lists as the interviewConfigs this form requires", () => {
        const lists = { featureFlagNames: ' high-icp , user-interview', bookButtonURLs: 'https://cal.test/high, https://cal.test/ui' }
        expect(inputsFromSettings(inputsSchema(), { ...lists, interviewConfigs: '' })).toEqual({
            inputs: { interviewConfigs: { value: 'high-icp=https://cal.test/high,user-interview=https://cal.test/ui' } },
            problems: [],
        })
        // A given interviewConfigs wins, as in the app; the lists are then dropped, not refused.
        expect(inputsFromSettings(inputsSchema(), { ...lists, interviewConfigs: 'new=https://cal.test/new' }).inputs).toEqual({
            interviewConfigs: { value: 'new=https://cal.test/new' },
        })
    })
})
