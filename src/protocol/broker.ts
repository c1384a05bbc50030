// go-plugin's GRPCBroker (grpc_broker.go), for either side: over the one StartStream stream, a side that serves
// something under an id (acceptAndServe) listens on a new socket and sends its address as ConnInfo; the other
// side waits for that id's ConnInfo (dial, 5 s as go-plugin) and connects to it, with the same AutoMTLS
// identities as the main connection. This is how a plugin calls back a service its host serves (go-plugin's
// examples/bidirectional), and the reverse. Multiplexing over the main connection (PLUGIN_MULTIPLEX_GRPC) is not
// offered: this side never asks for it and answers a knock with an error, so the other side dials instead.
import type {ServiceDefinition} from '@grpc/grpc-js'
import {PluginError} from '../sample/contract.js'
import type {GrpcClient} from './grpc-client.js'
import {GrpcServer, type Handler, type TlsOptions} from './grpc-server.js'
import {listen, type ListenConfig} from './listen.js'
import type {TlsIdentity} from './mtls.js'
import type {ConnInfo} from './services.js'
import type {ServiceClient} from './service-client.js'

/** A service to serve: its definition and a handler per method name (grpc-js's handler shape, see grpc-server.ts). */
export interface ServiceRegistration {
  definition: ServiceDefinition
  implementation: Record<string, Handler>
}

/** How long `dial` waits for the other side's address, and how long an address nobody dials is kept (go-plugin: 5 s). */
export const BROKER_WAIT_MS = 5000

export interface BrokeredServer {
  readonly id: number
  readonly address: string
  /** Stops serving (open calls are ended). Safe to call more than once. */
  close(): Promise<void>
}

export interface BrokerConnection {
  readonly id: number
  /** The lean client of this connection. */
  readonly client: GrpcClient
  /** A typed client of a service the other side serves under this id. */
  dispense<S extends ServiceDefinition>(definition: S): ServiceClient<S>
  close(): void
}

export interface GrpcBroker {
  /** A fresh id to serve something under (1, 2, ...). */
  nextId(): number
  /** Listens on a new socket, serves `services` there, and tells the other side its address under `id`. */
  acceptAndServe(id: number, services: ServiceRegistration[]): Promise<BrokeredServer>
  /** Connects to what the other side serves under `id`, once it has sent the address (within `timeoutMs`, default 5 s). */
  dial(id: number, options?: {timeoutMs?: number}): Promise<BrokerConnection>
  /** Closes every brokered server and connection of this broker; the stream is the host's to end. */
  close(): Promise<void>
}

/** What the broker needs from its side: how to send on the stream, where to listen, and the TLS material. */
export interface BrokerTransport {
  send(info: ConnInfo): void
  listen: ListenConfig
  /** This side's certificate, and the other side's to trust (AutoMTLS); absent without TLS. */
  tls?: {identity: TlsIdentity; peerCertPem: string}
}

interface Waiting {
  info?: ConnInfo
  expiry?: NodeJS.Timeout
  waiters: Array<(info: ConnInfo) => void>
}

export class Broker implements GrpcBroker {
  private lastId = 0
  private readonly pending = new Map<number, Waiting>()
  private readonly servers = new Set<BrokeredServer>()
  private readonly connections = new Set<BrokerConnection>()
  private closed = false

  constructor(private readonly transport: BrokerTransport) {}

  nextId(): number {
    this.lastId = (this.lastId + 1) >>> 0
    return this.lastId
  }

  /** A ConnInfo from the other side's stream. */
  receive(info: ConnInfo): void {
    if (info.knock?.knock && !info.knock.ack) {
      this.transport.send({serviceId: info.serviceId, network: '', address: '', knock: {knock: true, ack: true, error: 'this side does not multiplex brokered connections: dial its address instead'}})
      return
    }
    const entry = this.entry(info.serviceId)
    const waiter = entry.waiters.shift()
    if (waiter) return waiter(info)
    entry.info = info
    // Nobody picked it up in time: forget it, as go-plugin's timeoutWait does.
    entry.expiry = setTimeout(() => this.pending.delete(info.serviceId), BROKER_WAIT_MS)
    entry.expiry.unref()
  }

  private entry(id: number): Waiting {
    let entry = this.pending.get(id)
    if (entry === undefined) {
      entry = {waiters: []}
      this.pending.set(id, entry)
    }
    return entry
  }

  async acceptAndServe(id: number, services: ServiceRegistration[]): Promise<BrokeredServer> {
    if (this.closed) throw new PluginError('BROKER_CLOSED', 'the broker is closed')
    const server = new GrpcServer()
    for (const service of services) server.addService(service.definition, service.implementation)
    const tls: TlsOptions | undefined = this.transport.tls && {key: this.transport.tls.identity.keyPem, cert: this.transport.tls.identity.certPem, ca: this.transport.tls.peerCertPem}
    const {network, address} = await listen(server, this.transport.listen, tls)
    let closing: Promise<void> | undefined
    const served: BrokeredServer = {
      id,
      address,
      close: () => {
        closing ??= server.close().then(() => void this.servers.delete(served))
        return closing
      },
    }
    this.servers.add(served)
    this.transport.send({serviceId: id, network, address})
    return served
  }

  async dial(id: number, options: {timeoutMs?: number} = {}): Promise<BrokerConnection> {
    if (this.closed) throw new PluginError('BROKER_CLOSED', 'the broker is closed')
    const timeoutMs = options.timeoutMs ?? BROKER_WAIT_MS
    const entry = this.entry(id)
    const info = await new Promise<ConnInfo>((resolve, reject) => {
      if (entry.info) {
        clearTimeout(entry.expiry)
        return resolve(entry.info)
      }
      const timer = setTimeout(() => {
        entry.waiters = entry.waiters.filter((w) => w !== got)
        reject(new PluginError('BROKER_TIMEOUT', `timeout waiting for connection info: the other side sent no address for broker id ${id} within ${timeoutMs} ms`))
      }, timeoutMs)
      const got = (received: ConnInfo) => {
        clearTimeout(timer)
        resolve(received)
      }
      entry.waiters.push(got)
    })
    this.pending.delete(id)
    if (info.network !== 'unix' && info.network !== 'tcp') throw new PluginError('BROKER_ADDRESS', `unknown address type: ${info.address} (network ${JSON.stringify(info.network)})`)
    const tls = this.transport.tls
    // The client side is loaded on the first dial: a plugin that never dials starts without it.
    const [{connectGrpc}, {serviceClient}] = await Promise.all([import('./grpc-client.js'), import('./service-client.js')])
    const client = await connectGrpc({network: info.network, address: info.address, serverCertPem: tls?.peerCertPem}, {identity: tls?.identity, timeoutMs})
    const connection: BrokerConnection = {
      id,
      client,
      dispense: (definition) => serviceClient(definition, () => client),
      close: () => {
        this.connections.delete(connection)
        client.close()
      },
    }
    this.connections.add(connection)
    return connection
  }

  async close(): Promise<void> {
    this.closed = true
    for (const entry of this.pending.values()) clearTimeout(entry.expiry)
    this.pending.clear()
    for (const connection of [...this.connections]) connection.close()
    await Promise.all([...this.servers].map((server) => server.close()))
  }
}
