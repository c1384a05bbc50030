// Go's plugin.Open + Lookup, in Node: a separately built module imported at run time by path.
import {invoke, invokeAsync} from '../sample/contract.js'
import {NODE_FAULT_IDS} from '../sample/faults.js'
import {samplePluginPath} from '../paths.js'
import {loadPluginModule} from '../transport/load-module.js'
import {NODE_IN_PROCESS, faultsFrom} from './expectations.js'
import {EVERYWHERE, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_ESM} from './sources.js'
import {HOLDS_MANY_CALLS_IN_TURN} from './scale-facts.js'

export const inProcess: Row & Loadable & CrashProbeable & Scalable = {
  id: 'in-process',
  family: 'node',
  title: 'dynamic import() of a separately built module',
  floors: {call: 'floor-direct-call'},
  runs: {where: 'same-thread', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, sources: [NODE_ESM]},
  survey: [{subject: 'go-stdlib-plugin', role: 'counterpart'}],
  faults: faultsFrom(NODE_IN_PROCESS, NODE_FAULT_IDS),
  reload: {possible: true, how: 'a fresh import() of the new version under a new URL, swapped in by the careful host', leavesOldModule: true},
  takesPluginPath: true,
  // Each plugin a fresh import() of the module: its own module instance.
  scale: HOLDS_MANY_CALLS_IN_TURN,
  async detect() {
    return {supported: true}
  },
  async load(options) {
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
