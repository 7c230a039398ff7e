// @vitest-environment node
// Scheduled changes in the stand-in (dev/standin/api/scheduled-changes.mjs): the REST view refused to personal API
// keys with scopes (scope_object "INTERNAL"), the serializer's validation, and the celery task's run that turns a
// flag off at its date.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startStandIn, type StandIn } from '../../dev/posthog-standin.mjs'

const LEGACY = 'phx_legacy_unscoped'
let standIn: StandIn

beforeAll(async () => {
    standIn = await startStandIn({ log: () => {}, personalApiKeys: { phx_standin_personal_key: ['*'], [LEGACY]: [] } })
})
afterEach(() => standIn.reset())
afterAll(() => standIn.close())

async function call(method: string, path: string, body?: unknown, key = standIn.personalApiKey) {
    const res = await fetch(`${standIn.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function flagIsOn(key: string): Promise<boolean> {
    const res = await fetch(`${standIn.url}/flags/?v=2`, { method: 'POST', body: JSON.stringify({ distinct_id: 'visitor' }) })
    return (await res.json()).flags[key].enabled
}

function makeFlag() {
    return standIn.createFeatureFlag({ key: 'user-interview', filters: { groups: [{ properties: [], rollout_percentage: 100 }] } })
}

const switchOff = (flagId: number, scheduledAt: string) => ({ record_id: String(flagId), model_name: 'FeatureFlag', payload: { operation: 'update_status', value: false }, scheduled_at: scheduledAt })

describe('scheduled changes', () => {
    it('are refused to every personal API key with scopes, even *, as PostHog refuses INTERNAL views', async () => {
        const flag = makeFlag()
        const path = `/api/projects/${standIn.projectId}/scheduled_changes/`
        const expected = { status: 403, body: { type: 'authentication_error', code: 'permission_denied', detail: 'This action does not support Personal API Key access', attr: null } }
        expect(await call('POST', path, switchOff(flag.id, '2030-01-01T00:00:00Z'))).toEqual(expected)
        expect(await call('GET', path)).toEqual(expected)
        expect((await call('GET', path, undefined, 'phx_unknown')).status).toBe(401)
        // A legacy key without scopes may use any view (permissions.py), this one included.
        const created = await call('POST', path, switchOff(flag.id, '2030-01-01T00:00:00Z'), LEGACY)
        expect(created).toMatchObject({ status: 201, body: { record_id: String(flag.id), scheduled_at: '2030-01-01T00:00:00Z', executed_at: null, is_recurring: false } })
    })

    it('validate as ScheduledChangeSerializer does', () => {
        const flag = makeFlag()
        const refusal = (body: Record<string, unknown>) => {
            try {
                standIn.createScheduledChange(body)
            } catch (e: any) {
                return e.body
            }
            throw new Error('accepted')
        }
        expect(refusal({ model_name: 'FeatureFlag', payload: {}, scheduled_at: '2030-01-01T00:00:00Z' })).toMatchObject({ code: 'required', attr: 'record_id' })
        expect(refusal({ ...switchOff(flag.id, 'next tuesday') })).toMatchObject({ attr: 'scheduled_at', detail: expect.stringContaining('Datetime has wrong format') })
        expect(refusal({ ...switchOff(flag.id, '2030-01-01T00:00:00Z'), model_name: 'Survey' })).toMatchObject({ code: 'invalid_choice', attr: 'model_name' })
        expect(refusal(switchOff(999, '2030-01-01T00:00:00Z'))).toMatchObject({ detail: 'Feature flag not found', attr: null })
        expect(refusal({ ...switchOff(flag.id, '2030-01-01T00:00:00Z'), is_recurring: true })).toMatchObject({ attr: 'recurrence_interval' })
        expect(refusal({ ...switchOff(flag.id, '2030-01-02T00:00:00Z'), is_recurring: true, recurrence_interval: 'daily', end_date: '2030-01-01T00:00:00Z' })).toMatchObject({
            attr: 'end_date',
            detail: 'End date must be after the scheduled start date.',
        })
    })

    it('switch a flag off at its date and not before, as the celery task runs them', async () => {
        const flag = makeFlag()
        const change = standIn.createScheduledChange(switchOff(flag.id, '2030-06-01T12:00:00Z'))
        expect(standIn.runScheduledChanges('2030-06-01T11:59:59Z')).toEqual([])
        expect(await flagIsOn('user-interview')).toBe(true)
        const res = await fetch(`${standIn.url}/_standin/scheduled-changes/run`, { method: 'POST', body: JSON.stringify({ now: '2030-06-01T12:00:00Z' }) })
        expect((await res.json()).ran).toEqual([change.id])
        expect(await flagIsOn('user-interview')).toBe(false)
        expect(standIn.featureFlags()[0]).toMatchObject({ active: false, version: 2 })
        expect(standIn.scheduledChanges()[0]).toMatchObject({ executed_at: '2030-06-01T12:00:00.000Z', failure_reason: null })
        expect(standIn.runScheduledChanges('2031-01-01T00:00:00Z')).toEqual([]) // executed once
    })

    it('record a failure and stop, and move a recurring change to its next run', () => {
        const flag = makeFlag()
        const bad = standIn.createScheduledChange({ ...switchOff(flag.id, '2030-01-01T00:00:00Z'), payload: { operation: 'update_status' } })
        const daily = standIn.createScheduledChange({ ...switchOff(flag.id, '2030-01-01T08:00:00Z'), is_recurring: true, recurrence_interval: 'daily' })
        expect(standIn.runScheduledChanges('2030-01-03T09:00:00Z')).toEqual([bad.id, daily.id])
        const [failed, recurring] = standIn.scheduledChanges()
        expect(JSON.parse(failed.failure_reason ?? '{}')).toMatchObject({ error: 'Invalid payload', will_retry: false })
        expect(failed.executed_at).toBe('2030-01-03T09:00:00.000Z')
        expect(recurring).toMatchObject({ executed_at: null, scheduled_at: '2030-01-04T08:00:00.000Z', last_executed_at: '2030-01-03T09:00:00.000Z' })
    })
})
