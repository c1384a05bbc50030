// The host side of go-plugin's protocol: start a plugin command, check its handshake, connect with grpc-js,
// ping it through health, mirror its stdio, dispense clients for any service, and shut it down gracefully.
import {performance} from 'node:perf_hooks'
import type * as Grpc from '@grpc/grpc-js'
import {PluginError} from '../sample/contract.js'
import {awaitHandshake, type HandshakeWait} from './await-handshake.js'
import {verifyChecksum} from './checksum.js'
import type {Handshake} from './handshake.js'
import {generateIdentity, type TlsIdentity} from './mtls.js'
import {spawnInGroup, type GroupExit, type GroupProcess} from './process-group.js'
import {connectUnary, type UnaryClient} from './unary.js'
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
  /** go-plugin's default is one minute. */
  startTimeoutMs?: number
  autoMTLS?: boolean
  /** SHA-256 (hex) the plugin's executable must have; a mismatch refuses the start (CHECKSUM_MISMATCH). */
  sha256?: string
  /** The plugin's own stdout and stderr, as it streams them over GRPCStdio. */
  onStdio?(channel: 'stdout' | 'stderr', data: Buffer): void
  /** What the plugin process writes to its real stderr (go-plugin hosts log it). */
  onStderr?(chunk: string): void
  /** Time Shutdown has to end the plugin before it is killed (go-plugin: 2 s). */
  shutdownGraceMs?: number
  minPort?: number
  maxPort?: number
  /** Filled in as the start goes, so a caller can show what the plugin printed even when the start fails. */
  trace?: HandshakeWait
}

export interface ShutdownResult {
  /** Whether the plugin exited on its own after Shutdown, within the grace period. */
  graceful: boolean
  exit: GroupExit
  durationMs: number
}

