// Types of what the TypeScript side (vitest.config.ts, tests) imports from esbuild.config.mjs.
export const PREACT_SOURCE: string
export const PREACT_PATCHES: ReadonlyArray<readonly [string, string | RegExp, string]>
export function patchPreactSource(file: string, code: string): string
export function isPreactSource(file: string): boolean
type PreactPatch = readonly [string, string | RegExp, string]
export function preactPatcher(
    sourceDir?: string,
    patches?: ReadonlyArray<PreactPatch>,
): { nameOf(file: string): string | null; patch(file: string, code: string): string; unapplied(): PreactPatch[] }
export function preactFromSourcePlugin(sourceDir?: string, patches?: ReadonlyArray<PreactPatch>): import('esbuild').Plugin
export const ENTRIES: Record<string, string>
export function bundleSiteApp(options?: { minify?: boolean; entry?: string }): Promise<string>
export function buildSiteApp(options?: { minify?: boolean }): Promise<{ plugin: string; siteApp: string }>
export const preactFromSource: import('esbuild').Plugin
