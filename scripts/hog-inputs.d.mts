// Types for hog-inputs.mjs (plain JS, run by Node without a build step).
export interface InputSchemaItem {
    key: string
    type: string
    choices?: Array<{ label?: string; value: unknown }>
    [other: string]: unknown
}
export function inputsFromSettings(
    schema: InputSchemaItem[],
    settings: Record<string, unknown>,
): { inputs: Record<string, { value: unknown }>; problems: string[] }
export function withInterviewConfigs(settings: Record<string, unknown>): Record<string, unknown>
