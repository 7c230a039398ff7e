// Types of what the tests import from scripts/install-if-needed.mjs.
export function reasonToInstall(dir: string): string | null
