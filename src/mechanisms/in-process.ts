import {invoke, invokeAsync} from '../sample/contract.js'
import {samplePluginPath} from '../paths.js'
import {loadPluginModule} from '../transport/load-module.js'
import type {LoadedPlugin, Mechanism} from './types.js'

// Go's plugin.Open + Lookup, in Node: a separately built module imported at run time by path.
export const inProcess: Mechanism = {
  id: 'in-process',
  family: 'node',
  title: 'dynamic import() of a separately built module',
  floor: 'floor-direct-call',
  acceptsUserPlugin: true,
  async detect() {
    return {supported: true}
  },
  async load(options): Promise<LoadedPlugin> {
    const plugin = await loadPluginModule(options.pluginPath ?? samplePluginPath, options.fresh)
    return {
      callSync: (input) => invoke(plugin, input),
      call: (input) => invokeAsync(plugin, input),
      ping: async () => {},
      // An ES module cannot be unloaded: dropping the reference is all a host can do.
      dispose: async () => {},
    }
  },
}
