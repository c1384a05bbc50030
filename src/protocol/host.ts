// The host side of go-plugin's protocol: start a plugin command, check its handshake, connect, ping it
// through health, mirror its stdio, hold the broker stream, dispense grpc-js clients for any service, and
// shut it down gracefully (Shutdown, a grace period, then SIGKILL to the plugin's whole process group).
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import type * as Grpc from '@grpc/grpc-js'
import {DEFAULT_START_TIMEOUT_MS} from '../transport/types.js'
import {PluginError} from '../sample/contract.js'
import {awaitHandshake, type HandshakeWait} from './await-handshake.js'
import {Broker, type GrpcBroker} from './broker.js'
import {verifyChecksum} from './checksum.js'
import type {Handshake} from './handshake.js'
import {lineSplitter, StderrLogReader, type Logger} from './hclog.js'
import {generateIdentity, type TlsIdentity} from './mtls.js'
import {spawnInGroup, type GroupExit, type GroupProcess} from './process-group.js'
import {connectGrpc, GrpcStatus, type GrpcClient} from './grpc-client.js'
import {serviceClient, type ServiceClient} from './service-client.js'
import {brokerService, controllerService, healthService, ServingStatus, StdioChannel, stdioService} from './services.js'

export interface HandshakeConfig {
  magicCookieKey: string
  magicCookieValue: string
  /** The app protocol version the host speaks; `appVersions` offers several. */
  protocolVersion?: number
}

export interface HostOptions {
  command: string
  args?: readonly string[]
  handshake: HandshakeConfig
  /** App protocol versions offered in PLUGIN_PROTOCOL_VERSIONS (default: handshake.protocolVersion, else 1). */
  appVersions?: readonly number[]
  /** Extra environment for the plugin; the host's own is passed through unless skipHostEnv. */
  env?: Record<string, string>
  skipHostEnv?: boolean
  /** The plugin's working directory (the host's by default). */
  cwd?: string
  /** go-plugin's default is one minute. */
  startTimeoutMs?: number
  autoMTLS?: boolean
  /** SHA-256 (hex) the plugin's executable must have; a mismatch refuses the start (CHECKSUM_MISMATCH). */
  sha256?: string
  /** The plugin's own stdout and stderr, as it streams them over GRPCStdio. */
  onStdio?(channel: 'stdout' | 'stderr', data: Buffer): void
  /** What the plugin process writes to its real stderr, as it comes. */
  onStderr?(chunk: string): void
  /**
   * Where the plugin's log lines go: each stderr line, read as go-plugin's host reads it (hclog JSON with its
   * level, module and fields; other lines by their [LEVEL] prefix, else debug). None by default.
   */
  logger?: Logger
  /** Time Shutdown has to end the plugin before it is killed (go-plugin: 2 s). */
  shutdownGraceMs?: number
  minPort?: number
  maxPort?: number
  /** The largest message the host accepts from the plugin (default 2^31-1, as go-plugin's host). */
  maxReceiveMessageBytes?: number
  /** Filled in as the start goes, so a caller can show what the plugin printed even when the start fails. */
  trace?: HandshakeWait
}

export interface ShutdownResult {
  /** Whether the plugin exited on its own after Shutdown, within the grace period. */
  graceful: boolean
  /** How GRPCController.Shutdown answered: OK, or the status it failed with (absent when the plugin was gone already). */
  controller?: {code: number; details: string}
  exit: GroupExit
  durationMs: number
}

/** A started plugin. `shutdown` and `kill` are safe to call more than once. */
export interface PluginHost {
  readonly pid: number
  readonly handshake: Handshake
  /** The app protocol version the plugin chose (go-plugin's NegotiatedVersion). */
  readonly version: number
  readonly exited: Promise<GroupExit>
  readonly hasExited: boolean
  /** The lean gRPC client the host talks to the plugin with: the fastest way to call its services. */
  readonly client: GrpcClient
  /** A typed client of a service the plugin serves (hand-written, generated, or loaded with loadProtoService), on the lean client. */
  dispense<S extends Grpc.ServiceDefinition>(definition: S): ServiceClient<S>
  /** A grpc-js client of the service instead, on a grpc-js channel opened on first use (for code written against grpc-js). */
  grpcJsClient<T extends Grpc.Client = Grpc.Client>(service: Grpc.ServiceDefinition, name?: string): Promise<T>
  /** go-plugin's GRPCBroker: serve the plugin a service under an id, or dial one it serves. */
  readonly broker: GrpcBroker
  /** Health check of the service "plugin", as go-plugin's Ping. */
  ping(timeoutMs?: number): Promise<void>
  /** How the GRPCStdio and GRPCBroker streams the host opened fare: open, or the status that ended them. */
  streams(): {stdio: StreamState; broker: StreamState}
  /** What the plugin wrote to its stderr pipe: the last few KiB. */
  stderrTail(): string
  shutdown(): Promise<ShutdownResult>
  kill(): Promise<GroupExit>
}

export type StreamState = {open: true} | {open: false; code: number; details: string}

