import {existsSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {PluginError, lookupExports, type SamplePluginModule} from '../sample/contract.js'

let freshCounter = 0

/**
 * Loads a plugin module by path and looks up its exports: the counterpart of Go's plugin.Open + Lookup.
 * `fresh` appends a query so the module is evaluated anew (ES modules cannot be unloaded, so each fresh
 * copy stays in memory: that is the cost the survey's "no unload" con describes).
 */
export async function loadPluginModule(modulePath: string, fresh = false): Promise<SamplePluginModule> {
  const absolute = path.resolve(modulePath)
  if (!existsSync(absolute)) {
    throw new PluginError('PLUGIN_NOT_FOUND', `plugin not found: ${absolute} (give the path of a built .js/.mjs module)`)
  }
  const url = pathToFileURL(absolute)
  if (fresh) url.search = `fresh=${process.pid}-${++freshCounter}`
  let namespace: Record<string, unknown>
  try {
    namespace = (await import(url.href)) as Record<string, unknown>
  } catch (error) {
    throw new PluginError('PLUGIN_LOAD', `plugin ${absolute} could not be imported: ${(error as Error).message}`, {cause: error})
  }
  return lookupExports(namespace, absolute)
}
