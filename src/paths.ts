// Path patterns and event lists for the when-to-ask settings. Pure: callers hand in location.pathname.

/** A comma separated setting's entries, trimmed, empty ones dropped. */
export function list(value: string): string[] {
    return value.split(/\s*,\s*/).filter(Boolean)
}

/**
 * True when `path` matches one of the comma separated `patterns`, or there are none. A pattern is a whole path in which
 * `*` matches any run of characters (`/` included); a trailing `/*` also matches the bare parent (`/app/*` matches
 * `/app`), and a trailing slash on the path does not matter. Case-sensitive, like paths; the query and hash are not
 * part of it.
 */
export function pathMatches(path: string, patterns: string): boolean {
    return (
        !patterns ||
        list(patterns).some((pattern) =>
            // Every other character stands for itself (a non-word character escaped: `\.`, `\~`...); the path ends in one `/`.
            new RegExp('^' + pattern.replace(/[^\w*/]/g, '\\$&').replace(/\*/g, '.*') + '/?$').test(path.replace(/\/*$/, '/')),
        )
    )
}
