// Shared expectation sets: what each fault is documented to do under one kind of host (FACTS.md section 3 of
// the design notes), with its source, and the error codes that kind of host reports (as measured). A row file
// picks the set of its kind and the faults it takes (faultsFrom); where its own host reports other codes, it
// says so there. A row whose kind of host is its alone declares its expectations itself, with survives() and
// dies().
import type {Expectation, Faults} from './row.js'
import {GO_HANDSHAKE, GO_PLUGIN, GO_RUNTIME, GO_STDIO, NODE_PROCESS, NODE_WORKER, WASM_EXIT, WASM_HANG, WASM_OOM, WASM_TRAP} from './sources.js'

type ExpectationSet<F extends string> = Readonly<Record<F, Expectation>>

/** The host lives and the next call answers; `errorCodes`: what it reports of the fault (none: it notices nothing). */
export const survives = (errorCodes: readonly string[], source: string, note?: string): Expectation => ({hostSurvived: true, recovered: true, errorCodes, source, ...(note ? {note} : {})})
// A host that dies is HOST_DIED (it ended) or HOST_HUNG (it froze and crash-test's watchdog killed it).
export const dies = (errorCode: 'HOST_DIED' | 'HOST_HUNG', source: string, note?: string): Expectation => ({hostSurvived: false, recovered: false, errorCodes: [errorCode], source, ...(note ? {note} : {})})

/** The faults a row takes, in its order, from a shared set; `codes` replaces the set's error codes where this row's host reports others. */
export function faultsFrom<F extends string>(set: ExpectationSet<F>, faults: readonly F[], codes: Partial<Record<F, readonly string[]>> = {}): Faults {
  return Object.fromEntries(faults.map((fault) => [fault, codes[fault] ? {...set[fault], errorCodes: codes[fault]} : set[fault]]))
}

/** The plugin in the host's own Node thread (in-process, compiled-in). */
export const NODE_IN_PROCESS = {
  throw: survives(['PLUGIN_THREW'], NODE_PROCESS, 'the host catches the throw; the plugin stays loaded'),
  reject: dies('HOST_DIED', NODE_PROCESS, 'an unhandled rejection ends the whole process with exit code 1'),
  exit: dies('HOST_DIED', NODE_PROCESS, 'process.exit ends the host with the plugin'),
  segfault: dies('HOST_DIED', NODE_PROCESS, 'SIGSEGV ends the whole process'),
  hang: dies('HOST_HUNG', NODE_PROCESS, 'the host freezes with the plugin: only an outside watchdog helps'),
  never: survives(['CALL_TIMEOUT'], NODE_PROCESS, 'only with a host timeout; the pending promise leaks'),
  oom: dies('HOST_DIED', 'V8: "Reached heap limit" is fatal to the isolate (abort, exit 134)'),
  'stdout-garbage': survives([], NODE_PROCESS, 'stdout is not the call channel'),
  'slow-start': survives(['START_TIMEOUT'], NODE_PROCESS, 'a start timeout around import(); the slow evaluation carries on in the background'),
} as const satisfies ExpectationSet<string>

/** The plugin in a worker thread of the host's process. */
export const NODE_WORKER_THREAD = {
  throw: survives(['PLUGIN_THREW'], NODE_WORKER, "the error comes back as the call's reply"),
  reject: survives(['PLUGIN_CRASHED'], NODE_WORKER, 'the worker\'s "error" event, then it exits with code 1'),
  exit: survives(['PLUGIN_EXITED'], NODE_WORKER, 'process.exit in a worker ends only the thread'),
  segfault: dies('HOST_DIED', 'nodejs/node#43534: a signal is delivered to the whole process, not the thread'),
  hang: survives(['CALL_TIMEOUT'], NODE_WORKER, 'a host timeout, then worker.terminate()'),
  never: survives(['CALL_TIMEOUT'], NODE_WORKER, 'a host timeout'),
  oom: survives(['PLUGIN_OOM'], NODE_WORKER, 'resourceLimits: usually survives, not guaranteed (nodejs/node#47224)'),
  'stdout-garbage': survives([], NODE_WORKER, "a worker's stdout is piped to the host's, not the call channel"),
  'slow-start': survives(['START_TIMEOUT'], NODE_WORKER, 'a start timeout, then worker.terminate()'),
} as const satisfies ExpectationSet<string>

// A broken handshake fails the start with a clear error; the next start (of a plugin that behaves) succeeds.
const handshake = (errorCode: string) => survives([errorCode], GO_HANDSHAKE, 'the start fails with a clear error within the start timeout, and the process is killed')

