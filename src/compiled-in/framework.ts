// A scheduler-framework-style registry: plugins are registered by name through options when the host is
// built (`newHost(withPlugin('printer', factory))`), so host and plugins ship as one artifact.
import {invoke, lookupExports, PluginError, type PluginInput, type PluginOutput} from '../sample/contract.js'

export type PluginFactory = () => Record<string, unknown>
export type HostOption = (registry: Map<string, PluginFactory>) => void

export function withPlugin(name: string, factory: PluginFactory): HostOption {
  return (registry) => {
    if (registry.has(name)) throw new PluginError('DUPLICATE_PLUGIN', `a plugin named "${name}" is already registered`)
    registry.set(name, factory)
  }
}

export interface CompiledHost {
  readonly plugins: string[]
  /** The registered plugin's call, resolved once (as a framework resolves its plugins at start-up). */
  plugin(name: string): (input: PluginInput) => PluginOutput
}

export function newHost(...options: HostOption[]): CompiledHost {
  const registry = new Map<string, PluginFactory>()
  for (const option of options) option(registry)
  const instances = new Map([...registry].map(([name, factory]) => [name, lookupExports(factory(), `"${name}"`)]))
  return {
    plugins: [...instances.keys()],
    plugin(name) {
      const plugin = instances.get(name)
      if (plugin === undefined) throw new PluginError('UNKNOWN_PLUGIN', `no plugin named "${name}" was compiled in (have: ${[...instances.keys()].join(', ')})`)
      return (input) => invoke(plugin, input)
    },
  }
}
