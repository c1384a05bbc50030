// A Go host (fixtures/go/internal/harness) run in its -serve mode as a LoadedPlugin: one JSON request per
// stdin line, one JSON reply per stdout line, in order. Lines that are not replies (a plugin printing on the
// host's stdout) are skipped.
import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import {PluginError, type PluginOutput} from '../sample/contract.js'
import {PendingCalls, remoteError} from './pending-calls.js'
import {describeExit} from './process-end.js'
import {StderrBuffer} from './stderr-buffer.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin} from './types.js'

/** A line of the host's -serve mode: the start's outcome, or a call's answer. */
interface ServeReply {
  ready?: boolean
  message?: string
  payload?: string
  error?: {code: string; message: string}
}

function parseReply(line: string): ServeReply | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    return JSON.parse(line) as ServeReply
  } catch {
    return undefined
  }
}

const SUMMARY_LINES = 3
/** The line a Go crash starts with: the runtime says what happened first, then dumps every goroutine. */
const CRASH_LINE = /^(panic: |fatal error: |runtime: |\[signal |unexpected fault address|SIG[A-Z]+: )/

/** A Go host's stderr, whose crash line (a "panic: ...", a "fatal error: ...") is what its error message starts from. */
export class GoStderr extends StderrBuffer {
  constructor() {
    super(CRASH_LINE)
  }

  /** A few lines for an error message: from the crash line when there is one, else the head (and the last line). */
  summary(): string {
    const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)
    const head = lines(this.head())
    const crashAt = head.findIndex((line) => CRASH_LINE.test(line))
    if (crashAt >= 0) return head.slice(crashAt, crashAt + SUMMARY_LINES).join(' | ')
    const crash = this.marked()
    if (crash !== undefined) return `… ${lines(crash).slice(0, SUMMARY_LINES).join(' | ')}`
    const first = head.slice(0, SUMMARY_LINES)
    const last = lines(this.end()).at(-1)
    return last === undefined || first.includes(last) ? first.join(' | ') : [...first, `… ${last}`].join(' | ')
  }
}

export interface ServeOptions {
  env?: Record<string, string>
  startTimeoutMs?: number
  callTimeoutMs?: number
}

/** Starts `binary -serve ...args` and resolves once the host has loaded its plugin. */
export async function serveGoHost(binary: string, args: string[], options: ServeOptions = {}): Promise<LoadedPlugin> {
  const child = spawn(binary, ['-serve', ...args], {env: {...process.env, ...options.env}, stdio: ['pipe', 'pipe', 'pipe']})
  const stderr = new GoStderr()
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => stderr.push(chunk))
  // 'exit' can come before the last of stderr has been read: the crash report is what the error is made of.
  const stderrEnded = new Promise<void>((resolve) => {
    child.stderr.once('close', resolve)
    child.once('error', () => resolve())
  })
  const pending = new PendingCalls(options.callTimeoutMs ?? 0)
  const inFlight: number[] = []
  let onReady: ((reply: ServeReply) => void) | undefined
  const exited = new Promise<void>((resolve) => {
    child.once('exit', async (code, signal) => {
      let waited: NodeJS.Timeout | undefined
      // A leftover process holding the pipe must not keep the calls waiting.
      await Promise.race([stderrEnded, new Promise((resolve) => (waited = setTimeout(resolve, 250)))])
      clearTimeout(waited)
      const how = describeExit({exitCode: code ?? undefined, signal: signal ?? undefined})
      const said = stderr.summary()
      const error = new PluginError(signal ? 'PLUGIN_CRASHED' : 'PLUGIN_EXITED', `the Go host ${how}${said ? `: ${said}` : ''}`)
      onReady?.({ready: false, error: {code: error.code, message: error.message}})
      pending.failAll(error)
      resolve()
    })
  })
  let spawnFailed = false
  child.once('error', (error) => {
    spawnFailed = true
    onReady?.({ready: false, error: {code: 'SPAWN_FAILED', message: `cannot start the Go host ${binary}: ${error.message}`}})
  })
  // Writing to a host that has died fails with EPIPE: the exit handler has already failed the calls.
  child.stdin.on('error', () => {})
  createInterface({input: child.stdout}).on('line', (line) => {
    const reply = parseReply(line)
    if (reply === undefined) return
    if (onReady) {
      onReady(reply)
      return
    }
    const id = inFlight.shift()
    if (id === undefined) return
    if (reply.error) pending.settle(id, undefined, remoteError(reply.error))
    else pending.settle(id, {message: reply.message ?? '', ...(reply.payload === undefined ? {} : {payload: reply.payload})} as PluginOutput)
  })
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS
  const ready = await new Promise<ServeReply>((resolve) => {
    const timer = setTimeout(() => resolve({ready: false, error: {code: 'START_TIMEOUT', message: `the Go host did not load its plugin within ${startTimeoutMs} ms`}}), startTimeoutMs)
    onReady = (reply) => {
      clearTimeout(timer)
      onReady = undefined
      resolve(reply)
    }
  })
  const dispose = async () => {
    if (!spawnFailed && child.exitCode === null && child.signalCode === null) {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 1000)
      await exited
      clearTimeout(timer)
    }
  }
  if (!ready.ready) {
    await dispose()
    throw remoteError(ready.error ?? {code: 'START_FAILED', message: 'the Go host did not start'})
  }
  return {
    pid: child.pid,
    call(input) {
      const {id, reply} = pending.open()
      inFlight.push(id)
      child.stdin.write(`${JSON.stringify(input)}\n`)
      return reply
    },
    async ping() {
      if (child.exitCode !== null || child.signalCode !== null) throw new PluginError('PLUGIN_EXITED', 'the Go host has exited')
    },
    dispose,
  }
}
