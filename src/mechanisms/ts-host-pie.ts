// ts-host-pie: the TypeScript host driving go-pie's Go plugin (fixtures/go/pie/plugin, a natefinch/pie provider)
// with pie's JSON-RPC codec: JSON-RPC 1.0 (Go's net/rpc/jsonrpc) on the plugin's own stdin and stdout, one JSON
// value per line each way. No handshake and no socket, as under pie's Go host: stdout is the call channel.
import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import {GO_FAULTS} from '../go/probe.js'
import {detectGo} from '../go/toolchain.js'
import {PluginError, type PluginOutput} from '../sample/contract.js'
import {describeExit, exitErrorCode, type ChildExit} from '../transport/child-process.js'
import {StderrBuffer} from '../transport/stderr-buffer.js'
import {PendingCalls} from '../transport/pending-calls.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin, type LoadOptions} from '../transport/types.js'
import {survives} from './expectations.js'
import {buildPiePlugin} from './go-pie.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Faults, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_CHILD, PIE, PIE_SOURCE} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** The plugin's flag for pie's JSON-RPC codec, and the service it registers (fixtures/go/pie/service.go). */
const JSONRPC_FLAG = '-jsonrpc'
const SERVICE = 'Printer'
const JSONRPC_SOURCE = 'Go net/rpc/jsonrpc (JSON-RPC 1.0: {method, params: [args], id} in, {id, result, error} out, one encoded value each); natefinch/pie: NewProvider().ServeCodec(jsonrpc.NewServerCodec)'

/** How long a plugin may take to leave after its stdin closes before it is killed (pie's own Close waits 1 s). */
const CLOSE_GRACE_MS = 1000
/** How long the exit waits for the rest of stderr: a Go crash's first lines say what happened. */
const STDERR_DRAIN_MS = 250

interface Response {
  id: number
  result?: unknown
  error?: string | null
}

/** A line of the plugin's stdout as a JSON-RPC 1.0 response, or undefined when it is something else. */
function parseResponse(line: string): Response | undefined {
  try {
    const value = JSON.parse(line) as Partial<Response> | null
    return typeof value === 'object' && value !== null && typeof value.id === 'number' && 'result' in value && 'error' in value ? (value as Response) : undefined
  } catch {
    return undefined
  }
}

function exitError(stderr: StderrBuffer, exit: ChildExit): PluginError {
  const said = stderr.summary()
  return new PluginError(exitErrorCode(exit, said), `the plugin process ${describeExit(exit)}${said ? `: ${said}` : ''}`)
}

/** Starts a pie plugin with its JSON-RPC codec and wraps it as a LoadedPlugin; ready once it has answered Printer.Pid. */
export async function startPieJsonRpc(binary: string, options: LoadOptions): Promise<LoadedPlugin> {
  // The fault, when armed, reaches the plugin in the host's environment, as pie's Go host passes it on.
  const child = spawn(binary, [JSONRPC_FLAG], {stdio: ['pipe', 'pipe', 'pipe']})
  const stderr = new StderrBuffer()
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => stderr.push(chunk))
  const stderrEnded = new Promise<void>((resolve) => child.stderr.once('close', resolve))
  const calls = new PendingCalls(options.callTimeoutMs ?? 0)
  // What each id asked for: Printer.Pid's result is a number, Printer.Call's the sample's reply.
  const pidCalls = new Set<number>()
  let spawnError: Error | undefined
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => {
      spawnError = error
      resolve({exitCode: -1})
    })
    child.once('exit', async (code, signal) => {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([stderrEnded, new Promise((done) => (timer = setTimeout(done, STDERR_DRAIN_MS)))])
      clearTimeout(timer)
      resolve({exitCode: code ?? undefined, signal: signal ?? undefined})
    })
  })
  const closed = exited.then((exit) => {
    const error = spawnError ? new PluginError('SPAWN_FAILED', `cannot start the pie plugin ${binary}: ${spawnError.message}`) : exitError(stderr, exit)
    calls.failAll(error)
    return error
  })
  let hasExited = false
  void exited.then(() => (hasExited = true))
  const kill = async () => {
    if (!hasExited) child.kill('SIGKILL')
    await exited
  }
  // Writing to a plugin that has died fails with EPIPE: its exit has already failed the calls.
  child.stdin.on('error', () => {})
  createInterface({input: child.stdout}).on('line', (line) => {
    const response = parseResponse(line)
    if (response === undefined) {
      // Stdout is the call channel: anything else on it leaves no reply that can be trusted.
      calls.failAll(new PluginError('PLUGIN_PROTOCOL', `the plugin wrote a line that is not a JSON-RPC response on its stdout, the call channel: ${JSON.stringify(line.slice(0, 80))}`))
      void kill()
      return
    }
    const isPid = pidCalls.delete(response.id)
    if (response.error) return calls.settle(response.id, undefined, new PluginError('PLUGIN_ERROR', `the plugin's ${SERVICE} answered with an error: ${response.error}`))
    const result = response.result as {Message?: string; Payload?: string | null} | number
    if (isPid || typeof result !== 'object' || result === null) return calls.settle(response.id, {message: String(result)})
    const output: PluginOutput = {message: result.Message ?? ''}
    calls.settle(response.id, typeof result.Payload === 'string' ? {...output, payload: result.Payload} : output)
  })
  const request = (method: 'Call' | 'Pid', params: unknown): Promise<PluginOutput> => {
    const {id, reply} = calls.open()
    if (method === 'Pid') pidCalls.add(id)
    if (!hasExited) child.stdin.write(`${JSON.stringify({method: `${SERVICE}.${method}`, params: [params], id})}\n`)
    return reply
  }
  // The plugin answers as the process it is: what ping checks.
  const ping = async () => {
    const {message} = await request('Pid', {})
    if (Number(message) !== child.pid) throw new PluginError('PLUGIN_ERROR', `the plugin answered Printer.Pid with ${message}, not its pid ${child.pid}`)
  }
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS
  let startTimer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => (startTimer = setTimeout(() => reject(new PluginError('START_TIMEOUT', `the pie plugin did not answer Printer.Pid within ${startTimeoutMs} ms`)), startTimeoutMs))),
    ])
  } catch (error) {
    await kill()
    throw error
  } finally {
    clearTimeout(startTimer)
  }
  return {
    pid: child.pid,
    call: (input) => request('Call', {Number: input.number, Payload: input.payload ?? null}),
    ping,
    async dispose() {
      // pie's plugin ends when its stdin closes (Serve returns); the kill is the fallback.
      child.stdin.end()
      const timer = setTimeout(() => void kill(), CLOSE_GRACE_MS)
      await exited
      clearTimeout(timer)
    },
    closed,
    kill,
  }
}

