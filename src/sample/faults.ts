// The faults crash-test injects, each a misbehaving variant of the sample plugin chosen by name.
import {distPath} from '../paths.js'

export {FAULT_TRIGGER, SEGFAULT_FALLBACK, SEGFAULT_NODE_ARGS} from '../../fixtures/node/faults/trigger.js'
import {SEGFAULT_NODE_ARGS} from '../../fixtures/node/faults/trigger.js'

/** `off` starts the TypeScript SDK's sample plugin without its parent watch (serve's exitWithParent), as a plugin that never set one up. */
export const PARENT_WATCH_VARIABLE = 'PLUGIN_SURVEY_PARENT_WATCH'

/** Plugins that take their fault by name (the Go fixtures, other languages) read it from this variable. */
export const FAULT_VARIABLE = 'PLUGIN_SURVEY_FAULT'

export interface Fault {
  id: string
  /** What the plugin does, in the words of the report. */
  summary: string
  /** Why the fault cannot be injected on this platform, where it cannot. */
  unavailable?: (platform: NodeJS.Platform) => string | undefined
  /** The fault strikes while the plugin starts, not in a call. */
  atStart?: boolean
}

/** The faults every Node row takes, in report order. */
export const FAULTS = [
  {id: 'throw', summary: 'a synchronous throw (Go: a panic) inside the call'},
  {id: 'reject', summary: 'an unhandled promise rejection (Go: a panic in a goroutine) left behind by the call'},
  {id: 'exit', summary: 'process.exit(3) (Go: os.Exit) inside the call'},
  {
    id: 'segfault',
    summary:
      "a real invalid memory access: Go writes through a wild pointer; a Node process started with a V8 stack limit beyond its real stack overflows into the guard page (in a worker thread, whose limit holds, the process sends itself SIGSEGV instead)",
    unavailable: (platform) => (platform === 'win32' ? 'Windows has no signals to send a process: the segfault fault runs on Linux and macOS' : undefined),
  },
  {id: 'hang', summary: 'an infinite CPU loop inside the call'},
  {id: 'never', summary: 'a call that never answers while the plugin stays responsive'},
  {id: 'oom', summary: 'memory grows without bound inside the call'},
  {id: 'stdout-garbage', summary: 'junk written to stdout during the call, which still answers'},
  {id: 'slow-start', summary: "the first start takes longer than the host's start timeout; later starts are quick", atStart: true},
] as const satisfies readonly Fault[]

/** The faults that exist as Node fault modules (fixtures/node/faults/<id>.ts), in report order. */
export const NODE_FAULT_IDS = FAULTS.map((f) => f.id)

/**
 * Fault modules beside FAULTS' (fixtures/node/faults/<id>.ts) that only some rows take, declared in their `faults`:
 * what a sandbox or a permission model should stop.
 */
export const SANDBOX_FAULTS = [
  {id: 'escape', summary: "the plugin climbs its global object's constructor chain to `process` and calls process.exit(3)"},
  {id: 'forbidden', summary: 'the plugin reads a file outside its folder (the node binary) and starts a process'},
] as const satisfies readonly Fault[]

/** Every fault that exists as a Node fault module, which a row that loads plugin modules by path loads in the sample's place. */
const FAULT_MODULE_IDS: readonly string[] = [...FAULTS, ...SANDBOX_FAULTS].map((f) => f.id)

/**
 * go-plugin handshake faults (FACTS.md section 2), for rows that speak go-plugin's protocol and declare them in
 * their `faults`: their plugin takes them by name in PLUGIN_SURVEY_FAULT (src/hosts/grpc-sample-plugin.ts).
 */
export const HANDSHAKE_FAULTS = [
  {id: 'bad-core-version', summary: 'the handshake line announces core protocol 2', atStart: true},
  {id: 'bad-app-version', summary: 'the handshake line announces an app protocol version the host does not offer', atStart: true},
  {id: 'bad-protocol', summary: 'the handshake line names a protocol other than grpc or netrpc', atStart: true},
  {id: 'garbage-handshake', summary: 'a line that is not a handshake', atStart: true},
  {id: 'no-handshake', summary: 'the plugin runs but never prints its handshake', atStart: true},
  {id: 'exit-before-handshake', summary: 'the plugin exits before its handshake', atStart: true},
  {id: 'noise-before-handshake', summary: 'a line on stdout before the handshake (go-plugin#199)', atStart: true},
] as const satisfies readonly Fault[]

export const HANDSHAKE_FAULT_IDS = HANDSHAKE_FAULTS.map((f) => f.id)

/**
 * For rows that speak go-plugin's protocol: the plugin (armed by name in PLUGIN_SURVEY_FAULT) writes one line to
 * stdout and one to stderr in every call, each starting with STDIO_MARKER, and the call answers as usual. Its
 * crash-test cell counts the lines that reached the host over GRPCStdio (CrashRow.stdio).
 */
export const STDIO_FAULT = {id: 'stdio-lines', summary: 'one marked line written to stdout and one to stderr in each call, which still answers'} as const satisfies Fault

/** Starts every line the stdio-lines fault writes, in the TypeScript and the Go plugins alike. */
export const STDIO_MARKER = 'plugin-survey stdio-lines:'

/** The call faults the TypeScript go-plugin plugin (src/hosts/grpc-sample-plugin.ts) takes by name. */
export const TS_PLUGIN_FAULT_IDS = ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage', 'stdio-lines'] as const

/** Faults only plugins of other languages have: they take them by name (fixtures/go/internal/fault, the wasm ABI's fault_<name>). */
export const OTHER_FAULTS: readonly Fault[] = [
  {id: 'nil-deref', summary: 'a nil pointer dereference inside the call (Go: a recoverable panic)'},
  {id: 'trap', summary: 'a WebAssembly trap (`unreachable`) inside the call'},
]

/** Every fault crash-test knows, by id. */
export function knownFault(fault: string): Fault | undefined {
  return ([...FAULTS, ...SANDBOX_FAULTS, ...HANDSHAKE_FAULTS, STDIO_FAULT, ...OTHER_FAULTS] as readonly Fault[]).find((f) => f.id === fault)
}

/** The Node flags a process running the plugin takes for this fault: the segfault's real invalid memory access needs a deep V8 stack limit. */
export function faultNodeArgs(fault: string): readonly string[] {
  return fault === 'segfault' ? SEGFAULT_NODE_ARGS : []
}

/** Whether the fault strikes while the plugin starts (the start itself is then the probe). */
export function strikesAtStart(fault: string): boolean {
  return knownFault(fault)?.atStart === true
}

/**
 * Whether a fault reaches the plugin as a fault module loaded in the sample's place: where the host loads plugin
 * modules by path and a module of that fault exists. Otherwise the plugin takes it by name in FAULT_VARIABLE.
 */
export function armedByModule(takesPluginPath: boolean, fault: string): boolean {
  return takesPluginPath && FAULT_MODULE_IDS.includes(fault)
}

/** Why a Node fault cannot be injected here, or undefined when it can. */
export function faultUnavailable(fault: string, platform: NodeJS.Platform = process.platform): string | undefined {
  return knownFault(fault)?.unavailable?.(platform)
}

/** The built fault plugin module of this name (fixtures/node/faults/<id>.ts). */
export function faultPluginPath(fault: string): string {
  return distPath('fixtures', 'node', 'faults', `${fault}.js`)
}

/** Version 2 of the sample plugin: the hot-reload probe swaps it in while calls stream. */
export const reloadPluginPath = distPath('fixtures', 'node', 'faults', 'reload-v2.js')
