// Types of what the TypeScript side (vitest.config.ts, tests) imports from esbuild.config.mjs.
export const PREACT_SOURCE: string
export const PREACT_PATCHES: ReadonlyArray<readonly [string, string | RegExp, string]>
export function patchPreactSource(file: string, code: string): string
export const ENTRIES: Record<string, string>
export function bundleSiteApp(options?: { minify?: boolean; entry?: string }): Promise<string>
export function buildSiteApp(options?: { minify?: boolean }): Promise<{ plugin: string; siteApp: string }>
export const preactFromSource: import('esbuild').Plugin
