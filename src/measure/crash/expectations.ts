// What each fault is documented to do under each kind of host (FACTS.md section 3), with the source of each
// claim. crash-test compares every measured cell with this table and shows where they differ.
import type {CrashExpectation} from '../../report/types.js'

/** How a row isolates its plugin, which is what decides a fault's outcome. */
export type Isolation =
  | 'node-in-process'
  | 'node-vm'
  | 'js-sandbox'
  | 'node-worker'
  | 'child-process'
  | 'child-permission'
  | 'go-in-process'
  | 'go-interpreter'
  | 'go-plugin-host'
  | 'go-child-process'
  | 'wasm'

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
  'extism-js': 'wasm',
  'go-extism': 'wasm',
  'go-hashicorp-netrpc': 'go-plugin-host',
  'go-pie': 'go-child-process',
  'go-yaegi': 'go-interpreter',
  'child-permission': 'child-permission',
  'node-vm': 'node-vm',
  quickjs: 'js-sandbox',
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

const NODE_VM = 'Node docs, vm: "The node:vm module is not a security mechanism. Do not use it to run untrusted code"; timeout stops a script; the context shares the host\'s heap and microtask queue'
const QUICKJS = 'quickjs-emscripten README: runtime.setMemoryLimit, runtime.setInterruptHandler (shouldInterruptAfterDeadline); a QuickJS realm has only the ECMAScript globals'
const PIE = 'natefinch/pie pie.go: net/rpc over the plugin\'s stdin/stdout; Close interrupts the process and kills it after 1 s; net/rpc\'s server does not recover a panic in a method'
const YAEGI = 'yaegi interp: restricted stdlib (stdlib/restricted.go: os.Exit panics instead of exiting), goroutines of interpreted code are Go goroutines; Go spec "Handling panics"'
const NODE_PERMISSION = 'Node docs, permissions: --permission, --allow-fs-read, --allow-child-process; a refused call throws ERR_ACCESS_DENIED'
const EXTISM = 'Extism Go SDK: Manifest timeout_ms (WithCloseOnContextDone) and memory.max_pages; JS SDK 1.0.3: no timeout or memory limit, runInWorker (close() terminates the worker)'

const GO_STDIO =
  'go-plugin server.go (after the handshake os.Stdout and os.Stderr are pipes streamed over GRPCStdio), grpc_stdio.go, client.go (ClientConfig.SyncStdout/SyncStderr receive them; io.Discard when unset)'

const GO_HANDSHAKE =
  'go-plugin client.go: the handshake line is checked field by field ("Unrecognized remote plugin message", "incompatible core API version", "incompatible API version", "unsupported plugin protocol") under a start timeout; go-plugin#199 (output before the handshake breaks the start)'

const survives = (source: string, note?: string): Expectation => ({hostSurvived: true, recovered: true, source, note})

// A broken handshake fails the start with a clear error; the next start (of a plugin that behaves) succeeds.
const handshakeFaults = (note: string): Record<string, Expectation> =>
  Object.fromEntries(
    ['bad-core-version', 'bad-app-version', 'bad-protocol', 'garbage-handshake', 'no-handshake', 'exit-before-handshake', 'noise-before-handshake'].map((fault) => [fault, survives(GO_HANDSHAKE, note)]),
  )
const dies = (source: string, note?: string): Expectation => ({hostSurvived: false, recovered: false, source, note})

