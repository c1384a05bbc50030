// The plugin side of go-plugin's protocol, for a TypeScript plugin: check the magic cookie, negotiate the
// app version, listen, print the handshake line, and serve health, controller, stdio and broker alongside
// the plugin's own services. A Go host (hashicorp/go-plugin) or this project's host can start it.
import {chownSync, chmodSync, readFileSync, rmSync} from 'node:fs'
import {randomInt} from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import type {ServiceDefinition} from '@grpc/grpc-js'
import {formatHandshake, negotiateVersion, offeredVersions} from './handshake.js'
import type {HandshakeConfig} from './host.js'
import {GrpcServer, Status, type Handler, type ServerCall, type TlsOptions, type UnaryCallback} from './grpc-server.js'
import {certField, generateIdentity} from './mtls.js'
import {watchParent} from './parent-watch.js'
import {brokerService, controllerService, healthService, ServingStatus, stdioService, type ConnInfo, type StdioData} from './services.js'
import {captureStdio} from './stdio-capture.js'

export interface ServiceRegistration {
  definition: ServiceDefinition
  /** A handler per method name, in grpc-js's shape (see grpc-server.ts). */
  implementation: Record<string, Handler>
}

export interface ServeOptions {
  handshake: HandshakeConfig
  /** The services of `handshake.protocolVersion`; `versionedServices` serves several app versions. */
  services?: ServiceRegistration[]
  versionedServices?: Record<number, ServiceRegistration[]>
  /** Runs when the host asks for a shutdown, before the process exits. */
  onShutdown?(): void | Promise<void>
  /** Exit when the host process goes away without a shutdown (default true: no orphans). */
  exitWithParent?: boolean
}

export interface ServedPlugin {
  version: number
  network: 'unix' | 'tcp'
  address: string
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

function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group)
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === group)
  if (line === undefined) throw new Error(`failed to find gid from ${JSON.stringify(group)}`)
  return Number(line.split(':')[2])
}

async function listen(server: GrpcServer, tls?: TlsOptions): Promise<{network: 'unix' | 'tcp'; address: string}> {
  if (process.platform === 'win32') {
    const min = Number(process.env.PLUGIN_MIN_PORT || 0)
    const max = Number(process.env.PLUGIN_MAX_PORT || 0)
    if (min > max) throw new Error(`PLUGIN_MIN_PORT value of ${min} is greater than PLUGIN_MAX_PORT value of ${max}`)
    for (let port = min; port <= max; port++) {
      try {
        const bound = await server.listen({port}, tls)
        return {network: 'tcp', address: `127.0.0.1:${bound}`}
      } catch {
        // Taken: try the next port.
      }
    }
    throw new Error("Couldn't bind plugin TCP listener")
  }
  const file = path.join(process.env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), `plugin${randomInt(1e9)}`)
  await server.listen({path: file}, tls)
  process.on('exit', () => rmSync(file, {force: true}))
  const group = process.env.PLUGIN_UNIX_SOCKET_GROUP
  if (group) {
    chownSync(file, -1, groupId(group))
    chmodSync(file, 0o660)
  }
  return {network: 'unix', address: file}
}

/** Serves the plugin until the host shuts it down. Resolves once the handshake line is printed. */
export async function serve(options: ServeOptions): Promise<ServedPlugin> {
  requireCookie(options.handshake)
  const sets = options.versionedServices ?? {[options.handshake.protocolVersion ?? 1]: options.services ?? []}
  const version = negotiateVersion(Object.keys(sets).map(Number), offeredVersions(process.env.PLUGIN_PROTOCOL_VERSIONS))
  const clientCert = process.env.PLUGIN_CLIENT_CERT
  const identity = clientCert ? generateIdentity() : undefined
  const tls = identity ? {key: identity.keyPem, cert: identity.certPem, ca: clientCert!} : undefined

  const server = new GrpcServer()
  const stdio = captureStdio()
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
  // go-plugin hosts open the broker stream at once; brokered connections are not offered by this SDK,
  // so the stream is held open until the host ends it.
  server.addService(brokerService, {
    startStream(call: ServerCall<ConnInfo, ConnInfo>) {
      call.on('end', () => call.end())
    },
  })
  for (const service of sets[version] ?? []) server.addService(service.definition, service.implementation)

  const {network, address} = await listen(server, tls)
  const multiplex = process.env.PLUGIN_MULTIPLEX_GRPC ? false : undefined
  // The one line the host reads on the real stdout; everything after it goes over GRPCStdio.
  process.stdout.write(`${formatHandshake({appVersion: version, network, address, protocol: 'grpc', cert: identity ? certField(identity) : '', multiplex})}\n`)
  stdio.begin()
  // The host owns interrupts (a Ctrl-C reaches the whole terminal group); go-plugin plugins ignore them too.
  process.on('SIGINT', () => {})
  if (options.exitWithParent ?? true) watchParent()
  return {version, network, address}
}
