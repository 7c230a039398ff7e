// `npm start` and `npm test` run this first (package.json's prestart/pretest), so that either works as the very first
// command of a fresh clone: it runs `npm ci` when node_modules is missing, or when package-lock.json changed since npm
// last installed (npm's own record of that install, node_modules/.package-lock.json, is older). Otherwise it does
// nothing and says nothing. A node_modules that npm did not make (pnpm's, a symlink to another checkout's) is left
// alone. Plain Node, no dependencies: there may be none installed yet.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Why `npm ci` is needed in `dir`, or null when node_modules is current (or not npm's to manage). */
export function reasonToInstall(dir) {
    const lock = join(dir, 'package-lock.json')
    const modules = join(dir, 'node_modules')
    const installed = join(modules, '.package-lock.json')
    if (!existsSync(modules)) return 'node_modules is missing'
    if (!existsSync(installed) || !existsSync(lock)) return null
    if (statSync(lock).mtimeMs > statSync(installed).mtimeMs) return 'package-lock.json changed since the last install'
    return null
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const reason = reasonToInstall(root)
    if (reason) {
        console.error(`${reason}: running npm ci (once; about half a minute)`)
        // The npm that runs this script (npm_execpath), else the one on PATH.
        const npm = process.env.npm_execpath
        const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []]
        const result = spawnSync(command, [...args, 'ci', '--no-audit', '--no-fund'], {
            cwd: root,
            stdio: 'inherit',
            shell: !npm && process.platform === 'win32',
        })
        if (result.status !== 0) {
            console.error(`npm ci failed${result.error ? ` (${result.error.message})` : ''}; run it yourself to see why`)
            process.exit(result.status || 1)
        }
    }
}
