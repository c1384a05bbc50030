// A Go host (fixtures/go/internal/harness) run in its -serve mode as a LoadedPlugin: one JSON request per
// stdin line, one JSON reply per stdout line, in order. Lines that are not replies (a plugin printing on the
// host's stdout) are skipped.
import {describeEnd} from './process-end.js'
import {StderrBuffer} from './stderr-buffer.js'
import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import {PendingCalls, remoteError} from './pending-calls.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin} from './types.js'
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

export interface ServeOptions {
  env?: Record<string, string>
  startTimeoutMs?: number
  callTimeoutMs?: number
}

/** Starts `binary -serve ...args` and resolves once the host has loaded its plugin. */
export async function serveGoHost(binary: string, args: string[], options: ServeOptions = {}): Promise<LoadedPlugin> {
  const child = spawn(binary, ['-serve', ...args], {env: {...process.env, ...options.env}, stdio: ['pipe', 'pipe', 'pipe']})
  const stderr = new StderrBuffer()
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
      const how = describeEnd({exitCode: code, signal})
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
