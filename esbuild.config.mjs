// Builds what a user installs, in both of PostHog's forms, from one core (src/app.ts) behind two entries:
//   - today's form, a HogFunction of type site_app: dist/site-app.ts (the source pasted into "Edit source code") and
//     dist/hog-function.json (the body of PostHog's create call, less `inputs`), from site-app.ts;
//   - the plugin form: dist/site.ts, dist/plugin.json, dist/README.md, from site.ts.
// plugin.json (also at the top level, where the plugin form's manifest lives) and the HogFunction's inputs_schema are
// both written from src/settings-fields.ts: no copy of a key, label or default is kept by hand.
//
// PostHog does not bundle site apps: it transpiles the one file alone with Babel (TypeScript + env presets) and
// wraps it, so each must be self-contained (Preact inlined) and plain JavaScript that Babel parses unchanged.
// Every visitor downloads it, so the build also does ahead of time what PostHog's Babel pass would otherwise bloat:
//   1. htm templates are compiled to h() calls (babel-plugin-htm, as htm recommends for production);
//   2. esbuild bundles and tree-shakes, with Preact built from its own source, less what this app never uses (below);
//   3. Babel's env preset lowers the bundle to ES5 once, here, with its helpers minified;
//   4. terser minifies that ES5.
// PostHog's own transpile then has nothing left to lower and only re-prints the code, one statement a line, indented.
// What counts is therefore the size of that re-print, not of our minified file (`npm run bench` prints both).
import { build } from 'esbuild'
import { realpathSync } from 'node:fs'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const babel = require('@babel/standalone')
const htmPlugin = require('babel-plugin-htm')
const { minify: terser } = require('terser')

// (a path, not `new URL('.', import.meta.url)`: the unit tests import this under happy-dom, whose URL is not Node's)
const root = `${dirname(fileURLToPath(import.meta.url))}/`
const outdir = `${root}dist`

/** esbuild plugin: compile `html\`...\`` templates in our own .ts files to h() calls. */
const compileHtm = {
    name: 'compile-htm',
    setup(builder) {
        builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
            const source = await readFile(path, 'utf8')
            if (path.includes('node_modules') || !source.includes('html`')) return undefined
            const { code } = babel.transform(source, {
                filename: path,
                babelrc: false,
                configFile: false,
                presets: [['typescript', { allExtensions: true, onlyRemoveTypeImports: true }]],
                plugins: [[htmPlugin, { tag: 'html', pragma: 'h', useBuiltIns: false }]],
            })
            return { contents: code, loader: 'js' }
        })
    },
}

/**
 * Preact, built from the source it ships (node_modules/preact/src) rather than its prebuilt file, with the features
 * this app never uses turned off: each entry, [file (or '*' for all), text or pattern, replacement], replaces an
 * expression or statement with a constant (or renames what it defines), and terser then drops the code it guarded. The app renders only elements and text, from the top (the popup
 * is stateless: src/ui/mount.ts renders it again for a new view), so it never has class components, state or
 * forceUpdate (and their render queue), context, refs, error boundaries, Fragments returned from a component,
 * dangerouslySetInnerHTML, form values (`value`/`checked`), hydration or Suspense, nor Preact's `options` hooks
 * (its devtools, hooks and compat plug in there; none is bundled). About 1.2 KB of the gzip every visitor downloads.
 * src/ui must keep to that: test/unit/preact-build.test.ts reads it for anything that needs a feature removed here.
 * An entry that no longer matches (a Preact upgrade) fails the build, to be looked at again.
 */
