// What each fault is documented to do under each kind of host (FACTS.md section 3), with the source of each
// claim. crash-test compares every measured cell with this table and shows where they differ.
import type {CrashExpectation} from '../../report/types.js'

/** How a row isolates its plugin, which is what decides a fault's outcome. */
export type Isolation = 'node-in-process' | 'node-worker' | 'child-process' | 'go-in-process' | 'go-plugin-host' | 'wasm'

export interface Expectation extends CrashExpectation {
  /** Where the expectation comes from, so a reader can check it. */
  source: string
  note?: string
}

const ISOLATION_BY_ROW: Record<string, Isolation> = {
  'in-process': 'node-in-process',
  'compiled-in': 'node-in-process',
  'worker-thread': 'node-worker',
  'child-rpc': 'child-process',
  'child-grpc': 'child-process',
  'ts-host-go-plugin': 'child-process',
  'go-hashicorp': 'go-plugin-host',
  'go-host-ts-plugin': 'go-plugin-host',
  'go-stdlib-plugin': 'go-in-process',
  'go-compiled-in': 'go-in-process',
  wasm: 'wasm',
  'go-wasm': 'wasm',
}

export function isolationOf(mechanismId: string): Isolation | undefined {
  return ISOLATION_BY_ROW[mechanismId]
}

const NODE_PROCESS = 'Node docs, process: "unhandledRejection" (--unhandled-rejections=throw is the default since Node 15), process.exit(), signal events'
const NODE_WORKER = 'Node docs, worker_threads: "error" and "exit" events, worker.terminate(), resourceLimits, ERR_WORKER_OUT_OF_MEMORY'
const GO_PLUGIN = 'go-plugin tests: TestServerLogPanic, TestClient_grpc_servercrash, TestClient_Start_Timeout; go-plugin#31 (relaunch after Ping fails)'
const GO_RUNTIME = 'Go spec "Handling panics" (recover only in the panicking goroutine); pkg.go.dev/plugin (no unload, golang/go#20461)'
const WASM_TRAP = 'WebAssembly JS API: a trap throws WebAssembly.RuntimeError to the caller (webassembly.github.io/spec/js-api); wazero returns it as the call\'s error'
const WASM_HANG = 'Node worker_threads: worker.terminate() stops the thread\'s wasm too; wazero: RuntimeConfig.WithCloseOnContextDone'
const WASM_OOM = 'WebAssembly spec: memory.grow returns -1 past the memory\'s maximum; wazero: RuntimeConfig.WithMemoryLimitPages'
const WASM_EXIT = 'WASI preview1 proc_exit; Node docs, wasi: the returnOnExit option; wazero: a proc_exit is a sys.ExitError returned by the call'

const GO_STDIO =
  'go-plugin server.go (after the handshake os.Stdout and os.Stderr are pipes streamed over GRPCStdio), grpc_stdio.go, client.go (ClientConfig.SyncStdout/SyncStderr receive them; io.Discard when unset)'

const GO_HANDSHAKE =
  'go-plugin client.go: the handshake line is checked field by field ("Unrecognized remote plugin message", "incompatible core API version", "incompatible API version", "unsupported plugin protocol") under a start timeout; go-plugin#199 (output before the handshake breaks the start)'

/** The error codes a host reports for a fault: `[]` when the fault should go unnoticed (no code at all). */
type Codes = readonly string[]

const survives = (codes: Codes, source: string, note?: string): Expectation => ({hostSurvived: true, recovered: true, errorCodes: [...codes], source, note})
const dies = (codes: Codes, source: string, note?: string): Expectation => ({hostSurvived: false, recovered: false, errorCodes: [...codes], source, note})

// The codes crash-test gives a host that ended (crash-test.ts: crashRowOf) or froze until its watchdog killed it.
const HOST_DIED = ['HOST_DIED']
const HOST_HUNG = ['HOST_HUNG']
const NO_CODE: Codes = []

// A broken handshake fails the start with a clear error; the next start (of a plugin that behaves) succeeds.
const HANDSHAKE_CODES: Readonly<Record<string, Codes>> = {
  'bad-core-version': ['HANDSHAKE_CORE_VERSION'],
  'bad-app-version': ['HANDSHAKE_APP_VERSION'],
  'bad-protocol': ['HANDSHAKE_PROTOCOL'],
  'garbage-handshake': ['HANDSHAKE_UNRECOGNIZED'],
  'no-handshake': ['START_TIMEOUT'],
  'exit-before-handshake': ['PLUGIN_EXITED'],
  'noise-before-handshake': ['HANDSHAKE_STDOUT_NOISE'],
}
const handshakeFaults = (note: string): Record<string, Expectation> =>
  Object.fromEntries(Object.entries(HANDSHAKE_CODES).map(([fault, codes]) => [fault, survives(codes, GO_HANDSHAKE, note)]))

