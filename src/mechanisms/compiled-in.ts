import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {pathToFileURL} from 'node:url'
import {cacheDir, distPath, samplePluginPath} from '../paths.js'
import {PluginError, settleIfPending} from '../sample/contract.js'
import type {CompiledHost} from '../compiled-in/framework.js'
import type {LoadedPlugin, LoadOptions, Mechanism} from './types.js'

const PLUGIN_NAME = 'printer'
let freshCounter = 0

function artifactPath(pluginPath: string): string {
  const tag = pluginPath === samplePluginPath ? 'sample' : `user-${Buffer.from(pluginPath).toString('base64url').slice(-24)}`
  return path.join(cacheDir('compiled-in'), `host-${tag}.mjs`)
}

// The entry esbuild bundles: the host's registry with the plugin registered at build time, and a main
// so the one artifact also runs on its own (`node host.mjs 7`).
function entrySource(pluginPath: string): string {
  const framework = JSON.stringify(distPath('src', 'compiled-in', 'framework.js'))
  return `import {newHost, withPlugin} from ${framework}
import * as printer from ${JSON.stringify(path.resolve(pluginPath))}
export const host = newHost(withPlugin(${JSON.stringify(PLUGIN_NAME)}, () => printer))
if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(host.plugin(${JSON.stringify(PLUGIN_NAME)})({number: Number(process.argv[2] ?? 7)}).message)
}
`
}

/** Bundles host + plugin into one .mjs with esbuild; returns the artifact and the build's duration. */
export async function buildCompiledIn(pluginPath: string): Promise<{artifact: string; buildMs: number}> {
  const esbuild = await import('esbuild')
  const artifact = artifactPath(pluginPath)
  const entry = artifact.replace(/\.mjs$/, '.entry.mjs')
  writeFileSync(entry, entrySource(pluginPath))
  const started = performance.now()
  try {
    await esbuild.build({entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: artifact, logLevel: 'silent'})
  } catch (error) {
    throw new PluginError('BUILD_FAILED', `esbuild could not bundle the plugin into the host: ${(error as Error).message}`, {cause: error})
  }
  return {artifact, buildMs: performance.now() - started}
}

const built = new Map<string, string>()

// Kubernetes scheduler-framework style: the plugin is compiled into the host's own artifact.
export const compiledIn: Mechanism = {
  id: 'compiled-in',
  family: 'node',
  title: 'registered with withPlugin() and bundled into the host by esbuild',
  floor: 'floor-direct-call',
  acceptsUserPlugin: true,
  async detect() {
    try {
      await import('esbuild')
      return {supported: true}
    } catch {
      return {supported: false, reason: 'esbuild is not installed: run `npm ci` in the plugin-survey folder'}
    }
  },
  async prepare(options: LoadOptions) {
    const pluginPath = options.pluginPath ?? samplePluginPath
    const {artifact, buildMs} = await buildCompiledIn(pluginPath)
    built.set(pluginPath, artifact)
    return {buildMs, cached: false}
  },
  async load(options): Promise<LoadedPlugin> {
    const pluginPath = options.pluginPath ?? samplePluginPath
    let artifact = built.get(pluginPath)
    if (artifact === undefined) {
      artifact = (await buildCompiledIn(pluginPath)).artifact
      built.set(pluginPath, artifact)
    }
    const url = pathToFileURL(artifact)
    if (options.fresh) url.search = `fresh=${++freshCounter}`
    const {host} = (await import(url.href)) as {host: CompiledHost}
    const printer = host.plugin(PLUGIN_NAME)
    return {
      callSync: printer,
      call: async (input) => settleIfPending(printer(input)),
      ping: async () => {},
      dispose: async () => {},
    }
  },
}
