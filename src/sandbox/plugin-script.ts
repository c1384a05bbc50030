// A plugin module as one classic script, for hosts that evaluate source text instead of importing a file (Node's
// vm, QuickJS): esbuild bundles the module and what it imports into an IIFE that leaves the module's exports in
// the global PLUGIN_GLOBAL. Node built-ins stay imports (`require(...)`), which such a realm does not have.
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {samplePluginPath} from '../paths.js'
import {PluginError} from '../sample/contract.js'

export const PLUGIN_GLOBAL = '__plugin'

export interface PluginScript {
  code: string
  /** Where the script came from, for stack traces and messages. */
  filename: string
  buildMs: number
}

const bundled = new Map<string, Promise<PluginScript>>()

/** The plugin at `pluginPath` as a script, bundled once per process and path. */
export function pluginScript(pluginPath: string): Promise<PluginScript> {
  const filename = path.resolve(pluginPath)
  let script = bundled.get(filename)
  if (script === undefined) {
    script = bundle(filename)
    bundled.set(filename, script)
    script.catch(() => bundled.delete(filename))
  }
  return script
}

async function bundle(filename: string): Promise<PluginScript> {
  const esbuild = await import('esbuild')
  const started = performance.now()
  try {
    const result = await esbuild.build({entryPoints: [filename], bundle: true, format: 'iife', globalName: PLUGIN_GLOBAL, platform: 'node', write: false, logLevel: 'silent'})
    return {code: result.outputFiles[0]!.text, filename, buildMs: Math.round(performance.now() - started)}
  } catch (error) {
    throw new PluginError('PLUGIN_LOAD', `plugin ${filename} could not be bundled into a script: ${(error as Error).message}`, {cause: error})
  }
}

/** `Buildable.build` of a row that runs the plugin as a script: the bundle is its build. */
export async function prepareScript(options: {pluginPath?: string}): Promise<{buildMs: number; cached: boolean}> {
  const script = await pluginScript(options.pluginPath ?? samplePluginPath)
  return {buildMs: script.buildMs, cached: false}
}
