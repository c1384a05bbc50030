// Waits for a starting plugin's handshake line, and turns every way a start can go wrong into a PluginError
// with a code: the plugin exits, prints nothing within the start timeout, or prints something else first.
import {lastLinesOf} from '../transport/stderr-buffer.js'
import {PluginError} from '../sample/contract.js'
import {describeExit} from '../transport/child-process.js'
import {lineReader} from '../transport/framing.js'
import {inspectHandshake, looksLikeHandshake, type Handshake, type HandshakeAccept, type HandshakeInspection} from './handshake.js'
import type {GroupProcess} from './process-group.js'

/** How long to wait, after a first line that is not a handshake, for a handshake that would make it noise (long enough for a plugin on a loaded machine). */
const NOISE_GRACE_MS = 1000

/** go-plugin's refusal when its magic cookie is missing (server.go). */
export const MISSING_COOKIE_TEXT = 'This binary is a plugin. These are not meant to be executed directly.'

export interface HandshakeWait {
  /** The first stdout line and every check of it, for `probe`; absent when no line came. */
  inspection?: HandshakeInspection
  line?: string
  /** Lines printed before a handshake-shaped line. */
  noise: string[]
  /** The plugin's pid (its process group's id on unix), once it is spawned. */
  pid?: number
  /** Time from the spawn to a valid handshake line. */
  handshakeMs?: number
}

export interface AwaitOptions {
  accept: HandshakeAccept
  startTimeoutMs: number
  cookie: string
}

function exitError(plugin: GroupProcess, exit: {exitCode?: number; signal?: string; spawnError?: string}, cookie: string): PluginError {
  if (exit.spawnError) return new PluginError('PLUGIN_NOT_STARTED', `the plugin could not be started: ${exit.spawnError}`)
  const tail = plugin.stderrTail()
  if (tail.includes(MISSING_COOKIE_TEXT)) {
    return new PluginError('MISSING_COOKIE', `the plugin refused to start without its magic cookie (the host set ${cookie}; check the cookie key and value the plugin expects): ${tail.split('\n')[0]}`)
  }
  const stderr = tail ? `: ${lastLinesOf(tail, 3)}` : ''
  return new PluginError('PLUGIN_EXITED', `plugin exited before we could connect: it ${describeExit(exit)}${stderr}`)
}

/** Resolves with the handshake, or rejects with HANDSHAKE_*, PLUGIN_EXITED, MISSING_COOKIE or START_TIMEOUT. */
export function awaitHandshake(plugin: GroupProcess, options: AwaitOptions, seen: HandshakeWait = {noise: []}): Promise<Handshake> {
  return new Promise<Handshake>((resolve, reject) => {
    let firstBad: {line: string; error: PluginError} | undefined
    let noiseTimer: NodeJS.Timeout | undefined
    let settled = false
    const finish = (error: PluginError | undefined, handshake?: Handshake) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(noiseTimer)
      plugin.stdout.off('data', onData)
      // Whatever the plugin prints later is not ours to read: keep its pipe from filling up.
      plugin.stdout.resume()
      if (error) reject(error)
      else resolve(handshake!)
    }
    const timer = setTimeout(() => {
      finish(
        firstBad?.error ??
          new PluginError('START_TIMEOUT', `timeout while waiting for plugin to start: no handshake line on stdout within ${options.startTimeoutMs} ms`),
      )
    }, options.startTimeoutMs)
    const onLine = (raw: string) => {
      const line = raw.replace(/\r$/, '')
      if (firstBad) {
        if (looksLikeHandshake(line)) {
          seen.noise.push(firstBad.line)
          finish(
            new PluginError(
              'HANDSHAKE_STDOUT_NOISE',
              `the plugin printed ${JSON.stringify(firstBad.line.slice(0, 200))} on stdout before its handshake line; ` +
                'a go-plugin host reads only the first line (go-plugin#199): write logs to stderr, or after the handshake',
            ),
          )
        }
        return
      }
      const inspection = inspectHandshake(line, options.accept)
      seen.line = line
      seen.inspection = inspection
      if (!inspection.error) return finish(undefined, inspection.handshake)
      if (inspection.error.code === 'HANDSHAKE_UNRECOGNIZED' || !looksLikeHandshake(line)) {
        firstBad = {line, error: inspection.error}
        noiseTimer = setTimeout(() => finish(firstBad!.error), Math.min(NOISE_GRACE_MS, options.startTimeoutMs))
        return
      }
      finish(inspection.error)
    }
    const onData = lineReader(onLine)
    plugin.stdout.on('data', onData)
    plugin.exited.then((exit) => {
      if (settled) return
      // A last line without a newline still counts, as bufio.Scanner would read it.
      onData.flush()
      finish(firstBad?.error ?? exitError(plugin, exit, options.cookie))
    })
  })
}