// Every fault but the timeouts ends the plugin process; the host sees its exit and its stderr's crash line.
const FAULTS = {
  throw: survives(['PLUGIN_CRASHED'], PIE_SOURCE, "net/rpc's server does not recover the panic: the plugin process ends, and its exit fails the call"),
  reject: survives(['PLUGIN_CRASHED'], PIE_SOURCE, 'a panic in a goroutine ends the plugin process'),
  exit: survives(['PLUGIN_EXITED'], PIE_SOURCE, 'the plugin process exits with code 3'),
  segfault: survives(['PLUGIN_CRASHED'], PIE_SOURCE, 'the plugin process dies of SIGSEGV alone'),
  'nil-deref': survives(['PLUGIN_CRASHED'], PIE_SOURCE, 'the plugin process dies of the panic alone'),
  hang: survives(['CALL_TIMEOUT'], PIE_SOURCE, 'a host timeout, then SIGKILL'),
  never: survives(['CALL_TIMEOUT'], PIE_SOURCE, 'a host timeout'),
  oom: survives(['PLUGIN_OOM'], PIE_SOURCE, "the plugin process dies of memory at its cap (the Go oom fault sets RLIMIT_AS on its own process): \"fatal error: runtime: out of memory\""),
  'stdout-garbage': survives(['PLUGIN_PROTOCOL'], JSONRPC_SOURCE, 'stdout is the call channel: a line that is not a JSON-RPC response fails the calls in flight and the host ends the plugin; the next call starts a new one'),
} as const satisfies Record<(typeof GO_FAULTS)[number], Faults[string]>

export const tsHostPie: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'ts-host-pie',
  family: 'cross',
  title: "the TypeScript host driving a Go natefinch/pie plugin with pie's JSON-RPC codec (net/rpc/jsonrpc on the plugin's stdin and stdout)",
  // No pipe floor is measured: the nearest is a round trip between two processes over a unix socket. No cold-start
  // floor: a Go plugin starts faster than `node -e 0`, so that ratio would say nothing.
  floors: {call: 'floor-unix-socket'},
  // The same Go plugin under pie's own Go host (gob): what the TypeScript host and JSON cost.
  versus: ['go-pie'],
  runs: {where: 'other-process', host: 'typescript', plugin: 'go'},
  platforms: {support: EVERYWHERE, note: 'stdin/stdout pipes: wherever Node starts a Go program', sources: [PIE, NODE_CHILD]},
  // Armed by name in the plugin's environment (fixtures/go/internal/fault).
  faults: FAULTS,
  reload: {possible: true, how: 'a new plugin process, started by the careful host and swapped in once it answers; the old one ends when its stdin closes'},
  takesPluginPath: false,
  // N plugins: N processes; net/rpc serves each request in a goroutine of its own and replies by id, so calls overlap.
  scale: SCALES_BOTH,
  async detect() {
    return detectGo()
  },
  async build() {
    const build = await buildPiePlugin()
    return {buildMs: build.buildMs, cached: build.cached}
  },
  async load(options) {
    const build = await buildPiePlugin()
    return startPieJsonRpc(build.binary, options)
  },
}
