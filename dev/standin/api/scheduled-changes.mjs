// Scheduled changes of feature flags: posthog/api/scheduled_change.py (ScheduledChangeSerializer and its validate();
// ScheduledChangeViewSet, scope_object "INTERNAL": refused to every personal API key that has scopes, see
// auth.mjs) and posthog/tasks/process_scheduled_changes.py (`process_scheduled_changes`, the celery task that runs
// due changes: `executed_at` null and `scheduled_at <= now`, oldest first; paused recurring ones skipped; one-time
// ones stamped `executed_at`; recurring ones moved to their next run; failures recorded in `failure_reason` and,
// being unrecoverable here, stamped executed). The change itself is FeatureFlag.scheduled_changes_dispatcher:
// `update_status` is a partial FeatureFlagSerializer update of `active`. Tests create changes through the handle
// or `POST /_standin/scheduled-changes` and run them with `POST /_standin/scheduled-changes/run` (see control.mjs).
import { sendJson, send } from '../http.mjs'
import { STANDIN_USER } from './auth.mjs'
import { ApiError, booleanField, charField, choiceField, drfNow, fail, isPlainObject, notFound, serverError, validationError } from './errors.mjs'
import { saveFeatureFlag } from './feature-flags.mjs'
import { paginate } from './pagination.mjs'

const INTERVALS = ['daily', 'weekly', 'monthly', 'yearly']
const DATETIME_FORMAT_ERROR = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'

