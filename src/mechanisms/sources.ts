// Where the rows' facts are documented, so a reader can check them: pages for the platform matrix, and the
// documentation, tests and issues the crash expectations come from (FACTS.md sections 3 and 4 of the design notes).

export const NODE_ESM = 'https://nodejs.org/api/esm.html#import-expressions'
export const NODE_WORKERS = 'https://nodejs.org/api/worker_threads.html'
export const NODE_IPC_PATHS = 'https://nodejs.org/api/net.html#identifying-paths-for-ipc-connections'
export const NODE_CHILD = 'https://nodejs.org/api/child_process.html'
export const RFC_9113 = 'https://www.rfc-editor.org/rfc/rfc9113'
export const NODE_WASI = 'https://nodejs.org/api/wasi.html'
export const ESBUILD = 'https://esbuild.github.io/getting-started/'
export const GO_PLUGIN_PKG = 'https://pkg.go.dev/plugin#hdr-Warnings'
export const GO_ISSUE_19282 = 'https://github.com/golang/go/issues/19282'
export const HASHICORP = 'https://github.com/hashicorp/go-plugin'
export const GO_PORTS = 'https://go.dev/wiki/PortingPolicy'
export const WAZERO = 'https://wazero.io'
export const NODE_PERMISSIONS = 'https://nodejs.org/api/permissions.html'
export const EXTISM_GO_SDK = 'https://github.com/extism/go-sdk'
export const EXTISM_JS_SDK = 'https://github.com/extism/js-sdk'
export const PIE = 'https://github.com/natefinch/pie'

/** A platform note of the rows that talk over a local socket (transport/socket-path.ts). */
export const PIPES_ON_WINDOWS = 'unix sockets are named pipes (`\\\\.\\pipe\\...`) on Windows'

export const NODE_PROCESS = 'Node docs, process: "unhandledRejection" (--unhandled-rejections=throw is the default since Node 15), process.exit(), signal events'
export const NODE_WORKER = 'Node docs, worker_threads: "error" and "exit" events, worker.terminate(), resourceLimits, ERR_WORKER_OUT_OF_MEMORY'
export const GO_PLUGIN = 'go-plugin tests: TestServerLogPanic, TestClient_grpc_servercrash, TestClient_Start_Timeout; go-plugin#31 (relaunch after Ping fails)'
export const GO_RUNTIME = 'Go spec "Handling panics" (recover only in the panicking goroutine); pkg.go.dev/plugin (no unload, golang/go#20461)'
export const GO_STDIO =
  'go-plugin server.go (after the handshake os.Stdout and os.Stderr are pipes streamed over GRPCStdio), grpc_stdio.go, client.go (ClientConfig.SyncStdout/SyncStderr receive them; io.Discard when unset)'
export const GO_HANDSHAKE =
  'go-plugin client.go: the handshake line is checked field by field ("Unrecognized remote plugin message", "incompatible core API version", "incompatible API version", "unsupported plugin protocol") under a start timeout; go-plugin#199 (output before the handshake breaks the start)'
export const WASM_TRAP = "WebAssembly JS API: a trap throws WebAssembly.RuntimeError to the caller (webassembly.github.io/spec/js-api); wazero returns it as the call's error"
export const WASM_HANG = "Node worker_threads: worker.terminate() stops the thread's wasm too; wazero: RuntimeConfig.WithCloseOnContextDone"
export const WASM_OOM = "WebAssembly spec: memory.grow returns -1 past the memory's maximum; wazero: RuntimeConfig.WithMemoryLimitPages"
export const WASM_EXIT = 'WASI preview1 proc_exit; Node docs, wasi: the returnOnExit option; wazero: a proc_exit is a sys.ExitError returned by the call'
export const NODE_PERMISSION = 'Node docs, permissions: --permission, --allow-fs-read, --allow-child-process; a refused call throws ERR_ACCESS_DENIED'
export const EXTISM =
  'Extism Go SDK: Manifest timeout_ms (WithCloseOnContextDone) and memory.max_pages; JS SDK 1.0.3: no timeout or memory limit, runInWorker (close() terminates the worker)'
export const PIE_SOURCE = "natefinch/pie pie.go: net/rpc over the plugin's stdin/stdout; Close interrupts the process and kills it after 1 s; net/rpc's server does not recover a panic in a method"
