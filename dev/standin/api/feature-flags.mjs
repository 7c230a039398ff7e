// `/api/projects/{id}/feature_flags/`: posthog/api/feature_flag.py (FeatureFlagViewSet, scope_object "feature_flag";
// ForbidDestroyModel: DELETE is 405, delete with PATCH `deleted: true`; safely_get_queryset: list hides deleted flags
// and filters `search` (key or name, case-insensitive), `active`, `type`; order `-created_at` unless `order`;
// retrieve still finds a deleted flag) and FeatureFlagSerializer (fields, `version` 1 on create and +1 on every
// update, a create first hard-deletes a deleted flag with the same key, `performed_rollback` cleared by
// `active: true`, `get_filters` for flags saved without groups). Validation: feature-flag-validation.mjs.
import { sendJson } from '../http.mjs'
import { STANDIN_USER } from './auth.mjs'
import { drfNow, isPlainObject, jsonbOrder, notFound, requireDictionary } from './errors.mjs'
import { validateFeatureFlag } from './feature-flag-validation.mjs'
import { paginate } from './pagination.mjs'

/** FeatureFlag.get_filters: flags saved without `groups` read as one condition (legacy `rollout_percentage`). */
export function getFilters(flag) {
    if (isPlainObject(flag.filters) && 'groups' in flag.filters) return flag.filters
    return { groups: [{ properties: flag.filters?.properties ?? [], rollout_percentage: flag.rollout_percentage ?? null }] }
}

/** FeatureFlagSerializer.to_representation, Meta.fields' order (write-only fields left out). */
export function featureFlagBody(flag) {
    return {
        id: flag.id,
        name: flag.name,
        key: flag.key,
        filters: structuredClone(getFilters(flag)),
        deleted: flag.deleted,
        active: flag.active,
        created_by: STANDIN_USER,
        created_at: flag.created_at,
        updated_at: flag.updated_at,
        version: flag.version,
        last_modified_by: STANDIN_USER,
        ensure_experience_continuity: flag.ensure_experience_continuity,
        experiment_set: [],
        surveys: [],
        features: [],
        rollback_conditions: flag.rollback_conditions,
        performed_rollback: flag.performed_rollback,
        can_edit: true,
        tags: [...flag.tags],
        // The evaluation-tags feature is off for the stand-in's user, so list and retrieve blank them, as PostHog does.
        evaluation_tags: [],
        // PostHog creates a usage dashboard per flag; the stand-in keeps no dashboards.
        usage_dashboard: null,
        analytics_dashboards: [],
        has_enriched_analytics: flag.has_enriched_analytics,
        user_access_level: 'editor',
        is_remote_configuration: flag.is_remote_configuration,
        has_encrypted_payloads: flag.has_encrypted_payloads,
        // FeatureFlagStatusChecker: the stand-in only tells deleted flags (STALE needs 30 days of usage data).
        status: flag.deleted ? 'DELETED' : 'ACTIVE',
        evaluation_runtime: flag.evaluation_runtime,
        bucketing_identifier: flag.bucketing_identifier,
        last_called_at: null,
    }
}

/**
 * Create (`instance` undefined) or update a flag as the serializer saves it.
 * @param {import('../state.mjs').StandInState} state
 * @param {Record<string, any>} body @param {Record<string, any> | undefined} instance @param {{ partial?: boolean }} [opts]
 */
export function saveFeatureFlag(state, body, instance, { partial = true } = {}) {
    const keyTaken = (key) => [...state.featureFlags.values()].some((f) => f.key === key && !f.deleted && f !== instance)
    const attrs = validateFeatureFlag(body, instance, { partial: instance ? partial : false, keyTaken })
    if (attrs.filters) attrs.filters = jsonbOrder(attrs.filters)
    if (attrs.active) attrs.performed_rollback = false // _update_filters
    const now = drfNow()
    if (!instance) {
        for (const [id, f] of state.featureFlags) if (f.deleted && f.key === attrs.key) state.featureFlags.delete(id)
        const flag = {
            id: state.nextFeatureFlagId++,
            team_id: state.projectId,
            name: '',
            key: attrs.key,
            filters: {},
            rollout_percentage: null,
            deleted: false,
            active: true,
            created_at: now,
            updated_at: now,
            ensure_experience_continuity: false,
            rollback_conditions: null,
            performed_rollback: false,
            tags: [],
            has_enriched_analytics: false,
            is_remote_configuration: false,
            has_encrypted_payloads: false,
            evaluation_runtime: 'all',
            bucketing_identifier: null,
            ...attrs,
            version: 1,
        }
        state.featureFlags.set(flag.id, flag)
        return flag
    }
    Object.assign(instance, attrs, { updated_at: now, version: (instance.version ?? 0) + 1 })
    return instance
}

/** `?search=`, `?active=`, `?type=` as _apply_filters does them, then the ordering. */
function listFlags(state, url) {
    let list = [...state.featureFlags.values()].filter((f) => !f.deleted)
    const q = url.searchParams
    const search = q.get('search')
    if (search) list = list.filter((f) => f.key.toLowerCase().includes(search.toLowerCase()) || f.name.toLowerCase().includes(search.toLowerCase()))
    const active = q.get('active')
    if (active !== null && active !== 'STALE') list = list.filter((f) => f.active === (active === 'true'))
    const type = q.get('type')
    const multivariate = (f) => (getFilters(f).multivariate?.variants ?? []).length > 0
    if (type === 'boolean') list = list.filter((f) => !multivariate(f))
    if (type === 'multivariant') list = list.filter(multivariate)
    if (type === 'experiment') list = [] // the stand-in keeps no experiments
    const order = q.get('order') ?? '-created_at'
    const field = order.replace(/^-/, '')
    const sign = order.startsWith('-') ? -1 : 1
    list.sort((a, b) => (a[field] < b[field] ? -sign : a[field] > b[field] ? sign : b.id - a.id))
    return list
}

/** @param {import('../state.mjs').StandInState} state */
export function featureFlagsApi(state, req, res, url, action, id, data) {
    if (action === 'list') return sendJson(req, res, 200, paginate(state, req, url, listFlags(state, url).map(featureFlagBody)))
    if (action === 'create') return sendJson(req, res, 201, featureFlagBody(saveFeatureFlag(state, data, undefined)))
    const flag = id && /^\d+$/.test(id) ? state.featureFlags.get(Number(id)) : undefined
    if (!flag) throw notFound()
    if (action === 'retrieve') return sendJson(req, res, 200, featureFlagBody(flag))
    requireDictionary(data)
    return sendJson(req, res, 200, featureFlagBody(saveFeatureFlag(state, data, flag, { partial: action === 'partial_update' })))
}