const MAX_MESSAGE = 2 ** 31 - 1

let grpcModule: Promise<typeof Grpc> | undefined
/** grpc-js, loaded once and only when a client is dispensed. */
export function loadGrpc(): Promise<typeof Grpc> {
  grpcModule ??= import('@grpc/grpc-js')
  return grpcModule
}

function pluginEnv(options: HostOptions, versions: readonly number[], identity?: TlsIdentity, socketDir?: string): Record<string, string> {
  return {
    ...options.env,
    [options.handshake.magicCookieKey]: options.handshake.magicCookieValue,
    PLUGIN_MIN_PORT: String(options.minPort ?? 10000),
    PLUGIN_MAX_PORT: String(options.maxPort ?? 25000),
    PLUGIN_PROTOCOL_VERSIONS: versions.join(','),
    ...(identity ? {PLUGIN_CLIENT_CERT: identity.certPem} : {}),
    ...(socketDir ? {PLUGIN_UNIX_SOCKET_DIR: socketDir} : {}),
  }
}

/**
 * A folder of the host's own for the plugin's unix socket (PLUGIN_UNIX_SOCKET_DIR, as go-plugin's host does with a
 * UnixSocketConfig), removed once the plugin is gone: a plugin that is killed cannot remove its socket itself.
 * None on Windows (TCP), or when the plugin is given a socket folder already.
 */
function ownSocketDir(options: HostOptions): string | undefined {
  if (process.platform === 'win32') return undefined
  if (options.env?.PLUGIN_UNIX_SOCKET_DIR || (!options.skipHostEnv && process.env.PLUGIN_UNIX_SOCKET_DIR)) return undefined
  // Short: a unix socket path has room for about 100 bytes (104 on macOS, whose temp folder is long already).
  return mkdtempSync(path.join(os.tmpdir(), 'ps-socket-'))
}

function checkTls(handshake: Handshake, identity?: TlsIdentity): void {
  if (identity === undefined && handshake.serverCertPem !== undefined) {
    throw new PluginError('HANDSHAKE_SERVER_CERT', 'the plugin answered with a TLS certificate, but this host did not ask for AutoMTLS')
  }
  if (identity !== undefined && handshake.serverCertPem === undefined) {
    throw new PluginError('MTLS_UNSUPPORTED', 'AutoMTLS was asked for (PLUGIN_CLIENT_CERT was set), but the plugin answered without a certificate: it does not support AutoMTLS')
  }
}

/** Starts a go-plugin plugin. Any failure kills the plugin's whole process group before it is thrown. */
export async function startPlugin(options: HostOptions): Promise<PluginHost> {
  const versions = options.appVersions ?? [options.handshake.protocolVersion ?? 1]
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS
  if (options.sha256) await verifyChecksum(options.command, options.sha256)
  const identity = options.autoMTLS ? generateIdentity() : undefined
  const socketDir = ownSocketDir(options)
  const plugin = spawnInGroup(options.command, options.args ?? [], pluginEnv(options, versions, identity, socketDir), {
    extendEnv: !options.skipHostEnv,
    cwd: options.cwd,
    onGone: socketDir ? () => rmSync(socketDir, {recursive: true, force: true}) : undefined,
  })
  if (options.onStderr) plugin.stderr.on('data', (chunk: Buffer) => options.onStderr!(chunk.toString('utf8')))
  if (options.logger) relogStderr(plugin, options.logger, path.basename(options.command))
  const trace = options.trace ?? {noise: []}
  trace.pid = plugin.pid
  const spawnedAt = performance.now()
  let client: GrpcClient | undefined
  try {
    const handshake = await awaitHandshake(
      plugin,
      {accept: {appVersions: versions, protocols: ['grpc']}, startTimeoutMs, cookie: `${options.handshake.magicCookieKey}=${options.handshake.magicCookieValue}`},
      trace,
    )
    trace.handshakeMs = performance.now() - spawnedAt
    checkTls(handshake, identity)
    // The connection and the first ping share what is left of the start timeout.
    const remaining = () => Math.max(1, startTimeoutMs - (performance.now() - spawnedAt))
    client = await connectGrpc(handshake, {identity, timeoutMs: remaining(), maxReceiveMessageBytes: options.maxReceiveMessageBytes})
    const host = connectedHost(plugin, handshake, client, options, identity, socketDir)
    await host.ping(remaining())
    return host
  } catch (error) {
    client?.close()
    await plugin.kill()
    throw error
  }
}

// As go-plugin's host: every stderr line is logged, with the level and fields of an hclog JSON line.
function relogStderr(plugin: GroupProcess, logger: Logger, name: string): void {
  const reader = new StderrLogReader()
  const lines = lineSplitter((line) => {
    if (line.length > 0) logger.log({...reader.read(line), plugin: name})
  })
  plugin.stderr.on('data', (chunk: Buffer) => lines.push(chunk))
  plugin.stderr.on('end', () => lines.end())
}

