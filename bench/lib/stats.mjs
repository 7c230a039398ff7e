// The bench's statistics over a series of figures.

export const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN
}

export const percentile = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN
}

export const maxOf = (xs) => (xs.length ? Math.max(...xs) : NaN)

/** Elements in `a` beyond those in `b` (multiset difference of tag names). */
export function extraTags(a, b) {
    const left = [...b]
    const out = []
    for (const tag of a) {
        const i = left.indexOf(tag)
        if (i === -1) out.push(tag)
        else left.splice(i, 1)
    }
    return out
}