const TABLE: Record<Isolation, Record<string, Expectation>> = {
  'node-in-process': {
    throw: survives(['PLUGIN_THREW'], NODE_PROCESS, 'the host catches the throw; the plugin stays loaded'),
    reject: dies(HOST_DIED, NODE_PROCESS, 'an unhandled rejection ends the whole process with exit code 1'),
    exit: dies(HOST_DIED, NODE_PROCESS, 'process.exit ends the host with the plugin'),
    segfault: dies(HOST_DIED, NODE_PROCESS, 'SIGSEGV ends the whole process'),
    hang: dies(HOST_HUNG, NODE_PROCESS, 'the host freezes with the plugin: only an outside watchdog helps'),
    never: survives(['CALL_TIMEOUT'], NODE_PROCESS, 'only with a host timeout; the pending promise leaks'),
    oom: dies(HOST_DIED, 'V8: "Reached heap limit" is fatal to the isolate (abort, exit 134)'),
    'stdout-garbage': survives(NO_CODE, NODE_PROCESS, 'stdout is not the call channel'),
    'slow-start': survives(['START_TIMEOUT'], NODE_PROCESS, 'a start timeout around import(); the slow evaluation carries on in the background'),
  },
  'node-worker': {
    throw: survives(['PLUGIN_THREW'], NODE_WORKER, 'the error comes back as the call\'s reply'),
    reject: survives(['PLUGIN_CRASHED'], NODE_WORKER, 'the worker\'s "error" event, then it exits with code 1'),
    exit: survives(['PLUGIN_EXITED'], NODE_WORKER, 'process.exit in a worker ends only the thread'),
    segfault: dies(HOST_DIED, 'nodejs/node#43534: a signal is delivered to the whole process, not the thread'),
    hang: survives(['CALL_TIMEOUT'], NODE_WORKER, 'a host timeout, then worker.terminate()'),
    never: survives(['CALL_TIMEOUT'], NODE_WORKER, 'a host timeout'),
    oom: survives(['PLUGIN_OOM'], NODE_WORKER, 'resourceLimits: usually survives, not guaranteed (nodejs/node#47224)'),
    'stdout-garbage': survives(NO_CODE, NODE_WORKER, 'a worker\'s stdout is piped to the host\'s, not the call channel'),
    'slow-start': survives(['START_TIMEOUT'], NODE_WORKER, 'a start timeout, then worker.terminate()'),
  },
  'child-process': {
    // A TypeScript plugin answers a throw with an error reply; a Go plugin's panic in a gRPC handler ends its process.
    throw: survives(['PLUGIN_THREW', 'PLUGIN_CRASHED'], NODE_PROCESS, 'an error reply (a Go plugin: its process ends with the panic; the host restarts it)'),
    reject: survives(['PLUGIN_EXITED', 'PLUGIN_CRASHED'], NODE_PROCESS, 'the plugin process exits with code 1 (a Go plugin: 2, with the panic); the host respawns it'),
    exit: survives(['PLUGIN_EXITED'], NODE_PROCESS, 'the plugin process exits; the host respawns it'),
    segfault: survives(['PLUGIN_CRASHED'], 'POSIX: a signal ends only the process that receives it; the host sees the exit in ms'),
    hang: survives(['CALL_TIMEOUT'], NODE_PROCESS, 'a host timeout, then SIGKILL'),
    never: survives(['CALL_TIMEOUT'], NODE_PROCESS, 'a host timeout'),
    oom: survives(['PLUGIN_OOM'], 'node --max-old-space-size, or the Go plugin\'s own RLIMIT_AS: the plugin process dies of memory alone'),
    'stdout-garbage': survives(NO_CODE, NODE_PROCESS, 'harmless on a socket; it would break a stdio protocol'),
    'stdio-lines': survives(NO_CODE, GO_STDIO, 'the calls answer; the host hands the lines it receives over GRPCStdio to its onStdio handler, one per call on each channel'),
    'slow-start': survives(['START_TIMEOUT'], GO_PLUGIN, 'a start timeout, then the process is killed'),
    ...handshakeFaults('the start fails with a clear error within the start timeout, and the process is killed'),
  },
  'go-in-process': {
    throw: survives(['PLUGIN_PANIC'], GO_RUNTIME, 'only with recover() in the calling goroutine'),
    reject: dies(HOST_DIED, GO_RUNTIME, 'a panic in another goroutine ends the program with exit code 2'),
    exit: dies(HOST_DIED, GO_RUNTIME, 'os.Exit ends the host with the plugin'),
    segfault: dies(HOST_DIED, GO_RUNTIME, 'a fault outside Go\'s nil page is fatal'),
    'nil-deref': survives(['PLUGIN_PANIC'], GO_RUNTIME, 'a nil dereference is a recoverable panic'),
    hang: survives(['CALL_TIMEOUT'], GO_RUNTIME, 'the host times the call out, but the goroutine can never be killed and spins on'),
    never: survives(['CALL_TIMEOUT'], GO_RUNTIME, 'the host times the call out; the goroutine leaks'),
    oom: dies(HOST_DIED, 'Go runtime: "fatal error: runtime: out of memory" cannot be recovered; the cap (RLIMIT_AS) is on the host, where the plugin runs'),
    'stdout-garbage': survives(NO_CODE, GO_RUNTIME, 'stdout is not the call channel'),
  },
  'go-plugin-host': {
    // The Go plugin's panic ends its process (PLUGIN_CRASHED); the TypeScript plugin answers a throw with an error (PLUGIN_THREW).
    throw: survives(['PLUGIN_CRASHED', 'PLUGIN_THREW'], GO_PLUGIN, 'the call errors and the panic is logged'),
    reject: survives(['PLUGIN_CRASHED', 'PLUGIN_EXITED'], GO_PLUGIN),
    exit: survives(['PLUGIN_EXITED'], GO_PLUGIN),
    segfault: survives(['PLUGIN_CRASHED'], GO_PLUGIN),
    'nil-deref': survives(['PLUGIN_CRASHED'], GO_PLUGIN, 'a nil dereference in a gRPC handler is a panic nothing recovers: the plugin process ends'),
    hang: survives(['CALL_TIMEOUT'], GO_PLUGIN, 'a host timeout, then Kill'),
    never: survives(['CALL_TIMEOUT'], GO_PLUGIN, 'a host timeout'),
    oom: survives(['PLUGIN_OOM'], GO_PLUGIN, 'the plugin\'s process dies of memory at its cap (RLIMIT_AS for a Go plugin, --max-old-space-size for a TypeScript one)'),
    'stdout-garbage': survives(NO_CODE, GO_PLUGIN, 'after the handshake stdout is only logged'),
    'stdio-lines': survives(NO_CODE, GO_STDIO, 'the calls answer; the lines reach the host\'s SyncStdout and SyncStderr, one per call on each channel'),
    'slow-start': survives(['START_TIMEOUT'], GO_PLUGIN),
    ...handshakeFaults('client.Start fails; a new client starts a plugin that behaves'),
  },
  wasm: {
    trap: survives(['PLUGIN_TRAP'], WASM_TRAP, 'the host replaces the trapped instance with a fresh one'),
    hang: survives(['CALL_TIMEOUT'], WASM_HANG, 'Node runs the plugin in a worker when calls have a timeout and terminates it; wazero closes the module'),
    oom: survives(['PLUGIN_OOM'], WASM_OOM, 'memory.grow fails at the host\'s cap and the plugin traps; the host lives'),
    exit: survives(['PLUGIN_EXITED'], WASM_EXIT, 'os.Exit in the Go build ends the module, not the host'),
  },
}

/** Whether a cell's error code is one its expectation accepts (true where the expectation lists none). */
export function codeAccepted(expected: Pick<Expectation, 'errorCodes'>, errorCode: string | undefined): boolean {
  if (expected.errorCodes === undefined) return true
  return expected.errorCodes.length === 0 ? errorCode === undefined : errorCode !== undefined && expected.errorCodes.includes(errorCode)
}

/** The documented outcome of a fault under a row, or undefined where none is documented. */
export function expectationFor(mechanismId: string, fault: string): Expectation | undefined {
  const isolation = isolationOf(mechanismId)
  return isolation === undefined ? undefined : TABLE[isolation][fault]
}
