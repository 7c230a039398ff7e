// Types of what the tests import from dev/server.mjs (the demo).
import type { FlagInput, StandIn } from './posthog-standin.mjs'

export const DEMO_SETTINGS: Record<string, string>
export const DEMO_FLAGS: Record<string, FlagInput>
export function startDemo(options?: { port?: number; log?: (...args: unknown[]) => void }): Promise<StandIn>