/** The plugin in a child process, behind a Node host (child-rpc, child-grpc, ts-host-go-plugin); the codes are those of a TypeScript plugin. */
export const CHILD_PROCESS = {
  throw: survives(['PLUGIN_THREW'], NODE_PROCESS, 'an error reply'),
  reject: survives(['PLUGIN_EXITED'], NODE_PROCESS, 'the plugin process exits with code 1; the host respawns it'),
  exit: survives(['PLUGIN_EXITED'], NODE_PROCESS, 'the plugin process exits; the host respawns it'),
  segfault: survives(['PLUGIN_CRASHED'], 'POSIX: a signal ends only the process that receives it; the host sees the exit in ms'),
  hang: survives(['CALL_TIMEOUT'], NODE_PROCESS, 'a host timeout, then SIGKILL'),
  never: survives(['CALL_TIMEOUT'], NODE_PROCESS, 'a host timeout'),
  oom: survives(['PLUGIN_OOM'], 'node --max-old-space-size (a Go plugin: RLIMIT_AS, set by the fault on its own process): the plugin process dies of memory alone'),
  'stdout-garbage': survives([], NODE_PROCESS, 'harmless on a socket; it would break a stdio protocol'),
  'stdio-lines': survives([], GO_STDIO, 'the calls answer; the host hands the lines it receives over GRPCStdio to its onStdio handler'),
  'slow-start': survives(['START_TIMEOUT'], GO_PLUGIN, 'a start timeout, then the process is killed'),
  'bad-core-version': handshake('HANDSHAKE_CORE_VERSION'),
  'bad-app-version': handshake('HANDSHAKE_APP_VERSION'),
  'bad-protocol': handshake('HANDSHAKE_PROTOCOL'),
  'garbage-handshake': handshake('HANDSHAKE_UNRECOGNIZED'),
  'no-handshake': handshake('START_TIMEOUT'),
  'exit-before-handshake': handshake('PLUGIN_EXITED'),
  'noise-before-handshake': handshake('HANDSHAKE_STDOUT_NOISE'),
} as const satisfies ExpectationSet<string>

/** The plugin inside a Go host's own process (go-stdlib-plugin, go-compiled-in). */
export const GO_IN_PROCESS = {
  throw: survives(['PLUGIN_PANIC'], GO_RUNTIME, 'only with recover() in the calling goroutine'),
  reject: dies('HOST_DIED', GO_RUNTIME, 'a panic in another goroutine ends the program with exit code 2'),
  exit: dies('HOST_DIED', GO_RUNTIME, 'os.Exit ends the host with the plugin'),
  segfault: dies('HOST_DIED', GO_RUNTIME, "a fault outside Go's nil page is fatal"),
  'nil-deref': survives(['PLUGIN_PANIC'], GO_RUNTIME, 'a nil dereference is a recoverable panic'),
  hang: survives(['CALL_TIMEOUT'], GO_RUNTIME, 'the host times the call out, but the goroutine can never be killed and spins on'),
  never: survives(['CALL_TIMEOUT'], GO_RUNTIME, 'the host times the call out; the goroutine leaks'),
  oom: dies('HOST_DIED', 'Go runtime: "fatal error: runtime: out of memory" cannot be recovered; the fault caps the process it runs in (RLIMIT_AS), here the host'),
  'stdout-garbage': survives([], GO_RUNTIME, 'stdout is not the call channel'),
} as const satisfies ExpectationSet<string>

/**
 * The plugin in a child process of a Go host using hashicorp/go-plugin (go-hashicorp, go-host-ts-plugin); the codes
 * are those the host gives a Go plugin, whose process ends with any panic in a gRPC handler: the host says how
 * it ended (fixtures/go/goplugin/host/ending.go), as go-plugin's own error is only the broken connection's.
 */
export const GO_PLUGIN_HOST = {
  throw: survives(['PLUGIN_CRASHED'], GO_PLUGIN, 'the call errors and the panic is logged; nothing recovers a panic in a gRPC handler, so the plugin process ends'),
  reject: survives(['PLUGIN_CRASHED'], GO_PLUGIN),
  exit: survives(['PLUGIN_EXITED'], GO_PLUGIN),
  segfault: survives(['PLUGIN_CRASHED'], GO_PLUGIN),
  'nil-deref': survives(['PLUGIN_CRASHED'], GO_PLUGIN),
  hang: survives(['CALL_TIMEOUT'], GO_PLUGIN, 'a host timeout, then Kill'),
  never: survives(['CALL_TIMEOUT'], GO_PLUGIN, 'a host timeout'),
  oom: survives(['PLUGIN_OOM'], GO_PLUGIN, "the plugin's process dies of memory at its cap: the Go oom fault sets RLIMIT_AS on its own process first"),
  'stdout-garbage': survives([], GO_PLUGIN, 'after the handshake stdout is only logged'),
  'stdio-lines': survives([], GO_STDIO, "the calls answer; the lines reach the host's SyncStdout and SyncStderr"),
} as const satisfies ExpectationSet<string>

/** A WebAssembly instance in its host (wasm in Node, go-wasm in wazero). */
export const WASM_SANDBOX = {
  trap: survives(['PLUGIN_TRAP'], WASM_TRAP, 'the call fails with PLUGIN_TRAP; the host replaces the trapped instance with a fresh one'),
  hang: survives(['CALL_TIMEOUT'], WASM_HANG, 'CALL_TIMEOUT: Node runs the plugin in a worker when calls have a timeout and terminates it; wazero closes the module'),
  oom: survives(['PLUGIN_OOM'], WASM_OOM, "PLUGIN_OOM: memory.grow fails at the host's cap and the plugin traps; the host lives"),
  exit: survives(['PLUGIN_EXITED'], WASM_EXIT, 'PLUGIN_EXITED: os.Exit in the Go build ends the module, not the host'),
} as const satisfies ExpectationSet<string>
