// The TypeScript go-plugin host (src/protocol/host.ts) around any go-plugin plugin of the sample, as a
// LoadedPlugin: child-grpc starts the TypeScript plugin with it, ts-host-go-plugin the Go one.
import {PluginError, type PluginInput, type PluginOutput} from '../sample/contract.js'
import {startPlugin, type HostOptions, type PluginHost} from '../protocol/host.js'
import {sampleHandshake, sampleService} from '../protocol/sample-service.js'
import {GrpcCallError, GrpcStatus} from '../protocol/grpc-client.js'
import {describeExit, exitErrorCode, type ChildExit} from '../transport/child-process.js'
import {StderrBuffer} from '../transport/stderr-buffer.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin, type LoadOptions} from '../transport/types.js'

/**
 * How long a call whose connection broke waits for the plugin's exit, to report a dead plugin rather than a broken
 * stream. The exit usually arrives within milliseconds and ends the wait; a loaded 2-core machine can delay it past
 * 100 ms (a test once read CALL_FAILED there), and only a plugin that drops its connection yet lives waits it all.
 */
const EXIT_SETTLE_MS = 1000

/**
 * PLUGIN_EXITED, PLUGIN_CRASHED (a signal, a Go panic or fatal error) or PLUGIN_OOM, with how it ended and what
 * its stderr said: a Go plugin's crash line comes first, before a goroutine dump longer than any tail kept.
 */
function exitError(stderr: StderrBuffer, exit: ChildExit, cause?: unknown): PluginError {
  const said = stderr.summary()
  return new PluginError(exitErrorCode(exit, said), `the plugin process ${describeExit(exit)}${said ? `: ${said}` : ''}`, {cause})
}

// A plugin's own error travels as `[CODE] message` in the status details (src/hosts/grpc-sample-plugin.ts).
async function callError(host: PluginHost, stderr: StderrBuffer, error: unknown, timeoutMs: number): Promise<PluginError> {
  if (!(error instanceof GrpcCallError)) return new PluginError('CALL_FAILED', `the plugin's call failed: ${(error as Error).message}`, {cause: error})
  const own = /^\[([A-Z_]+)\] ([\s\S]*)$/.exec(error.details)
  if (own) return new PluginError(own[1], own[2])
  if (error.status === GrpcStatus.DEADLINE_EXCEEDED) return new PluginError('CALL_TIMEOUT', `the plugin did not answer within ${timeoutMs} ms`)
  if (error.status !== GrpcStatus.UNAVAILABLE && error.status !== GrpcStatus.CANCELLED) {
    return new PluginError('PLUGIN_ERROR', `the plugin's call failed with gRPC status ${error.status}: ${error.details}`, {cause: error})
  }
  // The connection broke: most likely the plugin died, which its exit says in a moment.
  let timer: ReturnType<typeof setTimeout> | undefined
  const waited = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), EXIT_SETTLE_MS)
  })
  const exit = await Promise.race([host.exited, waited])
  clearTimeout(timer)
  if (exit) return exitError(stderr, exit, error)
  return new PluginError('CALL_FAILED', `the plugin's call failed: ${error.details}`, {cause: error})
}

/** Starts a go-plugin plugin of the sample (any language) and wraps it as a LoadedPlugin. */
export async function loadGoPluginSample(command: string, args: string[], options: LoadOptions, extra: Partial<HostOptions> = {}): Promise<LoadedPlugin> {
  const onStdio = options.onStdio ? {onStdio: options.onStdio} : {}
  const stderr = new StderrBuffer()
  const onStderr = (chunk: string) => stderr.push(chunk)
  const host = await startPlugin({command, args, handshake: sampleHandshake, startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, onStderr, ...onStdio, ...extra}).catch((error: PluginError) => {
    // The sample plugin explains a failed load on stderr as `[CODE] message`: surface that code.
    const own = error.code === 'PLUGIN_EXITED' ? /\[([A-Z_]+)\] ([^|]*)/.exec(error.message) : null
    throw own ? new PluginError(own[1], own[2].trim(), {cause: error}) : error
  })
  const timeoutMs = options.callTimeoutMs ?? 0
  const closed = host.exited.then((exit) => exitError(stderr, exit))
  return {
    pid: host.pid,
    closed,
    async call(input: PluginInput): Promise<PluginOutput> {
      try {
        const response = await host.client.call(sampleService.call, {number: input.number, payload: input.payload}, timeoutMs)
        return response.payload === undefined ? {message: response.message} : {message: response.message, payload: response.payload}
      } catch (error) {
        throw await callError(host, stderr, error, timeoutMs)
      }
    },
    ping: () => host.ping(),
    async dispose() {
      await host.shutdown()
    },
    async kill() {
      await host.kill()
    },
  }
}
