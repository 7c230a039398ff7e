// Builds the folder a user installs: dist/site.ts, dist/plugin.json, dist/README.md.
//
// PostHog does not bundle site apps: it transpiles the file site.ts alone with Babel (TypeScript + env presets) and
// wraps it, so dist/site.ts must be self-contained (Preact inlined) and plain JavaScript that Babel parses unchanged.
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

/** Bundles site.ts into the ES5 module PostHog will transpile; `minify: false` keeps it readable for debugging. */
export async function bundleSiteApp({ minify = true } = {}) {
    const bundled = await build({
        entryPoints: [`${root}site.ts`],
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
        mangle: {
            // Preact's internal fields (`__k`, `__e`, ... and `__`): already mangled by Preact, private to this copy of
            // it, and the most repeated names in the bundle.
            properties: { regex: /^__[a-zA-Z]?$/ },
        },
        format: { comments: false },
    })
    return code
}

export async function buildSiteApp(options) {
    const code = await bundleSiteApp(options)
    await mkdir(outdir, { recursive: true })
    await writeFile(`${outdir}/site.ts`, code)
    await copyFile(`${root}plugin.json`, `${outdir}/plugin.json`)
    await copyFile(`${root}README.md`, `${outdir}/README.md`)
    return code
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const code = await buildSiteApp()
    console.log(`dist/site.ts: ${code.length} bytes minified`)
}