export const PREACT_PATCHES = [
    // Components are function components (the one render() wraps the tree in): no class, no lifecycle methods.
    ['diff/index.js', 'const isClassComponent = newType.prototype && newType.prototype.render;', 'const isClassComponent = false;'],
    ['diff/index.js', 'if (c.componentWillUpdate != NULL) {', 'if (false) {'],
    ['diff/index.js', 'c.shouldComponentUpdate != NULL &&', 'false &&'],
    ['diff/index.js', 'if (r.componentWillUnmount) {', 'if (false) {'],
    ['diff/index.js', 'if (c.getChildContext != NULL) {', 'if (false) {'],
    // No state: setState and forceUpdate go, and with them the render queue they feed.
    ['component.js', 'BaseComponent.prototype.setState = function', 'const unusedSetState = function'],
    ['component.js', 'BaseComponent.prototype.forceUpdate = function', 'const unusedForceUpdate = function'],
    ['component.js', /const defer =[^;]*;/, 'const defer = setTimeout;'],
    ['diff/index.js', '} while (c._dirty && ++count < 25);', '} while (false);'],
    // No error boundaries (there are no class components): an error is rethrown, as Preact does when none catches it.
    ['diff/catch-error.js', 'for (; (vnode = vnode._parent); ) {', 'for (; false; ) {'],
    // ...and so no callbacks after a commit (componentDidMount and the like), nor refs to set: nothing to commit.
    ['diff/index.js', 'if (c._renderCallbacks.length) {', 'if (false) {'],
    ['diff/index.js', 'export function commitRoot(commitQueue, root, refQueue) {', 'export function commitRoot() {}\nfunction unusedCommitRoot(commitQueue, root, refQueue) {'],
    // No Suspense (it needs preact/compat), and no error boundary to render again after an error.
    ['diff/index.js', 'if (!e.then) markAsForce(newVNode);', ''],
    ['diff/index.js', 'if (oldVNode._flags & MODE_SUSPENDED) {', 'if (false) {'],
    // No component returns a Fragment (htm gives arrays for several roots), and none has defaultProps.
    ['diff/index.js', 'tmp != NULL && tmp.type === Fragment && tmp.key == NULL', 'false'],
    ['create-element.js', "typeof type == 'function' && type.defaultProps != NULL", 'false'],
    // No refs.
    ['diff/children.js', 'if (childVNode.ref && oldVNode.ref != childVNode.ref) {', 'if (false) {'],
    ['diff/index.js', 'if ((r = vnode.ref)) {', 'if (false) {'],
    // No capture-phase handlers (`onClickCapture`).
    ['diff/props.js', "useCapture = name != (name = name.replace(CAPTURE_REGEX, '$1'));", 'useCapture = false;'],
    ['diff/props.js', 'const eventProxyCapture = createEventProxy(true);', 'const eventProxyCapture = eventProxy;'],
    // No HTML strings: limited HTML is rebuilt as elements by src/sanitize.ts, so the bundle has no innerHTML sink.
    ['diff/index.js', "i == 'dangerouslySetInnerHTML'", 'false'],
    // No form fields, whose `value` and `checked` Preact sets after their children.
    ['diff/index.js', "} else if (i == 'value') {\n\t\t\t\tinputValue = value;\n\t\t\t} else if (i == 'checked') {\n\t\t\t\tchecked = value;\n", '\n'],
    ['diff/index.js', "if (!isHydrating || nodeType == 'textarea') {", 'if (false) {'],
    ['diff/index.js', /!\(i == 'value' && 'defaultValue' in newProps\) &&\s*!\(i == 'checked' && 'defaultChecked' in newProps\)/, 'true'],
    // No SVG or MathML (src/sanitize.ts drops them): every element is HTML.
    ['diff/index.js', "nodeType == 'svg'", 'false'],
    ['diff/index.js', "nodeType == 'math'", 'false'],
    ['diff/index.js', "nodeType == 'foreignObject' ? XHTML_NAMESPACE : namespace", 'namespace'],
    ['diff/props.js', 'if (namespace == SVG_NAMESPACE) {', 'if (false) {'],
    // No hydration, and no rendering into a container that already has children (each view renders into its own
    // empty shadow root): no DOM children to reuse or remove.
    ['render.js', "let isHydrating = typeof replaceNode == 'function';", 'let isHydrating = false;'],
    ['render.js', /parentDom\.firstChild\s*\?\s*slice\.call\(parentDom\.childNodes\)\s*:\s*NULL/g, 'NULL'],
    ['diff/index.js', 'if (isHydrating || excessDomChildren != NULL) {', 'if (false) {'],
    ['diff/index.js', /excessDomChildren =\s*nodeType == 'textarea'[^;]*;/, 'excessDomChildren = NULL;'],
    ['diff/index.js', /excessDomChildren != NULL/g, 'false'],
    ['diff/index.js', /excessDomChildren == NULL/g, 'true'],
    // Nothing plugs into `options` (it is private to this bundle): every hook but the error handler is undefined.
    ['*', /\boptions\.(vnode|_root|_diff|_render|diffed|_commit|_hydrationMismatch|unmount|event)\b/g, 'undefined'],
]

/** Preact's source directory, as this checkout reaches it. */
export const PREACT_SOURCE = `${root}node_modules/preact/src/`

const slashes = (path) => path.replace(/\\/g, '/')

/** `dir` with symlinks resolved (the directory itself when it does not exist: nothing will be found there anyway). */
function realDirectory(dir) {
    try {
        return `${slashes(realpathSync(dir)).replace(/\/$/, '')}/`
    } catch {
        return slashes(dir)
    }
}

