// Builds the folder a user installs: dist/site.ts, dist/plugin.json, dist/README.md.
//
// PostHog does not bundle site apps: it transpiles the file site.ts alone with Babel (TypeScript + env presets) and
// wraps it, so dist/site.ts must be self-contained (Preact inlined) and plain JavaScript that Babel parses unchanged.
// Every visitor downloads it, so the build also does ahead of time what PostHog's Babel pass would otherwise bloat:
//   1. htm templates are compiled to h() calls (babel-plugin-htm, as htm recommends for production);
//   2. esbuild bundles and tree-shakes;
//   3. Babel's env preset lowers the bundle to ES5 once, here, with its helpers minified;
//   4. esbuild minifies that ES5.
// PostHog's own transpile then has nothing left to lower and only re-prints the code.
import { build, transform as esbuildTransform } from 'esbuild'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const babel = require('@babel/standalone')
const htmPlugin = require('babel-plugin-htm')

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

/** Bundles site.ts into the ES5 module PostHog will transpile; `minify: false` keeps it readable for debugging. */
export async function bundleSiteApp({ minify = true } = {}) {
    const bundled = await build({
        entryPoints: [`${root}site.ts`],
        bundle: true,
        format: 'esm',
        // Leave object spread and the like to Babel below, whose helpers (under the assumptions there) are smaller.
        target: 'es2020',
        platform: 'browser',
        minify,
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
    const { code } = await esbuildTransform(es5, { minify, target: 'es5', format: 'esm', legalComments: 'none' })
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
