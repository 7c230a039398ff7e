// Persons as PostHog's ingestion keeps them: one person per set of distinct ids (merged by `$identify` with
// `$anon_distinct_id` and by `$create_alias`), properties from `$set`, `$set_once` and `$unset`
// (plugin-server's person state: the newer person's properties win on a merge). Each person has a UUID, which the
// query API answers as `person_id` (after merges, as person-on-events overrides resolve it).
import { randomUUID } from 'node:crypto'

/** @param {import('./state.mjs').StandInState} state @param {string} distinctId */
export function personFor(state, distinctId) {
    let person = state.persons.get(distinctId)
    if (!person) {
        person = { id: state.nextPersonId++, uuid: randomUUID(), properties: {} }
        state.persons.set(distinctId, person)
    }
    return person
}

/** @param {import('./state.mjs').StandInState} state @param {string} a the distinct id that keeps its properties @param {string} b */
export function mergePersons(state, a, b) {
    const pa = personFor(state, a)
    const pb = personFor(state, b)
    if (pa === pb) return
    pa.properties = { ...pb.properties, ...pa.properties }
    for (const [id, p] of state.persons) if (p === pb) state.persons.set(id, pa)
}

/** @param {import('./state.mjs').StandInState} state @param {string} distinctId */
export function personProperties(state, distinctId) {
    return { ...(state.persons.get(distinctId)?.properties ?? {}) }
}

/** Every person with its distinct ids. @param {import('./state.mjs').StandInState} state */
export function listPersons(state) {
    const seen = new Map()
    for (const [id, p] of state.persons) {
        const entry = seen.get(p) ?? { distinctIds: [], properties: { ...p.properties } }
        entry.distinctIds.push(id)
        seen.set(p, entry)
    }
    return [...seen.values()]
}
