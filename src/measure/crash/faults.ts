// The faults crash-test injects, each a misbehaving variant of the sample plugin chosen by name.
import {distPath} from '../../paths.js'

export {FAULT_TRIGGER} from '../../../fixtures/node/faults/trigger.js'

/** Plugins that take their fault by name (the Go fixtures, other languages) read it from this variable. */
export const FAULT_VARIABLE = 'PLUGIN_SURVEY_FAULT'

export interface Fault {
  id: string
  /** What the plugin does, in the words of the report. */
  summary: string
  /** Why the fault cannot be injected on this platform, where it cannot. */
  unavailable?: (platform: NodeJS.Platform) => string | undefined
}

/** The faults every Node row takes, in report order. */
export const FAULTS: readonly Fault[] = [
  {id: 'throw', summary: 'a synchronous throw (Go: a panic) inside the call'},
  {id: 'reject', summary: 'an unhandled promise rejection (Go: a panic in a goroutine) left behind by the call'},
  {id: 'exit', summary: 'process.exit(3) (Go: os.Exit) inside the call'},
  {
    id: 'segfault',
    summary: "the plugin's process receives SIGSEGV, as from a crash in native code",
    unavailable: (platform) => (platform === 'win32' ? 'Windows has no signals to send a process: the segfault fault runs on Linux and macOS' : undefined),
  },
  {id: 'hang', summary: 'an infinite CPU loop inside the call'},
  {id: 'never', summary: 'a call that never answers while the plugin stays responsive'},
  {id: 'oom', summary: 'memory grows without bound inside the call'},
  {id: 'stdout-garbage', summary: 'junk written to stdout during the call, which still answers'},
  {id: 'slow-start', summary: "the first start takes longer than the host's start timeout; later starts are quick"},
]

export const faultIds: readonly string[] = FAULTS.map((f) => f.id)

/** Why a Node fault cannot be injected here, or undefined when it can. */
export function faultUnavailable(fault: string, platform: NodeJS.Platform = process.platform): string | undefined {
  return FAULTS.find((f) => f.id === fault)?.unavailable?.(platform)
}

/** The built fault plugin module of this name (fixtures/node/faults/<id>.ts). */
export function faultPluginPath(fault: string): string {
  return distPath('fixtures', 'node', 'faults', `${fault}.js`)
}

/** Version 2 of the sample plugin: the hot-reload probe swaps it in while calls stream. */
export const reloadPluginPath = distPath('fixtures', 'node', 'faults', 'reload-v2.js')
