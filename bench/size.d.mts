export const SIZE_BUDGET: number
export const DIST_FILE: string
export function servedSizes(source: string): { minified: number; served: number; gzip: number; servedCode: string }