/**
 * Patching Preact's source in `sourceDir` (PREACT_SOURCE, or another checkout's in tests) with `patches`. Files are
 * recognised by their resolved path as well as the given one: where node_modules is reached through a symlink (pnpm,
 * workspaces, a linked checkout), esbuild and Vite name every file but the entry by its real path. `applied` collects
 * which entries matched, so that a build that bundled Preact can refuse to finish with one left unapplied (it would
 * ship stock Preact, ~1.7 KB gzip more, without a word).
 */
export function preactPatcher(sourceDir = PREACT_SOURCE, patches = PREACT_PATCHES) {
    const dirs = [...new Set([slashes(sourceDir), realDirectory(sourceDir)])]
    const applied = new Set()
    /** `diff/index.js` for a file of Preact's source, else null. */
    const nameOf = (file) => {
        const path = slashes(file)
        const dir = dirs.find((candidate) => path.startsWith(candidate))
        return dir === undefined ? null : path.slice(dir.length)
    }
    /** `code`, the text of `file` (one of Preact's source files), with the patches applied. */
    const patch = (file, code) => {
        const name = nameOf(file)
        if (name === null) throw new Error(`not one of Preact's source files (${dirs.join(' or ')}): ${file}`)
        patches.forEach(([where, from, to], index) => {
            if (where !== '*' && where !== name) return
            const matches = typeof from === 'string' ? code.includes(from) : code.search(from) >= 0
            if (!matches && where !== '*') throw new Error(`Preact patch no longer matches ${name}: ${from}`)
            if (!matches) return
            applied.add(index)
            code = typeof from === 'string' ? code.split(from).join(to) : code.replace(from, to)
        })
        return code
    }
    /** The entries no file matched: for `*`, no file at all; for a named file, that file was never patched. */
    const unapplied = () => patches.filter((_, index) => !applied.has(index))
    return { nameOf, patch, unapplied }
}

const defaultPatcher = preactPatcher()

/** `code`, the text of `file` (a file of Preact's source, by PREACT_SOURCE or its real path), patched. */
export function patchPreactSource(file, code) {
    return defaultPatcher.patch(file, code)
}

/** Whether `file` is one of Preact's source files (by PREACT_SOURCE or its real path). */
export function isPreactSource(file) {
    return defaultPatcher.nameOf(file) !== null
}

/**
 * esbuild plugin: `preact` from its source in `sourceDir`, with `patches` applied; the build fails if it bundled
 * Preact's source and an entry was left unapplied. (The unit tests' Vite does the same, vitest.config.ts.)
 */
export function preactFromSourcePlugin(sourceDir = PREACT_SOURCE, patches = PREACT_PATCHES) {
    return {
        name: 'preact-from-source',
        setup(builder) {
            // One patcher a build: each build() runs setup afresh, so two builds at once keep their own count.
            let patcher = preactPatcher(sourceDir, patches)
            let bundledPreact = false
            builder.onStart(() => {
                patcher = preactPatcher(sourceDir, patches)
                bundledPreact = false
            })
            builder.onResolve({ filter: /^preact$/ }, () => ({ path: `${sourceDir}index.js` }))
            builder.onLoad({ filter: /\.js$/ }, async ({ path }) => {
                if (patcher.nameOf(path) === null) return undefined
                bundledPreact = true
                return { contents: patcher.patch(path, await readFile(path, 'utf8')), loader: 'js' }
            })
            builder.onEnd(() => {
                const left = bundledPreact ? patcher.unapplied() : []
                if (left.length === 0) return undefined
                return {
                    errors: left.map(([where, from]) => ({
                        text: `Preact patch left unapplied, the bundle would ship stock Preact: ${where}: ${from} matched no file bundled from ${sourceDir}`,
                    })),
                }
            })
        },
    }
}

/** The build's plugin for Preact, from PREACT_SOURCE. */
export const preactFromSource = preactFromSourcePlugin()

/**
 * Babel plugin: `typeof x == "object"` (x a plain name) becomes `x === null || typeof x != "function" && Object(x) === x`,
 * which means the same. PostHog's env preset wraps every typeof compared with "object" in its `_typeof` helper (for
 * Symbol polyfills); this spares every visitor that 330-byte helper. Other typeof comparisons pass through untouched.
 */