/** A started plugin. `shutdown` and `kill` are safe to call more than once. */
export interface PluginHost {
  readonly pid: number
  readonly handshake: Handshake
  readonly exited: Promise<GroupExit>
  readonly hasExited: boolean
  /** A grpc-js client of `service` over the plugin's connection (any service of a .proto file, see loadProtoService). */
  dispense<T extends Grpc.Client = Grpc.Client>(service: Grpc.ServiceDefinition, name?: string): T
  /** The lean unary client (one HTTP/2 session of its own) for hot paths; opened on first use. */
  unary(): Promise<UnaryClient>
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
/** grpc-js, loaded once and only when a plugin is started. */
export function loadGrpc(): Promise<typeof Grpc> {
  grpcModule ??= import('@grpc/grpc-js')
  return grpcModule
}

function pluginEnv(options: HostOptions, versions: readonly number[], identity?: TlsIdentity): Record<string, string> {
  return {
    ...options.env,
    [options.handshake.magicCookieKey]: options.handshake.magicCookieValue,
    PLUGIN_MIN_PORT: String(options.minPort ?? 10000),
    PLUGIN_MAX_PORT: String(options.maxPort ?? 25000),
    PLUGIN_PROTOCOL_VERSIONS: versions.join(','),
    ...(identity ? {PLUGIN_CLIENT_CERT: identity.certPem} : {}),
  }
}

function credentialsFor(grpc: typeof Grpc, handshake: Handshake, identity?: TlsIdentity): Grpc.ChannelCredentials {
  if (identity === undefined && handshake.serverCertPem === undefined) return grpc.credentials.createInsecure()
  if (identity === undefined) throw new PluginError('HANDSHAKE_SERVER_CERT', 'the plugin answered with a TLS certificate, but this host did not ask for AutoMTLS')
  if (handshake.serverCertPem === undefined) {
    throw new PluginError('MTLS_UNSUPPORTED', 'AutoMTLS was asked for (PLUGIN_CLIENT_CERT was set), but the plugin answered without a certificate: it does not support AutoMTLS')
  }
  return grpc.credentials.createSsl(Buffer.from(handshake.serverCertPem), Buffer.from(identity.keyPem), Buffer.from(identity.certPem))
}

function target(handshake: Handshake): string {
  return handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address
}

/** Starts a go-plugin plugin. Any failure kills the plugin's whole process group before it is thrown. */
export async function startPlugin(options: HostOptions): Promise<PluginHost> {
  const versions = options.appVersions ?? [options.handshake.protocolVersion ?? 1]
  const startTimeoutMs = options.startTimeoutMs ?? 60_000
  const started = Date.now()
  if (options.sha256) await verifyChecksum(options.command, options.sha256)
  const grpcLoading = loadGrpc()
  const identity = options.autoMTLS ? generateIdentity() : undefined
  const plugin = spawnInGroup(options.command, options.args ?? [], pluginEnv(options, versions, identity), {extendEnv: !options.skipHostEnv})
  if (options.onStderr) plugin.stderr.on('data', (chunk: Buffer) => options.onStderr!(chunk.toString('utf8')))
  const trace = options.trace ?? {noise: []}
  trace.pid = plugin.pid
  const spawnedAt = performance.now()
  let channel: Grpc.Channel | undefined
  try {
    const handshake = await awaitHandshake(
      plugin,
      {accept: {appVersions: versions, protocols: ['grpc']}, startTimeoutMs, cookie: `${options.handshake.magicCookieKey}=${options.handshake.magicCookieValue}`},
      trace,
    )
    trace.handshakeMs = performance.now() - spawnedAt
    const grpc = await grpcLoading
    const credentials = credentialsFor(grpc, handshake, identity)
    channel = new grpc.Channel(target(handshake), credentials, {
      'grpc.ssl_target_name_override': 'localhost',
      'grpc.default_authority': 'localhost',
      'grpc.max_receive_message_length': MAX_MESSAGE,
      'grpc.max_send_message_length': MAX_MESSAGE,
    })
    const host = connectedHost(grpc, plugin, handshake, channel, options, identity)
    await host.ping(Math.max(1, startTimeoutMs - (Date.now() - started)))
    return host
  } catch (error) {
    channel?.close()
    await plugin.kill()
    throw error
  }
}

function connectedHost(grpc: typeof Grpc, plugin: GroupProcess, handshake: Handshake, channel: Grpc.Channel, options: HostOptions, identity?: TlsIdentity): PluginHost {
  const clientOf = <T extends Grpc.Client>(service: Grpc.ServiceDefinition, name = 'Service'): T => {
    const Constructor = grpc.makeGenericClientConstructor(service, name)
    return new Constructor('unused', grpc.credentials.createInsecure(), {channelOverride: channel}) as unknown as T
  }
  type HealthClient = Grpc.Client & {check(req: {service: string}, options: Grpc.CallOptions, cb: (e: Grpc.ServiceError | null, r?: {status: number}) => void): void}
  const health = clientOf<HealthClient>(healthService, 'Health')
  const controller = clientOf<Grpc.Client & {shutdown(req: object, options: Grpc.CallOptions, cb: (e: Grpc.ServiceError | null) => void): void}>(controllerService, 'GRPCController')

  // Opened right after connecting, as a Go host does: stdio once, the broker stream for the plugin's lifetime.
  const stdio = clientOf<Grpc.Client & {streamStdio(req: object): Grpc.ClientReadableStream<{channel: number; data: Buffer}>}>(stdioService, 'GRPCStdio').streamStdio({})
  stdio.on('data', (chunk: {channel: number; data: Buffer}) => {
    options.onStdio?.(chunk.channel === StdioChannel.STDERR ? 'stderr' : 'stdout', chunk.data)
  })
  const broker = clientOf<Grpc.Client & {startStream(): Grpc.ClientDuplexStream<unknown, unknown>}>(brokerService, 'GRPCBroker').startStream()
  broker.on('data', () => {})
  const states: {stdio: StreamState; broker: StreamState} = {stdio: {open: true}, broker: {open: true}}
  // A Go host only warns when a plugin does not implement GRPCStdio: a failed stream is a state, not an error.
  stdio.on('error', (error: Grpc.ServiceError) => (states.stdio = {open: false, code: error.code, details: error.details}))
  broker.on('error', (error: Grpc.ServiceError) => (states.broker = {open: false, code: error.code, details: error.details}))

  let stopping: Promise<ShutdownResult> | undefined
  let unary: Promise<UnaryClient> | undefined
  const release = async () => {
    unary?.then((client) => client.close(), () => {})
    stdio.cancel()
    broker.cancel()
    channel.close()
    // The plugin is gone: take any process it left in its group with it.
    plugin.signal('SIGKILL')
  }
  plugin.exited.then(release)

  return {
    pid: plugin.pid,
    handshake,
    exited: plugin.exited,
    get hasExited() {
      return plugin.hasExited
    },
    dispense: clientOf,
    unary() {
      unary ??= connectUnary(handshake, identity)
      return unary
    },
    stderrTail: () => plugin.stderrTail(),
    streams: () => ({...states}),
    ping(timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        health.check({service: 'plugin'}, {deadline: Date.now() + timeoutMs}, (error, reply) => {
          if (error) {
            // A plugin that died closes the channel, so its pending calls fail at once.
            const code = plugin.hasExited ? 'PLUGIN_EXITED' : error.code === grpc.status.DEADLINE_EXCEEDED ? 'PING_TIMEOUT' : 'PING_FAILED'
            reject(new PluginError(code, `health check of the plugin failed: ${error.details || error.message}`, {cause: error}))
          } else if (reply?.status !== ServingStatus.SERVING) {
            reject(new PluginError('PING_NOT_SERVING', `the plugin's health service says ${reply?.status ?? 'nothing'} for "plugin", not SERVING (1)`))
          } else resolve()
        })
      })
    },
    shutdown() {
      stopping ??= (async () => {
        const began = Date.now()
        const grace = options.shutdownGraceMs ?? 2000
        const wasRunning = !plugin.hasExited
        if (!plugin.hasExited) {
          await new Promise<void>((resolve) => controller.shutdown({}, {deadline: Date.now() + grace}, () => resolve()))
        }
        let killed = false
        const timer = setTimeout(() => {
          killed = true
          plugin.signal('SIGKILL')
        }, grace)
        const exit = await plugin.exited
        clearTimeout(timer)
        await release()
        return {graceful: wasRunning && !killed, exit, durationMs: Date.now() - began}
      })()
      return stopping
    },
    async kill() {
      await release()
      return plugin.exited
    },
  }
}
