// Path patterns and event lists for the when-to-ask settings. Pure: callers hand in location.pathname.
//
// The check runs twice a second on whatever path the page has, and a crafted link can make that path long: matching
// is a scan of the path, never a backtracking regular expression (`/a/*/*/*/b` against a long path that does not
// match once took seconds a check).

/** A comma separated setting's entries, trimmed, empty ones dropped. */
export function list(value: string): string[] {
    return value.split(/\s*,\s*/).filter(Boolean)
}

/**
 * `path` with its percent escapes decoded (`/%C3%BCber` is `/über`); a path with a malformed escape (`/100%`) is left
 * whole as written.
 */
export function decodePath(path: string): string {
    try {
        return decodeURI(path)
    } catch {
        return path
    }
}

/**
 * True when `pattern`, in which each `*` matches any run of characters, matches the whole of `path`. The pieces
 * between stars are found in order, each at its first place after the one before (for `*` alone, the first place is
 * always a right one): one forward search per piece, no backtracking.
 */
export function globMatches(pattern: string, path: string): boolean {
    const pieces = pattern.split('*')
    const last = pieces.length - 1
    const head = pieces[0]
    const tail = pieces[last]
    if (!last) return path === head
    // The first piece starts the path, the last ends it (the two not overlapping), and the others lie in between.
    let from = head.length
    const end = path.length - tail.length
    if (end < from || path.slice(0, from) !== head || path.slice(end) !== tail) return false
    for (let i = 1; i < last; i++) {
        const at = path.indexOf(pieces[i], from)
        if (at < 0 || at + pieces[i].length > end) return false
        from = at + pieces[i].length
    }
    return true
}

/**
 * True when `path` matches one of the comma separated `patterns`, or there are none. A pattern is a whole path in which
 * `*` matches any run of characters (`/` included); a trailing `/*` also matches the bare parent (`/app/*` matches
 * `/app`), and a trailing slash on the path does not matter. Case-sensitive, like paths, and compared decoded (`/über/*`
 * matches the `/%C3%BCber/x` that location.pathname holds); the query and hash are not part of it.
 */
export function pathMatches(path: string, patterns: string): boolean {
    // The path ends in exactly one `/` (trimmed by a scan: a regular expression for it is quadratic in the slashes).
    let end = path.length
    while (end && path[end - 1] === '/') end--
    const normal = decodePath(path.slice(0, end)) + '/'
    return (
        !patterns ||
        list(patterns).some((pattern) => {
            const decoded = decodePath(pattern)
            return globMatches(decoded, normal) || globMatches(decoded + '/', normal)
        })
    )
}
