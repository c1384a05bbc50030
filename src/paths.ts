import {existsSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

// Compiled code lives in dist/src/..., sources in src/...: walk up to the folder holding package.json.
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('plugin-survey: cannot find its own package.json')
    dir = parent
  }
  return dir
}

export const packageRoot = findPackageRoot()

/** A compiled file of this package (hosts, fixtures), by its path below dist/. */
export function distPath(...parts: string[]): string {
  return path.join(packageRoot, 'dist', ...parts)
}

/**
 * A TypeScript plugin a child row starts (src/hosts/<entry>.ts), as `npm run build` bundles it
 * (scripts/bundle-plugins.mjs): dist/bundles/<entry>.js, which turns on Node's compile cache and imports the
 * one-file bundle dist/bundles/<entry>.bundle.js.
 */
export function pluginEntry(entry: PluginEntry, root = packageRoot): string {
  return path.join(root, 'dist', 'bundles', `${entry}.js`)
}

export type PluginEntry = 'grpc-sample-plugin' | 'child-rpc-plugin'

/** The one-file bundle a plugin's entry imports: dist/bundles/<entry>.bundle.js. */
export function pluginBundle(entry: PluginEntry, root = packageRoot): string {
  return path.join(root, 'dist', 'bundles', `${entry}.bundle.js`)
}

/** A row's detection when its bundled plugin is missing (tsc alone was run), with what to do; else undefined. */
export function missingPluginEntry(entry: PluginEntry, root = packageRoot): {supported: false; reason: string} | undefined {
  const start = pluginEntry(entry, root)
  const missing = [start, pluginBundle(entry, root)].find((file) => !existsSync(file))
  return missing === undefined ? undefined : {supported: false, reason: `${path.relative(root, missing)} is missing: run \`npm run build\` in the plugin-survey folder`}
}

export function fixturePath(...parts: string[]): string {
  return path.join(packageRoot, 'fixtures', ...parts)
}

/** Where builds (bundles, Go binaries) are cached; PLUGIN_SURVEY_CACHE overrides it. */
export function cacheDir(...parts: string[]): string {
  const root = process.env.PLUGIN_SURVEY_CACHE ?? path.join(packageRoot, 'node_modules', '.cache', 'plugin-survey')
  const dir = path.join(root, ...parts)
  mkdirSync(dir, {recursive: true})
  return dir
}

export const samplePluginPath = distPath('fixtures', 'node', 'sample-plugin.js')
