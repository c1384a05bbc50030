// A Go host (fixtures/go/internal/harness) run in its -serve mode as a LoadedPlugin: one JSON request per
// stdin line, one JSON reply per stdout line, in order. Lines that are not replies (a plugin printing on the
// host's stdout) are skipped.
import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import {PendingCalls, remoteError} from './pending-calls.js'
import type {LoadedPlugin} from '../transport/types.js'
import {PluginError, type PluginOutput} from '../sample/contract.js'

interface Reply {
  ready?: boolean
  message?: string
  payload?: string
  error?: {code: string; message: string}
}

function parseReply(line: string): Reply | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    return JSON.parse(line) as Reply
  } catch {
    return undefined
  }
}

const STDERR_KEEP_CHARS = 2048
const SUMMARY_LINES = 3
/** The line a crash starts with: a Go runtime (then a dump of every goroutine) or V8 ("FATAL ERROR: ...") says what happened first. */
const CRASH_LINE = /^(panic: |fatal error: |runtime: |\[signal |unexpected fault address|SIG[A-Z]+: |FATAL ERROR: )/

/**
 * What a Go host wrote on stderr, kept in bounded memory: the head (a Go crash says what happened first:
 * "panic: ...", "fatal error: ..."), the stretch from the first crash line on when that comes after the head
 * (a host that logged a lot before it crashed), and the tail (log.Fatal's message is the last line).
 */
export class GoStderr {
  private head = ''
  private crash?: string
  private tail = ''
  private partial = ''
  private headHasCrash?: boolean

  push(chunk: string): void {
    const toHead = chunk.slice(0, Math.max(0, STDERR_KEEP_CHARS - this.head.length))
    this.head += toHead
    this.tail = (this.tail + chunk).slice(-STDERR_KEEP_CHARS)
    if (this.crash !== undefined) {
      this.crash = (this.crash + chunk).slice(0, STDERR_KEEP_CHARS)
      return
    }
    if (this.head.length < STDERR_KEEP_CHARS) return
    this.headHasCrash ??= this.head.split('\n').some((line) => CRASH_LINE.test(line.trim()))
    if (this.headHasCrash) return
    // Past the head and no crash line in it yet: watch whole lines for one, across chunks.
    const text = this.partial + chunk.slice(toHead.length)
    const lines = text.split('\n')
    this.partial = (lines.pop() ?? '').slice(-STDERR_KEEP_CHARS)
    const at = lines.findIndex((line) => CRASH_LINE.test(line))
    if (at >= 0) this.crash = [...lines.slice(at), this.partial].join('\n').slice(0, STDERR_KEEP_CHARS)
    else if (CRASH_LINE.test(this.partial)) this.crash = this.partial
    if (this.crash !== undefined) this.partial = ''
  }

  /** A few lines for an error message: from the crash line when there is one, else the head (and the last line). */
  summary(): string {
    const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)
    const head = lines(this.head)
    const crashAt = head.findIndex((line) => CRASH_LINE.test(line))
    if (crashAt >= 0) return head.slice(crashAt, crashAt + SUMMARY_LINES).join(' | ')
    if (this.crash !== undefined) return `… ${lines(this.crash).slice(0, SUMMARY_LINES).join(' | ')}`
    const first = head.slice(0, SUMMARY_LINES)
    const last = lines(this.tail).at(-1)
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
  let onReady: ((reply: Reply) => void) | undefined
  const exited = new Promise<void>((resolve) => {
    child.once('exit', async (code, signal) => {
      let waited: NodeJS.Timeout | undefined
      // A leftover process holding the pipe must not keep the calls waiting.
      await Promise.race([stderrEnded, new Promise((resolve) => (waited = setTimeout(resolve, 250)))])
      clearTimeout(waited)
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
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
  const startTimeoutMs = options.startTimeoutMs ?? 30_000
  const ready = await new Promise<Reply>((resolve) => {
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
