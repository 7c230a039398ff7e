// The Preact the bundle ships is built from Preact's source with the features the app never uses turned off
// (esbuild.config.mjs, PREACT_PATCHES). These tests hold both sides of that bargain: every patch still matches the
// installed Preact, the app's source asks for none of what was removed, and what it does use (rendering elements and
// text from the top, again with new content, events, unmounting) still works. The unit tests render with the same
// patched Preact (vitest.config.ts).
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { Component, h, render } from 'preact'
import { PREACT_PATCHES, PREACT_SOURCE, preactFromSourcePlugin, preactPatcher } from '../../esbuild.config.mjs'

const root = join(__dirname, '..', '..')

function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    )
}

describe('Preact built from source', () => {
    it('every patch matches the installed Preact (a pattern for all files, some of its code)', () => {
        const read = (file: string) => readFileSync(join(PREACT_SOURCE, file), 'utf8')
        for (const [file, from] of PREACT_PATCHES) {
            const code = file === '*' ? ['render.js', 'create-element.js', 'diff/index.js', 'diff/props.js'].map(read).join('\n') : read(file)
            if (typeof from === 'string') expect(code, `${file}: ${from}`).toContain(from)
            else expect(code.search(from), `${file}: ${from}`).toBeGreaterThanOrEqual(0)
        }
    })

    it("the app's source uses nothing the build removes", () => {
        const files = [join(root, 'site.ts'), join(root, 'site-app.ts'), ...sourceFiles(join(root, 'src'))]
        expect(files.length).toBeGreaterThan(10)
        for (const file of files) {
            const code = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')
            for (const spec of code.match(/from '(preact[^']*)'/g) ?? []) expect(spec, file).toBe("from 'preact'")
            for (const imported of code.match(/import \{([^}]*)\} from 'preact'/g) ?? [])
                expect(imported.replace(/import \{|\} from 'preact'|\btype \w+|\s/g, '').split(',').filter(Boolean), file).toSatisfy((names: string[]) =>
                    names.every((name) => name === 'h' || name === 'render'),
                )
            expect(code, file).not.toMatch(
                /\bref=|dangerouslySetInnerHTML|\bsetState\b|\bforceUpdate\b|\bcreateContext\b|\bFragment\b|\bdefaultProps\b|\b(value|checked|defaultValue|defaultChecked)=\$\{/,
            )
        }
    })

    it('these tests run that Preact (vitest.config.ts): it has no setState', () => {
        expect(typeof Component).toBe('function')
        expect((Component.prototype as unknown as Record<string, unknown>).setState).toBeUndefined()
    })

    it('renders elements and text, re-renders in place (same DOM nodes), and unmounts', () => {
        const container = document.createElement('div')
        const clicks = vi.fn()
        const view = (label: string, extra: boolean) =>
            h('div', { class: `p ${label}`, style: { zIndex: 5, '--bb': 'red' } }, [
                h('h2', { id: 't' }, label),
                extra ? h('p', null, 'more') : null,
                h('button', { onClick: () => clicks(label) }, 'Book'),
                h('iframe', { title: 'Booking', src: 'about:blank' }),
            ])
        render(view('one', false), container)
        const dialog = container.firstChild as HTMLElement
        const iframe = container.querySelector('iframe')
        expect(dialog.className).toBe('p one')
        expect(dialog.style.zIndex).toBe('5')
        expect(dialog.style.getPropertyValue('--bb')).toBe('red')
        container.querySelector('button')!.click()
        expect(clicks).toHaveBeenLastCalledWith('one')

        render(view('two', true), container)
        expect(container.firstChild).toBe(dialog)
        expect(container.querySelector('iframe')).toBe(iframe)
        expect(dialog.className).toBe('p two')
        expect(container.querySelector('h2')!.textContent).toBe('two')
        expect(container.querySelector('p')!.textContent).toBe('more')
        container.querySelector('button')!.click()
        expect(clicks).toHaveBeenLastCalledWith('two')

        render(null, container)
        expect(container.childNodes.length).toBe(0)
    })

    it('an error in rendering reaches the caller (no error boundaries to swallow it)', () => {
        const container = document.createElement('div')
        const Broken = () => {
            throw new Error('broken')
        }
        expect(() => render(h(Broken, null), container)).toThrow('broken')
    })
})

describe('Preact reached through a symlinked node_modules (pnpm, workspaces, a linked checkout)', () => {
    // A checkout whose node_modules is a symlink to this one's: esbuild names Preact's files by their real path.
    const checkout = mkdtempSync(join(tmpdir(), 'ui-linked-'))
    symlinkSync(realpathSync(join(root, 'node_modules')), join(checkout, 'node_modules'), 'dir')
    const linkedSource = `${checkout}/node_modules/preact/src/`
    afterAll(() => rmSync(checkout, { recursive: true, force: true }))

    const bundle = (patches = PREACT_PATCHES) =>
        build({
            stdin: { contents: "import { h, render } from 'preact'\nrender(h('p', null, 'hi'), document.body)", resolveDir: checkout },
            bundle: true,
            format: 'esm',
            write: false,
            logLevel: 'silent',
            plugins: [preactFromSourcePlugin(linkedSource, patches)],
        }).then((result) => result.outputFiles[0]!.text)

    it("names a file by its real path as Preact's source", () => {
        const real = realpathSync(join(linkedSource, 'diff', 'index.js'))
        expect(real.startsWith(linkedSource)).toBe(false)
        const patcher = preactPatcher(linkedSource)
        expect(patcher.nameOf(real)).toBe('diff/index.js')
        expect(patcher.nameOf(join(linkedSource, 'diff', 'index.js'))).toBe('diff/index.js')
        expect(patcher.nameOf(join(root, 'src', 'app.ts'))).toBeNull()
    })

    it('bundles the patched Preact, not the stock one', async () => {
        const code = await bundle()
        expect(code).toContain('render(')
        // Patched away: setState and forceUpdate (stock Preact defines both on Component.prototype).
        expect(code).not.toMatch(/prototype\.setState|prototype\.forceUpdate/)
    })

    it('fails the build when a patch entry matched no bundled file, naming it', async () => {
        await expect(bundle([...PREACT_PATCHES, ['no-such-file.js', 'anything', '']])).rejects.toThrow(
            /Preact patch left unapplied.*no-such-file\.js: anything/,
        )
    })
})
