// `npm start`/`npm test` from a fresh clone (package.json's prestart/pretest): npm ci runs only when node_modules is
// missing or older than package-lock.json, and never over a node_modules npm did not make.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { reasonToInstall } from '../../scripts/install-if-needed.mjs'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))

/** A checkout with a package-lock.json written at `lockAt` and, if given, npm's record of an install at `installedAt`. */
function checkout({ lockAt, installedAt, modules = installedAt !== undefined }: { lockAt: number; installedAt?: number; modules?: boolean }) {
    const dir = mkdtempSync(join(tmpdir(), 'ui-install-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'package-lock.json'), '{}')
    utimesSync(join(dir, 'package-lock.json'), lockAt, lockAt)
    if (modules) mkdirSync(join(dir, 'node_modules'))
    if (installedAt !== undefined) {
        writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}')
        utimesSync(join(dir, 'node_modules', '.package-lock.json'), installedAt, installedAt)
    }
    return dir
}

describe('install if needed', () => {
    it('installs in a fresh clone (no node_modules)', () => {
        expect(reasonToInstall(checkout({ lockAt: 1000 }))).toBe('node_modules is missing')
    })

    it('installs again once package-lock.json is newer than the last install', () => {
        expect(reasonToInstall(checkout({ lockAt: 2000, installedAt: 1000 }))).toBe('package-lock.json changed since the last install')
    })

    it('does nothing when the install is current', () => {
        expect(reasonToInstall(checkout({ lockAt: 1000, installedAt: 2000 }))).toBeNull()
    })

    it("leaves alone a node_modules npm did not make (pnpm's, a linked one)", () => {
        expect(reasonToInstall(checkout({ lockAt: 2000, modules: true }))).toBeNull()
    })
})
