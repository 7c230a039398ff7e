// Types for hog-template.mjs (PostHog's Hog string templates compiled to JavaScript).

export class HogTemplateError extends Error {
    /** true when the stand-in refuses something PostHog might accept */
    unsupported: boolean
}

export type TemplateNode =
    | { type: 'constant'; value: string | number | boolean | null; float?: boolean }
    | { type: 'field'; chain: string[] }
    | { type: 'arrayAccess'; array: TemplateNode; property: TemplateNode }
    | { type: 'call'; name: 'concat'; args: TemplateNode[] }

/** Python's json.dumps (ensure_ascii, ", " and ": " separators). */
export function pyJsonDumps(value: unknown): string
/** PostHog's parse_string_template (the subset the stand-in supports). Throws HogTemplateError. */
export function parseStringTemplate(template: string): TemplateNode
/** JavaScriptCompiler.visit: the JS expression; adds the STL functions it needs to `stl`. */
export function compileTemplateNode(node: TemplateNode, stl: Set<string>): string
export function compileStringTemplate(template: string, stl?: Set<string>): string
/** validation.py transpile_template_code. */
export function transpileTemplateCode(value: unknown, stl: Set<string>): string
/** javascript_stl.py import_stl_functions: the functions and their dependencies, newline-joined. */
export function importStlFunctions(requested: Iterable<string>): string