const TABLE: Record<Isolation, Record<string, Expectation>> = {
  'node-in-process': {
    throw: survives(NODE_PROCESS, 'the host catches the throw; the plugin stays loaded'),
    reject: dies(NODE_PROCESS, 'an unhandled rejection ends the whole process with exit code 1'),
    exit: dies(NODE_PROCESS, 'process.exit ends the host with the plugin'),
    segfault: dies(NODE_PROCESS, 'SIGSEGV ends the whole process'),
    hang: dies(NODE_PROCESS, 'the host freezes with the plugin: only an outside watchdog helps'),
    never: survives(NODE_PROCESS, 'only with a host timeout; the pending promise leaks'),
    oom: dies('V8: "Reached heap limit" is fatal to the isolate (abort, exit 134)'),
    'stdout-garbage': survives(NODE_PROCESS, 'stdout is not the call channel'),
    'slow-start': survives(NODE_PROCESS, 'a start timeout around import(); the slow evaluation carries on in the background'),
  },
  'node-worker': {
    throw: survives(NODE_WORKER, 'the error comes back as the call\'s reply'),
    reject: survives(NODE_WORKER, 'the worker\'s "error" event, then it exits with code 1'),
    exit: survives(NODE_WORKER, 'process.exit in a worker ends only the thread'),
    segfault: dies('nodejs/node#43534: a signal is delivered to the whole process, not the thread'),
    hang: survives(NODE_WORKER, 'a host timeout, then worker.terminate()'),
    never: survives(NODE_WORKER, 'a host timeout'),
    oom: survives(NODE_WORKER, 'resourceLimits: usually survives, not guaranteed (nodejs/node#47224)'),
    'stdout-garbage': survives(NODE_WORKER, 'a worker\'s stdout is piped to the host\'s, not the call channel'),
    'slow-start': survives(NODE_WORKER, 'a start timeout, then worker.terminate()'),
  },
  'child-process': {
    throw: survives(NODE_PROCESS, 'an error reply'),
    reject: survives(NODE_PROCESS, 'the plugin process exits with code 1; the host respawns it'),
    exit: survives(NODE_PROCESS, 'the plugin process exits; the host respawns it'),
    segfault: survives('POSIX: a signal ends only the process that receives it; the host sees the exit in ms'),
    hang: survives(NODE_PROCESS, 'a host timeout, then SIGKILL'),
    never: survives(NODE_PROCESS, 'a host timeout'),
    oom: survives('node --max-old-space-size: the plugin process aborts alone'),
    'stdout-garbage': survives(NODE_PROCESS, 'harmless on a socket; it would break a stdio protocol'),
    'stdio-lines': survives(GO_STDIO, 'the calls answer; the host hands the lines it receives over GRPCStdio to its onStdio handler'),
    forbidden: survives(NODE_PERMISSION, 'no permission model: the read outside the plugin\'s folder and the spawn both succeed, and the call answers'),
    'slow-start': survives(GO_PLUGIN, 'a start timeout, then the process is killed'),
    ...handshakeFaults('the start fails with a clear error within the start timeout, and the process is killed'),
  },
  'go-in-process': {
    throw: survives(GO_RUNTIME, 'only with recover() in the calling goroutine'),
    reject: dies(GO_RUNTIME, 'a panic in another goroutine ends the program with exit code 2'),
    exit: dies(GO_RUNTIME, 'os.Exit ends the host with the plugin'),
    segfault: dies(GO_RUNTIME, 'a fault outside Go\'s nil page is fatal'),
    'nil-deref': survives(GO_RUNTIME, 'a nil dereference is a recoverable panic'),
    hang: survives(GO_RUNTIME, 'the host times the call out, but the goroutine can never be killed and spins on'),
    never: survives(GO_RUNTIME, 'the host times the call out; the goroutine leaks'),
    oom: dies('Go runtime: "fatal error: runtime: out of memory" cannot be recovered'),
    'stdout-garbage': survives(GO_RUNTIME, 'stdout is not the call channel'),
  },
  'go-plugin-host': {
    throw: survives(GO_PLUGIN, 'the call errors and the panic is logged'),
    reject: survives(GO_PLUGIN),
    exit: survives(GO_PLUGIN),
    segfault: survives(GO_PLUGIN),
    'nil-deref': survives(GO_PLUGIN),
    hang: survives(GO_PLUGIN, 'a host timeout, then Kill'),
    never: survives(GO_PLUGIN, 'a host timeout'),
    oom: survives(GO_PLUGIN),
    'stdout-garbage': survives(GO_PLUGIN, 'after the handshake stdout is only logged'),
    'stdio-lines': survives(GO_STDIO, 'the calls answer; the lines reach the host\'s SyncStdout and SyncStderr'),
    'slow-start': survives(GO_PLUGIN),
    ...handshakeFaults('client.Start fails; a new client starts a plugin that behaves'),
  },
  'node-vm': {
    throw: survives(NODE_VM, 'the host catches the throw'),
    reject: dies(NODE_VM, 'the context shares the host\'s microtask queue: an unhandled rejection ends the host with exit code 1'),
    exit: survives(NODE_VM, 'the context has no `process`: a ReferenceError, not an exit'),
    segfault: survives(NODE_VM, 'the context has no `process` to send a signal with: a ReferenceError'),
    hang: survives(NODE_VM, 'CALL_TIMEOUT: with a call timeout, calls run as a script with vm\'s timeout option, which stops the loop'),
    never: survives(NODE_VM, 'only with a host timeout; the pending promise leaks'),
    oom: dies(NODE_VM, 'the context allocates on the host\'s V8 heap: "Reached heap limit" ends the host'),
    'stdout-garbage': survives(NODE_VM, 'the context has no `process.stdout`: the call fails with a ReferenceError'),
    escape: dies(NODE_VM, 'the global object is the host\'s: its constructor chain gives the host\'s Function, and `process` with it; process.exit(3) ends the host'),
  },
  'js-sandbox': {
    throw: survives(QUICKJS, 'the error comes back as the call\'s exception (PLUGIN_THREW)'),
    reject: survives(QUICKJS, 'a rejection inside the realm touches nothing of the host\'s'),
    exit: survives(QUICKJS, 'the realm has no `process`: a ReferenceError'),
    segfault: survives(QUICKJS, 'the realm has no `process`: a ReferenceError'),
    hang: survives(QUICKJS, 'CALL_TIMEOUT: the interrupt handler stops the loop at the call\'s deadline'),
    never: survives(QUICKJS, 'the promise can never settle (the realm has no timers or I/O): a host timeout'),
    oom: survives(QUICKJS, 'PLUGIN_OOM: QuickJS throws "out of memory" at its memory limit'),
    'stdout-garbage': survives(QUICKJS, 'the realm has no `process.stdout`: a ReferenceError'),
    escape: survives(QUICKJS, 'the realm\'s Function finds no `process`: a ReferenceError'),
  },
  'child-permission': {
    throw: survives(NODE_PROCESS, 'an error reply'),
    reject: survives(NODE_PROCESS, 'the plugin process exits with code 1; the host respawns it'),
    exit: survives(NODE_PROCESS, 'the plugin process exits; the host respawns it'),
    segfault: survives('POSIX: a signal ends only the process that receives it'),
    hang: survives(NODE_PROCESS, 'a host timeout, then SIGKILL'),
    never: survives(NODE_PROCESS, 'a host timeout'),
    oom: survives('node --max-old-space-size: the plugin process aborts alone'),
    'stdout-garbage': survives(NODE_PROCESS, 'harmless on a socket'),
    forbidden: survives(NODE_PERMISSION, 'ERR_ACCESS_DENIED: the read outside the plugin\'s folder and the spawn are both refused'),
  },
  'go-interpreter': {
    throw: survives(YAEGI, 'an interpreted panic reaches the host\'s recover() in the calling goroutine'),
    reject: dies(YAEGI, 'a panic in a goroutine the interpreted code started ends the host with exit code 2'),
    exit: survives(YAEGI, 'restricted os.Exit panics ("os.Exit(3)"), which the host recovers'),
    'nil-deref': survives(YAEGI, 'a recoverable panic'),
    hang: survives(YAEGI, 'the host times the call out; the interpreted loop spins on in its goroutine'),
    never: survives(YAEGI, 'the host times the call out; the goroutine leaks'),
    oom: dies('Go runtime: "fatal error: runtime: out of memory" cannot be recovered: the interpreter allocates on the host\'s heap'),
    'stdout-garbage': survives(YAEGI, 'stdout is not the call channel'),
  },
  'go-child-process': {
    throw: survives(PIE, 'the plugin process dies of the panic; the call fails (unexpected EOF); the host starts a new plugin'),
    reject: survives(PIE, 'the plugin process dies; the host starts a new plugin'),
    exit: survives(PIE, 'the call fails with unexpected EOF; the host starts a new plugin'),
    segfault: survives(PIE, 'the plugin process dies of SIGSEGV alone'),
    'nil-deref': survives(PIE, 'the plugin process dies of the panic alone'),
    hang: survives(PIE, 'a host timeout; the new plugin replaces the killed one'),
    never: survives(PIE, 'a host timeout'),
    oom: survives(PIE, 'the plugin process dies alone'),
    'stdout-garbage': survives(PIE, 'stdout is the call channel: the garbage breaks the gob stream and the call fails; the host starts a new plugin'),
  },
  wasm: {
    trap: survives(WASM_TRAP, 'the call fails with PLUGIN_TRAP; the host replaces the trapped instance with a fresh one'),
    hang: survives(`${WASM_HANG}; ${EXTISM}`, 'CALL_TIMEOUT: Node runs the plugin in a worker when calls have a timeout and terminates it; wazero (and Extism\'s Go SDK) closes the module'),
    oom: survives(`${WASM_OOM}; ${EXTISM}`, 'PLUGIN_OOM: memory.grow fails at the host\'s cap and the plugin traps; the host lives (Extism: PLUGIN_TRAP, its SDKs do not show the plugin\'s memory; the JS SDK has no cap: CALL_TIMEOUT)'),
    exit: survives(WASM_EXIT, 'PLUGIN_EXITED: os.Exit in the Go build ends the module, not the host'),
  },
}

/** The documented outcome of a fault under a row, or undefined where none is documented. */
export function expectationFor(mechanismId: string, fault: string): Expectation | undefined {
  const isolation = isolationOf(mechanismId)
  return isolation === undefined ? undefined : TABLE[isolation][fault]
}
