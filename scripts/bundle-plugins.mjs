#!/usr/bin/env node
// Bundles the TypeScript plugins the child rows start (dist/src/hosts/<entry>.js, built by tsc) into one file
// each, dist/bundles/<entry>.js, as a TypeScript plugin would ship: a process that loads one file instead of the
// thirty modules of the SDK starts ~10 ms sooner (docs/mechanisms/child-grpc.md). `npm run build` runs it.
// The plugin module a row serves stays a separate file, loaded at run time; @grpc/* (type imports, and
// proto-loader loaded on demand) stays in node_modules. Node's own modules are taken with
// process.getBuiltinModule rather than imported: each `import ... from 'node:fs'` of an ES module makes Node
// build that module's ESM namespace, ~4 ms for the six the SDK uses, against nothing for getBuiltinModule.
import {build} from 'esbuild'
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

await build({
  entryPoints: BUNDLED_ENTRIES.map((entry) => path.join(root, 'dist', 'src', 'hosts', `${entry}.js`)),
  outdir: path.join(root, 'dist', 'bundles'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['@grpc/*'],
  sourcemap: 'linked',
  plugins: [builtinsWithoutEsm],
  logLevel: 'warning',
})