function typeofObjectWithoutHelper({ types: t }) {
    const isTypeof = (node) => t.isUnaryExpression(node, { operator: 'typeof' }) && t.isIdentifier(node.argument)
    return {
        visitor: {
            BinaryExpression(path) {
                const { operator, left, right } = path.node
                const unary = isTypeof(left) ? left : isTypeof(right) ? right : null
                const other = unary === left ? right : left
                if (!unary || !/^[=!]==?$/.test(operator) || !t.isStringLiteral(other, { value: 'object' })) return
                const x = () => t.identifier(unary.argument.name)
                const isObject = t.logicalExpression(
                    '||',
                    t.binaryExpression('===', x(), t.nullLiteral()),
                    t.logicalExpression(
                        '&&',
                        t.binaryExpression('!=', t.unaryExpression('typeof', x()), t.stringLiteral('function')),
                        t.binaryExpression('===', t.callExpression(t.identifier('Object'), [x()]), x()),
                    ),
                )
                path.replaceWith(operator[0] === '!' ? t.unaryExpression('!', isObject) : isObject)
            },
        },
    }
}

/**
 * Property names terser shortens: only names that nothing outside the bundle ever reads or writes, each renamed the
 * same everywhere in it. Never a setting's or payload's key, an event property, a posthog-js or DOM name, nor
 * `shown` (window.__userInterviewer's, shared with other copies of the app on the page: each build would rename it
 * its own way). Preact's copy is private to the bundle (its `options` and components are reachable from nowhere
 * else), so its own names are too. A name listed here is shortened even where terser knows it as a DOM property's too
 * (`builtins` below): never list one the bundle reads off a DOM object (`context`, `focus`...).
 */
const PRIVATE_PROPERTIES = new RegExp(
    `^(${[
        // Preact's internal fields, as its source names them (`_children`, `_dom`...: its prebuilt file mangles the same
        // names), and the `__`-prefixed keys of its private objects. Nothing of this app's starts with `_`.
        '__[a-zA-Z]?',
        '_[a-zA-Z]\\w*',
        // Preact's names for what this app never uses (class components, refs, hooks into its options, the `__html`
        // of dangerouslySetInnerHTML) and for vnode props; not `children`, `key` or `ref`, which it compares as
        // strings with the keys of an element's props.
        'props|render|base|current|_sb|setState|forceUpdate|defaultProps|vnode|diffed|unmount|debounceRendering',
        'componentWillMount|componentDidMount|componentWillReceiveProps|shouldComponentUpdate|componentWillUpdate',
        'componentDidUpdate|getChildContext|getSnapshotBeforeUpdate|componentWillUnmount|getDerivedStateFromProps',
        'getDerivedStateFromError|componentDidCatch|__html',
        // This app's own objects: answers (src/memory.ts), invitations (src/candidates.ts), the gate
        // (src/triggers.ts). Not `bookingLink`, which a payload sets.
        'lastAnsweredAt|isAnswered|flag|settings|seen|due',
        // Booking (src/booking.ts, src/ui/panel.ts): links and their messages, the panel's view.
        'distinctId|sessionId|handshake|booked|failed|tool|deviceId|prefill',
        // The core's parts (src/context.ts and what it wires): the shared context, the shown invitation, the panel's
        // host, what posthog-js says of the visitor (src/unsent.ts; not the kept answers' keys, which are stored).
        'store|preview|sendEvent|recordAnswer|sendUnsent|optedOut|readProperty|invitation|popup|openTab|takeDown',
        'identified|lastReset|personProperties|stillKept',
    ].join('|')})$`,
)

/**
 * `code` with the popup's custom properties (`--ui-book-background`, `--ui-text`...: readable names in src/ui) made
 * `--a`, `--b`...: each the same short name everywhere in the bundle. They are private to the popup's shadow root
 * (src/ui/styles.ts sets them on `.popup` itself, so nothing outside reaches them), and nothing else in the bundle
 * begins with `--ui-`.
 */
export function shortenCustomProperties(code) {
    const short = new Map()
    return code.replace(/--ui-[a-z-]+/g, (name) => {
        if (!short.has(name)) short.set(name, `--${(short.size + 10).toString(36)}`)
        return short.get(name)
    })
}

/** The two entries, by the file each becomes in dist/. */
export const ENTRIES = { 'site.ts': 'site.ts', 'site-app.ts': 'site-app.ts' }

/**
 * Bundles an entry (`site.ts`, the plugin form, or `site-app.ts`, the HogFunction) into the ES5 module PostHog will
 * transpile; `minify: false` keeps it readable for debugging.
 */