function connectedHost(plugin: GroupProcess, handshake: Handshake, client: GrpcClient, options: HostOptions, identity?: TlsIdentity, socketDir?: string): PluginHost {
  // Opened right after connecting, as a Go host does: stdio once, the broker stream for the plugin's lifetime.
  const states: {stdio: StreamState; broker: StreamState} = {stdio: {open: true}, broker: {open: true}}
  const stdio = client.stream(stdioService.streamStdio, (chunk) => options.onStdio?.(chunk.channel === StdioChannel.STDERR ? 'stderr' : 'stdout', chunk.data), {})
  const brokerStream = client.stream(brokerService.startStream, (info) => hostBroker.receive(info))
  const hostBroker = new Broker({
    send: (info) => brokerStream.send(info),
    listen: {socketDir, minPort: options.minPort ?? 10000, maxPort: options.maxPort ?? 25000},
    tls: identity && handshake.serverCertPem ? {identity, peerCertPem: handshake.serverCertPem} : undefined,
  })
  const broker = brokerStream
  // A Go host only warns when a plugin does not implement GRPCStdio: a stream that ends is a state, not an error.
  stdio.done.then((status) => (states.stdio = {open: false, ...status}))
  broker.done.then((status) => (states.broker = {open: false, ...status}))

  let channel: Grpc.Channel | undefined
  let grpc: typeof Grpc | undefined
  let stopping: Promise<ShutdownResult> | undefined
  const release = async (killGroup = true) => {
    stdio.cancel()
    broker.cancel()
    await hostBroker.close()
    client.close()
    channel?.close()
    // The plugin is gone: take any process it left in its group with it.
    if (killGroup) plugin.signal('SIGKILL')
  }
  plugin.exited.then(() => release())

  return {
    pid: plugin.pid,
    handshake,
    version: handshake.appVersion,
    client,
    broker: hostBroker,
    dispense: (definition) => serviceClient(definition, () => client),
    exited: plugin.exited,
    get hasExited() {
      return plugin.hasExited
    },
    async grpcJsClient<T extends Grpc.Client>(service: Grpc.ServiceDefinition, name = 'Service'): Promise<T> {
      grpc ??= await loadGrpc()
      if (channel === undefined) {
        const credentials = identity
          ? grpc.credentials.createSsl(Buffer.from(handshake.serverCertPem!), Buffer.from(identity.keyPem), Buffer.from(identity.certPem))
          : grpc.credentials.createInsecure()
        channel = new grpc.Channel(handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address, credentials, {
          'grpc.ssl_target_name_override': 'localhost',
          'grpc.default_authority': 'localhost',
          'grpc.max_receive_message_length': MAX_MESSAGE,
          'grpc.max_send_message_length': MAX_MESSAGE,
        })
      }
      const Constructor = grpc.makeGenericClientConstructor(service, name)
      return new Constructor('unused', grpc.credentials.createInsecure(), {channelOverride: channel}) as unknown as T
    },
    stderrTail: () => plugin.stderrTail(),
    streams: () => ({...states}),
    async ping(timeoutMs = 5000) {
      try {
        const reply = await client.call(healthService.check, {service: 'plugin'}, timeoutMs)
        if (reply.status !== ServingStatus.SERVING) {
          throw new PluginError('PING_NOT_SERVING', `the plugin's health service says ${reply.status} for "plugin", not SERVING (1)`)
        }
      } catch (error) {
        if (error instanceof PluginError) throw error
        const e = error as {status?: number; details?: string; message: string}
        // A plugin that died closes the connection, so its pending calls fail at once.
        const code = plugin.hasExited ? 'PLUGIN_EXITED' : e.status === GrpcStatus.DEADLINE_EXCEEDED ? 'PING_TIMEOUT' : 'PING_FAILED'
        throw new PluginError(code, `health check of the plugin failed: ${e.details || e.message}`, {cause: error})
      }
    },
    shutdown() {
      stopping ??= (async () => {
        const began = performance.now()
        // One grace period for the Shutdown call and the exit together: a plugin that never answers is not waited for twice.
        const grace = options.shutdownGraceMs ?? 2000
        const wasRunning = !plugin.hasExited
        let controller: ShutdownResult['controller']
        if (wasRunning) {
          controller = await client.call(controllerService.shutdown, {}, grace).then(
            () => ({code: GrpcStatus.OK, details: ''}),
            (error: {status?: number; details?: string; message: string}) => ({code: error.status ?? GrpcStatus.UNKNOWN, details: error.details ?? error.message}),
          )
        }
        // Then close the connection, as go-plugin's GRPCClient.Close does: the plugin's server waits for it.
        await release(false)
        let killed = false
        const timer = setTimeout(
          () => {
            killed = true
            plugin.signal('SIGKILL')
          },
          Math.max(0, grace - (performance.now() - began)),
        )
        const exit = await plugin.exited
        clearTimeout(timer)
        await release()
        return {graceful: wasRunning && !killed, ...(controller ? {controller} : {}), exit, durationMs: performance.now() - began}
      })()
      return stopping
    },
    async kill() {
      await release()
      return plugin.exited
    },
  }
}
