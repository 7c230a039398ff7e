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
//   2. esbuild bundles and tree-shakes;
//   3. Babel's env preset lowers the bundle to ES5 once, here, with its helpers minified;
//   4. terser minifies that ES5.
// PostHog's own transpile then has nothing left to lower and only re-prints the code, one statement a line, indented.
// What counts is therefore the size of that re-print, not of our minified file (`npm run bench` prints both).
import { build } from 'esbuild'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const babel = require('@babel/standalone')
const htmPlugin = require('babel-plugin-htm')
const { minify: terser } = require('terser')

const root = fileURLToPath(new URL('.', import.meta.url))
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
 * else), so its own names are too. (Names in terser's list of DOM properties, such as `context`, stay as they are.)
 */
const PRIVATE_PROPERTIES = new RegExp(
    `^(${[
        // Preact's internal fields (`__k`, `__e`, ... and `__`): already mangled by Preact, and the most repeated names.
        '__[a-zA-Z]?',
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
    ].join('|')})$`,
)

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
        plugins: [compileHtm],
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
            hoist_funs: true,
            // Separate `var` statements: the re-print puts each declarator of a joined one on a line of its own,
            // indented under the first (~20 B more).
            join_vars: false,
        },
        mangle: { properties: { regex: PRIVATE_PROPERTIES } },
        format: { comments: false },
    })
    return code
}

/** src/settings-fields.ts, evaluated here (it is TypeScript: esbuild turns it into a module first). */
async function settingsFields() {
    const bundled = await build({ entryPoints: [`${root}src/settings-fields.ts`], bundle: true, format: 'esm', write: false, logLevel: 'warning' })
    return import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`)
}

const json = (value) => `${JSON.stringify(value, null, 4)}\n`

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
    const { plugin, siteApp } = await buildSiteApp()
    console.log(`dist/site.ts (plugin form): ${plugin.length} bytes minified; dist/site-app.ts (HogFunction): ${siteApp.length} bytes minified`)
}