export async function bundleSiteApp({ minify = true, entry = 'site.ts' } = {}) {
    const bundled = await build({
        entryPoints: [`${root}${entry}`],
        bundle: true,
        format: 'esm',
        // Leave object spread and the like to Babel below, whose helpers (under the assumptions there) are smaller.
        target: 'es2020',
        platform: 'browser',
        // Not minified here: terser minifies once, after the ES5 lowering, and does better from readable input.
        legalComments: 'none',
        write: false,
        plugins: [compileHtm, preactFromSource],
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'warning',
    })
    const es5 = babel.transform(bundled.outputFiles[0].text, {
        filename: 'site.js',
        babelrc: false,
        configFile: false,
        sourceType: 'module',
        presets: [['env', { modules: false, loose: true }]],
        plugins: [typeofObjectWithoutHelper],
        // True of this code base (for-of only over arrays, no symbols in spread objects...), and each one spares a
        // runtime helper in every visitor's download.
        assumptions: {
            iterableIsArray: true,
            skipForOfIteratorClosing: true,
            setSpreadProperties: true,
            objectRestNoSymbols: true,
            ignoreToPrimitiveHint: true,
            ignoreFunctionLength: true,
            mutableTemplateObject: true,
            noDocumentAll: true,
            setComputedProperties: true,
            noNewArrows: true,
        },
    }).code
    if (!minify) return es5
    const { code } = await terser(es5, {
        module: true,
        ecma: 5,
        compress: {
            passes: 3,
            // Inlining a function used once nests its body a level deeper, and PostHog's re-print indents every line
            // of it: more bytes served, not fewer. (esbuild's minifier, which cannot be told this, served ~150 B more.)
            inline: false,
            reduce_funcs: false,
            // An early `if (x) return` stays one: folded into `if (!x) { ...the rest... }`, the rest of the function
            // is nested a level deeper, every line of it indented in the re-print (~15 B gzip).
            if_return: false,
            hoist_funs: true,
            // Separate `var` statements: the re-print puts each declarator of a joined one on a line of its own,
            // indented under the first (~20 B more).
            join_vars: false,
        },
        // builtins: PRIVATE_PROPERTIES's names are shortened even where terser's list of DOM properties has them (today
        // `store`, `unmount`, `deviceId` and `sessionId`, this app's own objects' fields; ~30 B gzip).
        mangle: { properties: { regex: PRIVATE_PROPERTIES, builtins: true } },
        format: { comments: false },
    })
    return shortenCustomProperties(code)
}

/** src/settings-fields.ts, evaluated here (it is TypeScript: esbuild turns it into a module first). */
async function settingsFields() {
    const bundled = await build({ entryPoints: [`${root}src/settings-fields.ts`], bundle: true, format: 'esm', write: false, logLevel: 'warning' })
    return import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`)
}

const json = (value) => `${JSON.stringify(value, null, 4)}\n`

/**
 * dist/settings-check.mjs: src/settings-check.ts (the app's own parser, judging settings before deploy sends them) as
 * a Node module for scripts/. Never part of what visitors download.
 */
function buildSettingsCheck() {
    return build({ entryPoints: [`${root}src/settings-check.ts`], bundle: true, format: 'esm', platform: 'node', outfile: `${outdir}/settings-check.mjs`, logLevel: 'warning' })
}

/** Writes dist/ (both forms) and the top-level plugin.json; returns the two built sources. */
export async function buildSiteApp(options = {}) {
    const [plugin, siteApp, fields] = await Promise.all([
        bundleSiteApp({ ...options, entry: 'site.ts' }),
        bundleSiteApp({ ...options, entry: 'site-app.ts' }),
        settingsFields(),
    ])
    const hogFunction = {
        name: fields.APP_NAME,
        description: fields.APP_DESCRIPTION,
        type: 'site_app',
        hog: siteApp,
        inputs_schema: fields.inputsSchema(),
    }
    await mkdir(outdir, { recursive: true })
    await Promise.all([
        buildSettingsCheck(),
        writeFile(`${outdir}/site.ts`, plugin),
        writeFile(`${outdir}/site-app.ts`, siteApp),
        writeFile(`${outdir}/hog-function.json`, json(hogFunction)),
        writeFile(`${outdir}/plugin.json`, json(fields.pluginJson())),
        writeFile(`${root}plugin.json`, json(fields.pluginJson())),
        copyFile(`${root}README.md`, `${outdir}/README.md`),
    ])
    return { plugin, siteApp }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    try {
        const { plugin, siteApp } = await buildSiteApp()
        console.log(`dist/site.ts (plugin form): ${plugin.length} bytes minified; dist/site-app.ts (HogFunction): ${siteApp.length} bytes minified`)
    } catch (error) {
        // (esbuild prints what it finds in the code itself, but not the errors a plugin's onEnd reports.)
        console.error(`build failed: ${error?.message ?? error}`)
        process.exitCode = 1
    }
}