/** DRF DateTimeField input: ISO 8601 (naive times are UTC, the project's timezone). */
function dateTimeField(v, { allowNull = false } = {}) {
    if (v === null) return allowNull ? { value: null } : { error: [fail('This field may not be null.', 'null')] }
    const m = typeof v === 'string' ? /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim()) : null
    if (!m) return { error: [fail(DATETIME_FORMAT_ERROR)] }
    const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 7) : ':00'}${m[5] ?? 'Z'}`)
    return Number.isNaN(ms) ? { error: [fail(DATETIME_FORMAT_ERROR)] } : { value: new Date(ms).toISOString() }
}

/** ScheduledChangeSerializer: fields, then validate(), then the target check of create(). */
function validateScheduledChange(state, body, instance) {
    /** @type {Record<string, any>} */
    const errors = {}
    /** @type {Record<string, any>} */
    const data = {}
    const take = (key, result) => (result.error ? (errors[key] = result.error) : (data[key] = result.value))
    const isCreate = !instance
    for (const key of ['record_id', 'model_name', 'payload', 'scheduled_at']) {
        if (!(key in body) && isCreate) errors[key] = [fail('This field is required.', 'required')]
    }
    if ('record_id' in body) take('record_id', charField(body.record_id, { maxLength: 200 }))
    if ('model_name' in body) take('model_name', choiceField(body.model_name, ['FeatureFlag']))
    if ('payload' in body) data.payload = body.payload
    if ('scheduled_at' in body) take('scheduled_at', dateTimeField(body.scheduled_at))
    if ('is_recurring' in body) take('is_recurring', booleanField(body.is_recurring))
    if ('recurrence_interval' in body) take('recurrence_interval', choiceField(body.recurrence_interval, INTERVALS, { allowNull: true }))
    if ('cron_expression' in body) take('cron_expression', charField(body.cron_expression, { allowNull: true, allowBlank: true }))
    if ('end_date' in body) take('end_date', dateTimeField(body.end_date, { allowNull: true }))
    if (Object.keys(errors).length) throw validationError(errors)
    const current = (key, dflt) => (key in data ? data[key] : instance ? instance[key] : dflt)
    if (instance) {
        if ('record_id' in data && String(data.record_id) !== String(instance.record_id)) throw validationError({ record_id: [fail('Cannot change the target record of an existing scheduled change.')] })
        if ('model_name' in data && data.model_name !== instance.model_name) throw validationError({ model_name: [fail('Cannot change the model type of an existing scheduled change.')] })
        if (instance.executed_at !== null && !instance.is_recurring) throw validationError([fail('Cannot modify a scheduled change that has already executed.')])
    }
    const isRecurring = current('is_recurring', false)
    const interval = current('recurrence_interval', null)
    const cron = current('cron_expression', null)
    if (cron && interval) throw validationError({ cron_expression: [fail('Cannot set both cron_expression and recurrence_interval. Use one or the other.')] })
    // STRICTER: the stand-in has no croniter to compute a cron schedule's next run.
    if (cron) throw validationError({ cron_expression: [fail('(stand-in) cron_expression is not supported; use recurrence_interval')] })
    if (isRecurring) {
        if (!interval) throw validationError({ recurrence_interval: [fail('Either recurrence_interval or cron_expression is required when is_recurring is true.')] })
        const payload = current('payload', {})
        if (isPlainObject(payload) && payload.operation === 'add_release_condition') {
            throw validationError({ payload: [fail('Recurring schedules are not supported for add_release_condition because it appends conditions on each run, creating duplicates.')] })
        }
    }
    if (isCreate && !isRecurring && interval) throw validationError({ recurrence_interval: [fail('Cannot set recurrence_interval when is_recurring is false for new schedules.')] })
    const endDate = current('end_date', null)
    const scheduledAt = current('scheduled_at', null)
    if (endDate && scheduledAt && endDate <= scheduledAt) throw validationError({ end_date: [fail('End date must be after the scheduled start date.')] })
    if (isCreate) {
        // _check_target_edit_permission: FeatureFlag.objects.get(id=record_id) (a non-number id is Django's ValueError, a 500).
        if (!/^\d+$/.test(data.record_id)) throw serverError()
        if (!state.featureFlags.has(Number(data.record_id))) throw validationError([fail('Feature flag not found')])
    }
    return data
}

/** Create or update a scheduled change. @param {import('../state.mjs').StandInState} state */
export function saveScheduledChange(state, body, instance) {
    if (!isPlainObject(body)) throw validationError([fail(`Invalid data. Expected a dictionary, but got ${Array.isArray(body) ? 'list' : typeof body}.`)])
    const data = validateScheduledChange(state, body, instance)
    const now = drfNow()
    if (instance) return Object.assign(instance, data, { updated_at: now })
    const change = {
        id: state.nextScheduledChangeId++,
        team_id: state.projectId,
        executed_at: null,
        failure_reason: null,
        failure_count: 0,
        created_at: now,
        updated_at: now,
        is_recurring: false,
        recurrence_interval: null,
        cron_expression: null,
        last_executed_at: null,
        end_date: null,
        timezone: 'UTC',
        ...data,
    }
    state.scheduledChanges.set(change.id, change)
    return change
}

/** DRF DateTimeField output (`isoformat()`, `+00:00` as `Z`): microseconds only when there are some. */
const drfDate = (iso) => (iso === null ? null : iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z'))

/** ScheduledChangeSerializer.to_representation. */
export function scheduledChangeBody(change) {
    let failure = null
    if (change.failure_reason) {
        // formatted_failure_reason: the stand-in shows the recorded error text.
        failure = JSON.parse(change.failure_reason).error
    }
    return {
        id: change.id,
        team_id: change.team_id,
        record_id: change.record_id,
        model_name: change.model_name,
        payload: structuredClone(change.payload),
        scheduled_at: drfDate(change.scheduled_at),
        executed_at: drfDate(change.executed_at),
        failure_reason: failure,
        created_at: change.created_at,
        created_by: STANDIN_USER,
        updated_at: change.updated_at,
        is_recurring: change.is_recurring,
        recurrence_interval: change.recurrence_interval,
        cron_expression: change.cron_expression,
        last_executed_at: drfDate(change.last_executed_at),
        end_date: drfDate(change.end_date),
        timezone: change.timezone,
    }
}

/** compute_next_run: relativedelta arithmetic (month ends clamp, as relativedelta does). */
function nextRun(iso, interval) {
    const d = new Date(iso)
    if (interval === 'daily') d.setUTCDate(d.getUTCDate() + 1)
    else if (interval === 'weekly') d.setUTCDate(d.getUTCDate() + 7)
    else {
        const day = d.getUTCDate()
        d.setUTCDate(1)
        if (interval === 'monthly') d.setUTCMonth(d.getUTCMonth() + 1)
        else d.setUTCFullYear(d.getUTCFullYear() + 1)
        const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
        d.setUTCDate(Math.min(day, last))
    }
    return d.toISOString()
}

/** FeatureFlag.scheduled_changes_dispatcher. Throws `{ error, error_type }`-worthy errors. */
function dispatch(state, change) {
    const flag = /^\d+$/.test(String(change.record_id)) ? state.featureFlags.get(Number(change.record_id)) : undefined
    if (!flag) throw Object.assign(new Error('FeatureFlag matching query does not exist.'), { type: 'DoesNotExist' })
    const payload = change.payload
    if (!isPlainObject(payload) || !('operation' in payload) || !('value' in payload)) throw Object.assign(new Error('Invalid payload'), { type: 'Exception' })
    if (payload.operation === 'update_status') {
        try {
            saveFeatureFlag(state, { active: payload.value }, flag, { partial: true })
        } catch (e) {
            if (e instanceof ApiError) throw Object.assign(new Error(JSON.stringify({ [e.body.attr ?? 'non_field_errors']: [e.body.detail] })), { type: 'ValidationError' })
            throw e
        }
        return
    }
    if (payload.operation === 'add_release_condition' || payload.operation === 'update_variants') {
        throw Object.assign(new Error(`(stand-in) operation ${payload.operation} is not supported`), { type: 'Exception' })
    }
    throw Object.assign(new Error(`Unrecognized operation: ${payload.operation}`), { type: 'Exception' })
}

/**
 * process_scheduled_changes at `now` (default the current time). Returns the ids it executed or failed.
 * @param {import('../state.mjs').StandInState} state @param {string} [nowIso]
 */
export function runScheduledChanges(state, nowIso = new Date().toISOString()) {
    const now = new Date(nowIso).toISOString()
    const due = [...state.scheduledChanges.values()]
        .filter((c) => c.executed_at === null && c.scheduled_at <= now)
        .sort((a, b) => (a.scheduled_at < b.scheduled_at ? -1 : a.scheduled_at > b.scheduled_at ? 1 : a.id - b.id))
    const ran = []
    for (const change of due) {
        const hasRecurrence = change.recurrence_interval || change.cron_expression
        if (!change.is_recurring && hasRecurrence) continue // paused
        if (change.end_date && change.end_date <= now && hasRecurrence) {
            change.executed_at = now
            continue
        }
        ran.push(change.id)
        try {
            dispatch(state, change)
            if (change.is_recurring && change.recurrence_interval) {
                let next = nextRun(change.scheduled_at, change.recurrence_interval)
                while (next <= now) next = nextRun(next, change.recurrence_interval)
                if (change.end_date && next > change.end_date) change.executed_at = now
                else change.scheduled_at = next
                change.last_executed_at = now
            } else change.executed_at = now
        } catch (e) {
            change.failure_count += 1
            // Every failure the stand-in can meet (missing flag, bad payload, validation) is "unrecoverable".
            const error = e instanceof Error ? e.message : String(e)
            const type = /** @type {any} */ (e).type ?? 'Exception'
            change.failure_reason = JSON.stringify({ error, error_type: type, hostname: 'standin', will_retry: false, retry_count: change.failure_count, max_retries: 5, error_classification: 'unrecoverable' })
            change.executed_at = now
        }
    }
    return ran
}

/** The REST view, reachable only by legacy keys without scopes (every other personal API key gets a 403). */
export function scheduledChangesApi(state, req, res, url, action, id, data) {
    if (action === 'list') {
        let list = [...state.scheduledChanges.values()]
        const modelName = url.searchParams.get('model_name')
        const recordId = url.searchParams.get('record_id')
        if (modelName !== null) list = list.filter((c) => c.model_name === modelName)
        if (recordId !== null) list = list.filter((c) => String(c.record_id) === recordId)
        return sendJson(req, res, 200, paginate(state, req, url, list.map(scheduledChangeBody)))
    }
    if (action === 'create') return sendJson(req, res, 201, scheduledChangeBody(saveScheduledChange(state, data, undefined)))
    const change = id && /^\d+$/.test(id) ? state.scheduledChanges.get(Number(id)) : undefined
    if (!change) throw notFound()
    if (action === 'retrieve') return sendJson(req, res, 200, scheduledChangeBody(change))
    if (action === 'destroy') {
        state.scheduledChanges.delete(change.id)
        return send(req, res, 204, '', 'application/json')
    }
    return sendJson(req, res, 200, scheduledChangeBody(saveScheduledChange(state, data, change)))
}
