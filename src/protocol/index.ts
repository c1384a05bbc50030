// The public entry, `plugin-survey/go-plugin`: a HashiCorp go-plugin host and plugin SDK in TypeScript
// (docs/go-plugin-sdk.md). It loads only Node's own modules and this folder; grpc-js and proto-loader are
// imported on first use (grpcJsClient, loadProtoService).
import {startPlugin as startOnce, type HostOptions, type PluginHost} from './host.js'
import {supervisePlugin, type RestartPolicy, type SupervisedPlugin} from './supervise.js'
import type {LogEntry, Logger, LogLevel} from './hclog.js'
import {LOG_LEVELS} from './hclog.js'

export type {HandshakeConfig, HostOptions, PluginHost, ShutdownResult, StreamState} from './host.js'
export type {RestartEvent, RestartPolicy, SupervisedPlugin} from './supervise.js'
export {serve, requireCookie} from './serve.js'
export type {PluginContext, PluginServices, ServeOptions, ServedPlugin} from './serve.js'
export type {BrokerConnection, BrokeredServer, GrpcBroker, ServiceRegistration} from './broker.js'
export {BROKER_WAIT_MS} from './broker.js'
export {connectGrpc, GrpcCallError, GrpcStatus} from './grpc-client.js'
export type {CallOptions, CallStatus, ConnectOptions, GrpcClient, GrpcTarget, StreamCall} from './grpc-client.js'
export {Status} from './grpc-server.js'
export type {CallFailure, Handler, ServerCall, UnaryCallback} from './grpc-server.js'
export type {BidiStreamMethod, ClientStreamMethod, DuplexCall, ResponseStream, ServerStreamMethod, ServiceClient, UnaryMethod} from './service-client.js'
export {LOG_LEVELS, StderrLogReader, createPluginLogger, hclogTimestamp} from './hclog.js'
export type {LogEntry, Logger, LogLevel, PluginLogger, PluginLoggerOptions} from './hclog.js'
export {loadProtoService} from './proto-service.js'
export type {ProtoServiceOptions} from './proto-service.js'
export {method} from './services.js'
export {ProtoDecodeError, ProtoReader, ProtoWriter, fieldBuffer, fieldNumber, fieldString, readFields} from './wire.js'
export {formatHandshake, inspectHandshake, negotiateVersion, parseHandshake} from './handshake.js'
export type {Handshake, HandshakeAccept} from './handshake.js'
export {sha256File} from './checksum.js'
export {PluginError} from '../sample/contract.js'
export type {GroupExit} from './process-group.js'

/**
 * Starts a go-plugin plugin and connects to it. With `restart`, a supervisor keeps it running: a plugin that
 * exits is started again with backoff (see RestartPolicy), and clients dispensed from it follow the restarts.
 */
export function startPlugin(options: HostOptions & {restart: RestartPolicy}): Promise<SupervisedPlugin>
export function startPlugin(options: HostOptions & {restart?: undefined}): Promise<PluginHost>
export function startPlugin(options: HostOptions & {restart?: RestartPolicy}): Promise<PluginHost | SupervisedPlugin> {
  const {restart, ...host} = options
  return restart ? supervisePlugin(host, restart, startOnce) : startOnce(host)
}

/** A Logger that prints each entry as one text line, as hclog's default format does (e.g. on the host's stderr). */
export function textLogger(options: {level?: LogLevel; write?(line: string): void} = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info')
  const write = options.write ?? ((line: string) => void process.stderr.write(line))
  return {
    log(entry: LogEntry & {plugin: string}) {
      if (LOG_LEVELS.indexOf(entry.level) < min) return
      const name = entry.module ? `${entry.plugin}.${entry.module}` : entry.plugin
      const fields = Object.entries(entry.fields)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ')
      write(`${(entry.timestamp ?? new Date()).toISOString()} [${entry.level.toUpperCase()}] ${name}: ${entry.message}${fields ? ` ${fields}` : ''}\n`)
    },
  }
}
