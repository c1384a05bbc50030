import {createHash} from 'node:crypto'
import {temporaryFor} from '../core/atomic-write.js'
import {renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {pathToFileURL} from 'node:url'
import {cacheDir, distPath, samplePluginPath} from '../paths.js'
import {PluginError, settleIfPending} from '../sample/contract.js'
import {NODE_FAULT_IDS} from '../sample/faults.js'
import type {CompiledHost} from '../compiled-in/framework.js'
import {NODE_IN_PROCESS, faultsFrom} from './expectations.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {ESBUILD} from './sources.js'
import {HOLDS_MANY_CALLS_IN_TURN} from './scale-facts.js'

const PLUGIN_NAME = 'printer'
let freshCounter = 0

/** The bundle's place in the cache: one per plugin, named by a hash of the plugin's absolute path. */
export function artifactPath(pluginPath: string): string {
  const absolute = path.resolve(pluginPath)
  const tag = absolute === samplePluginPath ? 'sample' : `user-${createHash('sha256').update(absolute).digest('hex').slice(0, 16)}`
  return path.join(cacheDir('compiled-in'), `host-${tag}.mjs`)
}

// Windows refuses a rename over a file another process has open for a moment: try again briefly.
async function renameInPlace(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt))
    }
  }
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

/**
 * Bundles host + plugin into one .mjs with esbuild; returns the artifact and the build's duration. The entry
 * and the bundle are written under this process's own temporary names and renamed into place, so a parallel
 * run (crash-test's probes, parallel test files) never loads a half-written bundle.
 */
export async function buildCompiledIn(pluginPath: string): Promise<{artifact: string; buildMs: number}> {
  const esbuild = await import('esbuild')
  const artifact = artifactPath(pluginPath)
  const entry = artifact.replace(/\.mjs$/, '.entry.mjs')
  const tempEntry = temporaryFor(entry, '.mjs')
  const tempArtifact = temporaryFor(artifact, '.mjs')
  try {
    writeFileSync(tempEntry, entrySource(pluginPath))
    const started = performance.now()
    try {
      await esbuild.build({entryPoints: [tempEntry], bundle: true, format: 'esm', platform: 'node', outfile: tempArtifact, logLevel: 'silent'})
    } catch (error) {
      throw new PluginError('BUILD_FAILED', `esbuild could not bundle the plugin into the host: ${(error as Error).message}`, {cause: error})
    }
    const buildMs = performance.now() - started
    await renameInPlace(tempArtifact, artifact)
    // The entry is kept next to its bundle, to show what was bundled.
    await renameInPlace(tempEntry, entry)
    return {artifact, buildMs}
  } finally {
    rmSync(tempEntry, {force: true})
    rmSync(tempArtifact, {force: true})
  }
}

const built = new Map<string, string>()

// Kubernetes scheduler-framework style: the plugin is compiled into the host's own artifact.
export const compiledIn: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'compiled-in',
  family: 'node',
  title: 'registered with withPlugin() and bundled into the host by esbuild',
  floors: {call: 'floor-direct-call'},
  runs: {where: 'same-thread', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: 'esbuild runs wherever Node does', sources: [ESBUILD]},
  survey: [
    {subject: 'compiled-in', role: 'counterpart'},
    {subject: 'go-stdlib-plugin', role: 'counterpart'},
  ],
  faults: faultsFrom(NODE_IN_PROCESS, NODE_FAULT_IDS),
  reload: {possible: false, why: "the plugin is part of the host's own artifact: a new version means rebuilding and restarting the host"},
  takesPluginPath: true,
  scale: {
    instances: {supported: false, reason: 'newHost() makes each registered plugin once, when the host is built, under its one name (a second registration is DUPLICATE_PLUGIN): a host holds one instance of the sample, and more plugins mean a rebuild'},
    calls: HOLDS_MANY_CALLS_IN_TURN.calls,
  },
  async detect() {
    try {
      await import('esbuild')
      return {supported: true}
    } catch {
      return {supported: false, reason: 'esbuild is not installed: run `npm ci` in the plugin-survey folder'}
    }
  },
  async build(options) {
    const pluginPath = options.pluginPath ?? samplePluginPath
    const {artifact, buildMs} = await buildCompiledIn(pluginPath)
    built.set(pluginPath, artifact)
    return {buildMs, cached: false}
  },
  async load(options) {
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
