// The plugin side of go-plugin's protocol, for a TypeScript plugin: check the magic cookie, negotiate the
// app version, listen, print the handshake line, and serve health, controller, stdio and broker alongside
// the plugin's own services. A Go host (hashicorp/go-plugin) or this project's host can start it.
import {writeSync} from 'node:fs'
import {Broker, type GrpcBroker, type ServiceRegistration} from './broker.js'
import {formatHandshake, negotiateVersion, offeredVersions} from './handshake.js'
import type {HandshakeConfig} from './host.js'
import {createPluginLogger, type PluginLogger, type PluginLoggerOptions} from './hclog.js'
import {GrpcServer, Status, type ServerCall, type UnaryCallback} from './grpc-server.js'
import {listen, listenConfigFromEnv} from './listen.js'
import {certField, generateIdentity} from './mtls.js'
import {watchParent} from './parent-watch.js'
import {brokerService, controllerService, healthService, ServingStatus, stdioService, type ConnInfo, type StdioData} from './services.js'
import {captureStdio} from './stdio-capture.js'

export type {ServiceRegistration} from './broker.js'

/** What a plugin's services are given: the broker (to call back the host, or to serve it more), its logger, the version served. */
export interface PluginContext {
  broker: GrpcBroker
  logger: PluginLogger
  version: number
}

/** A plugin set (go-plugin's PluginSet): the services of one app version, or a function making them from the context. */
export type PluginServices = ServiceRegistration[] | ((context: PluginContext) => ServiceRegistration[])

export interface ServeOptions {
  handshake: HandshakeConfig
  /** The services of `handshake.protocolVersion`; `versionedServices` serves several app versions. */
  services?: PluginServices
  /** go-plugin's VersionedPlugins: the set of each app version; the highest one the host offers is served. */
  versionedServices?: Record<number, PluginServices>
  /** The plugin's hclog logger (see hclog.ts): by default unnamed, every level, on the real stderr. */
  logger?: PluginLoggerOptions
  /** Runs when the host asks for a shutdown, before the process exits. */
  onShutdown?(): void | Promise<void>
  /** Exit when the host process goes away without a shutdown (default true: no orphans). */
  exitWithParent?: boolean
}

export interface ServedPlugin {
  version: number
  network: 'unix' | 'tcp'
  address: string
  broker: GrpcBroker
  logger: PluginLogger
}

const MISSING_COOKIE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n'

/** Exits 1 with go-plugin's own message unless the host set the magic cookie. Call it before heavy work. */
export function requireCookie(handshake: HandshakeConfig): void {
  if (!handshake.magicCookieKey || !handshake.magicCookieValue) {
    process.stderr.write('Misconfigured ServeConfig given to serve this plugin: no magic cookie\nkey or value was set. Please notify the plugin author and report\nthis as a bug.\n')
    process.exit(1)
  }
  if (process.env[handshake.magicCookieKey] !== handshake.magicCookieValue) {
    process.stderr.write(MISSING_COOKIE)
    process.exit(1)
  }
}

/**
 * One write to fd 1, as go-plugin's fmt.Printf, without building process.stdout (see stdio-capture.ts). On Linux,
 * where process.stdout's writes to a pipe or file are synchronous too, anything written before still comes first;
 * elsewhere, or when fd 1 will not take it at once, the line goes through process.stdout.
 */
function writeHandshake(line: string): void {
  let bytes = Buffer.from(line, 'utf8')
  if (process.platform === 'linux') {
    try {
      bytes = bytes.subarray(writeSync(1, bytes))
    } catch {
      // EAGAIN on a full non-blocking pipe: process.stdout queues it.
    }
  }
  if (bytes.length > 0) process.stdout.write(bytes)
}

/** Serves the plugin until the host shuts it down. Resolves once the handshake line is printed. */
export async function serve(options: ServeOptions): Promise<ServedPlugin> {
  requireCookie(options.handshake)
  const sets = options.versionedServices ?? {[options.handshake.protocolVersion ?? 1]: options.services ?? []}
  const version = negotiateVersion(Object.keys(sets).map(Number), offeredVersions(process.env.PLUGIN_PROTOCOL_VERSIONS))
  const clientCert = process.env.PLUGIN_CLIENT_CERT
  const identity = clientCert ? generateIdentity() : undefined
  const tls = identity ? {key: identity.keyPem, cert: identity.certPem, ca: clientCert!} : undefined

  // The logger writes to the real stderr, which the host reads as hclog lines; process.stderr goes to GRPCStdio.
  const stdio = captureStdio()
  const logger = createPluginLogger(options.logger ?? {}, (line) => stdio.writeRealStderr(line))
  let brokerCall: ServerCall<ConnInfo, ConnInfo> | undefined
  const unsent: ConnInfo[] = []
  const broker = new Broker({
    send: (info) => (brokerCall && !brokerCall.cancelled ? void brokerCall.write(info) : void unsent.push(info)),
    listen: listenConfigFromEnv(),
    tls: identity ? {identity, peerCertPem: clientCert!} : undefined,
  })
  const server = new GrpcServer()
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    let code = 0
    try {
      await options.onShutdown?.()
    } catch (error) {
      // Still attached: the host sees this on the plugin's stderr, and the exit code says it.
      process.stderr.write(`the plugin's onShutdown failed: ${(error as Error)?.stack ?? String(error)}\n`)
      code = 1
    }
    stdio.detach()
    await broker.close()
    const force = setTimeout(() => process.exit(code), 1000)
    force.unref()
    await server.close()
    process.exit(code)
  }

  server.addService(healthService, {
    // As grpc-go's health server that go-plugin runs: "" and "plugin" are SERVING, any other name is NOT_FOUND.
    check(call: ServerCall<{service: string}>, callback: UnaryCallback<{status: number}>) {
      if (call.request.service === '' || call.request.service === 'plugin') callback(null, {status: ServingStatus.SERVING})
      else callback({code: Status.NOT_FOUND, details: 'unknown service'})
    },
  })
  server.addService(controllerService, {
    shutdown(_call: ServerCall, callback: UnaryCallback<object>) {
      callback(null, {})
      setImmediate(() => void stop())
    },
  })
  server.addService(stdioService, {
    streamStdio(call: ServerCall<object, StdioData>) {
      stdio.attach((data) => void call.write(data))
      call.on('cancelled', () => stdio.detach())
    },
  })
  // go-plugin hosts open the broker stream at once and keep it for the plugin's life.
  server.addService(brokerService, {
    startStream(call: ServerCall<ConnInfo, ConnInfo>) {
      brokerCall = call
      for (const info of unsent.splice(0)) call.write(info)
      call.on('data', (info: ConnInfo) => broker.receive(info))
      call.on('end', () => call.end())
    },
  })
  const set = sets[version] ?? []
  for (const service of typeof set === 'function' ? set({broker, logger, version}) : set) server.addService(service.definition, service.implementation)

  const {network, address} = await listen(server, listenConfigFromEnv(), tls)
  const multiplex = process.env.PLUGIN_MULTIPLEX_GRPC ? false : undefined
  // The one line the host reads on the real stdout; everything after it goes over GRPCStdio.
  writeHandshake(`${formatHandshake({appVersion: version, network, address, protocol: 'grpc', cert: identity ? certField(identity) : '', multiplex})}\n`)
  stdio.begin()
  // The host owns interrupts (a Ctrl-C reaches the whole terminal group); go-plugin plugins ignore them too.
  process.on('SIGINT', () => {})
  if (options.exitWithParent ?? true) watchParent()
  return {version, network, address, broker, logger}
}
