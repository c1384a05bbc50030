// The handshake line a go-plugin plugin prints on stdout: CORE|APP|NETWORK|ADDR|PROTOCOL|SERVERCERT[|MUX].
// The host checks it in go-plugin's order (client.go, Client.Start) and fails with the same messages.
import {PluginError} from '../sample/contract.js'
import {parseCertField} from './mtls.js'

export const CORE_PROTOCOL_VERSION = 1

export interface Handshake {
  coreVersion: number
  appVersion: number
  network: 'unix' | 'tcp'
  address: string
  protocol: string
  /** The plugin's certificate (PEM) when it answered AutoMTLS. */
  serverCertPem?: string
  /** The seventh field, present only when the host asked for broker multiplexing. */
  multiplex?: boolean
}

/** What a host accepts: the app protocol versions it offers, and the RPC protocols it speaks. */
export interface HandshakeAccept {
  appVersions: readonly number[]
  protocols: readonly string[]
}

export interface FieldCheck {
  field: 'core' | 'app' | 'network' | 'address' | 'protocol' | 'cert' | 'multiplex'
  value: string
  ok: boolean
  message?: string
}

export interface HandshakeInspection {
  fields: FieldCheck[]
  handshake?: Handshake
  error?: PluginError
}

const UNRECOGNIZED_HINT =
  'This usually means the plugin was not compiled for this architecture, is missing libraries it needs, ' +
  'is not executable by this process, or did not speak the go-plugin handshake (it must print ' +
  '`1|<app version>|unix|<socket>|grpc|` as its first line on stdout).'

/** Every field of a handshake line checked, in go-plugin's order; the first failure is `error`. */
export function inspectHandshake(rawLine: string, accept: HandshakeAccept): HandshakeInspection {
  const line = rawLine.trim()
  const parts = line.split('|')
  const fields: FieldCheck[] = []
  if (parts.length < 4) {
    return {fields, error: new PluginError('HANDSHAKE_UNRECOGNIZED', `Unrecognized remote plugin message: ${line}\n${UNRECOGNIZED_HINT}`)}
  }
  let error: PluginError | undefined
  const check = (field: FieldCheck['field'], value: string, problem?: PluginError) => {
    fields.push({field, value, ok: problem === undefined, message: problem?.message})
    error ??= problem
  }

  const core = Number(parts[0])
  check(
    'core',
    parts[0],
    !/^\d+$/.test(parts[0])
      ? new PluginError('HANDSHAKE_CORE_VERSION', `error parsing core protocol version: ${JSON.stringify(parts[0])} is not a number`)
      : core !== CORE_PROTOCOL_VERSION
        ? new PluginError(
            'HANDSHAKE_CORE_VERSION',
            `incompatible core API version with plugin. Plugin version: ${parts[0]}, Core version: ${CORE_PROTOCOL_VERSION}\n\n` +
              'To fix this, the plugin usually only needs to be recompiled.\nPlease report this to the plugin author.',
          )
        : undefined,
  )
  const app = Number(parts[1])
  check(
    'app',
    parts[1],
    !/^\d+$/.test(parts[1])
      ? new PluginError('HANDSHAKE_APP_VERSION', `Error parsing protocol version ${JSON.stringify(parts[1])}: not a number`)
      : !accept.appVersions.includes(app)
        ? new PluginError('HANDSHAKE_APP_VERSION', `incompatible API version with plugin. Plugin version: ${app}, Client versions: [${accept.appVersions.join(' ')}]`)
        : undefined,
  )
  const network = parts[2]
  check('network', network, network === 'unix' || network === 'tcp' ? undefined : new PluginError('HANDSHAKE_NETWORK', `Unknown address type: ${parts[3]}`))
  check('address', parts[3], parts[3] === '' ? new PluginError('HANDSHAKE_NETWORK', 'the handshake names no address') : undefined)
  // go-plugin: a line without the fifth field is a net/rpc plugin.
  const protocol = parts.length >= 5 ? parts[4] : 'netrpc'
  check(
    'protocol',
    protocol,
    accept.protocols.includes(protocol) ? undefined : new PluginError('HANDSHAKE_PROTOCOL', `unsupported plugin protocol ${JSON.stringify(protocol)}. Supported: [${accept.protocols.join(' ')}]`),
  )
  let serverCertPem: string | undefined
  // go-plugin only treats the sixth field as a certificate when it is longer than 50 characters.
  if (parts.length >= 6 && parts[5].length > 50) {
    try {
      serverCertPem = parseCertField(parts[5])
      check('cert', `${parts[5].slice(0, 16)}...`)
    } catch (cause) {
      check('cert', `${parts[5].slice(0, 16)}...`, new PluginError('HANDSHAKE_SERVER_CERT', `error parsing server cert: ${(cause as Error).message}`, {cause}))
    }
  }
  let multiplex: boolean | undefined
  if (parts.length >= 7) {
    multiplex = parts[6] === 'true'
    check('multiplex', parts[6], parts[6] === 'true' || parts[6] === 'false' ? undefined : new PluginError('HANDSHAKE_MULTIPLEX', `error parsing ${JSON.stringify(parts[6])} as a boolean for gRPC broker multiplexing support`))
  }
  if (error) return {fields, error}
  return {fields, handshake: {coreVersion: core, appVersion: app, network: network as 'unix' | 'tcp', address: parts[3], protocol, serverCertPem, multiplex}}
}

/** The handshake, or the first problem with it as a PluginError with a HANDSHAKE_* code. */
export function parseHandshake(line: string, accept: HandshakeAccept): Handshake {
  const inspection = inspectHandshake(line, accept)
  if (inspection.error) throw inspection.error
  return inspection.handshake!
}

/** Whether a stdout line is shaped like a handshake, to tell noise before a handshake from a bad handshake. */
export function looksLikeHandshake(line: string): boolean {
  return /^\d+\|\d+\|(unix|tcp)\|[^|]+\|/.test(line.trim())
}

export function formatHandshake(h: {appVersion: number; network: string; address: string; protocol: string; cert?: string; multiplex?: boolean}): string {
  const line = [CORE_PROTOCOL_VERSION, h.appVersion, h.network, h.address, h.protocol, h.cert ?? ''].join('|')
  return h.multiplex === undefined ? line : `${line}|${h.multiplex}`
}

/** The environment's PLUGIN_PROTOCOL_VERSIONS as numbers (invalid entries skipped, as go-plugin does). */
export function offeredVersions(env: string | undefined): number[] {
  return (env ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
}

/** go-plugin's negotiation: the plugin's highest version the host also offers, else its lowest. */
export function negotiateVersion(pluginVersions: readonly number[], hostVersions: readonly number[]): number {
  const mine = [...pluginVersions].sort((a, b) => b - a)
  return mine.find((v) => hostVersions.includes(v)) ?? mine[mine.length - 1]
}
