#!/usr/bin/env node
// Bundles the TypeScript plugins the child rows start (dist/src/hosts/<entry>.js, built by tsc) into one file
// each, dist/bundles/<entry>.js, as a TypeScript plugin would ship: a process that loads one file instead of the
// thirty modules of the SDK starts ~10 ms sooner (docs/mechanisms/child-grpc.md). `npm run build` runs it.
// The plugin module a row serves stays a separate file, loaded at run time; @grpc/* (type imports, and
// proto-loader loaded on demand) stays in node_modules. Node's own modules are taken with
// process.getBuiltinModule rather than imported: each `import ... from 'node:fs'` of an ES module makes Node
// build that module's ESM namespace, ~4 ms for the six the SDK uses, against nothing for getBuiltinModule.
// The file a host starts, dist/bundles/<entry>.js, is a two-line entry that turns on Node's compile cache
// (module.enableCompileCache) and then imports the bundle, dist/bundles/<entry>.bundle.js: from the second start
// on, Node reads the bundle's compiled code from the cache instead of compiling its 110 KB again.
import {build} from 'esbuild'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BUNDLED_ENTRIES = ['grpc-sample-plugin', 'child-rpc-plugin']

/**
 * Each `node:x` builtin as a small ES module of `process.getBuiltinModule('node:x')`: its default export and one
 * named export per property, each read only if the bundle imports it (a pure read, which esbuild drops unused; a
 * module imported with import() keeps them all, so the SDK imports node:tls that way only for AutoMTLS).
 */
const builtinsWithoutEsm = {
  name: 'builtins-without-esm',
  setup(bundle) {
    bundle.onResolve({filter: /^node:/}, (args) => ({path: args.path, namespace: 'builtin'}))
    bundle.onLoad({filter: /.*/, namespace: 'builtin'}, (args) => {
      // Not the getters (tls.rootCertificates builds every root certificate): an import of one fails the build, and
      // the default export reads it when used.
      const builtin = process.getBuiltinModule(args.path)
      const names = Object.keys(builtin).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && !Object.getOwnPropertyDescriptor(builtin, name)?.get)
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(args.path)})`, 'export default m', ...names.map((name) => `export const ${name} = /* @__PURE__ */ (() => m.${name})()`)]
      return {contents: lines.join('\n'), loader: 'js'}
    })
  },
}

const outdir = path.join(root, 'dist', 'bundles')
await build({
  entryPoints: Object.fromEntries(BUNDLED_ENTRIES.map((entry) => [`${entry}.bundle`, path.join(root, 'dist', 'src', 'hosts', `${entry}.js`)])),
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['@grpc/*'],
  sourcemap: 'linked',
  plugins: [builtinsWithoutEsm],
  logLevel: 'warning',
})

// Node's compile cache is per Node version and file content, in the OS temp folder unless NODE_COMPILE_CACHE names
// another (NODE_DISABLE_COMPILE_CACHE=1 turns it off); Node writes it when the plugin exits.
for (const entry of BUNDLED_ENTRIES) {
  const lines = [
    `// ${entry}, as built by scripts/bundle-plugins.mjs: Node's compile cache on, then the bundle.`,
    "process.getBuiltinModule('node:module').enableCompileCache?.()",
    `await import('./${entry}.bundle.js')`,
  ]
  writeFileSync(path.join(outdir, `${entry}.js`), `${lines.join('\n')}\n`)
}
