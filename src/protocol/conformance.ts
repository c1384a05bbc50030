// `probe`: a conformance check of any go-plugin plugin, in any language. Each check is data (pass, warn,
// fail, skip) with what was seen, so the command renders a table or JSON and exits by the overall verdict.
// A check fails only where go-plugin's own host (v1.8.0, client.go and grpc_client.go) would fail with the
// plugin, or where go-plugin's guide for non-Go plugins requires it (health); what a Go host tolerates
// (no GRPCStdio, no GRPCBroker, no GRPCController, a plugin it must kill) is a warning saying what will not work.
import {performance} from 'node:perf_hooks'
import {round} from '../core/numbers.js'
import {PluginError} from '../sample/contract.js'
import {MISSING_COOKIE_TEXT, type HandshakeWait} from './await-handshake.js'
import {startPlugin, type HandshakeConfig, type PluginHost, type ShutdownResult} from './host.js'
import {groupLeftovers, spawnInGroup} from './process-group.js'

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip'

export interface ConformanceCheck {
  id: string
  status: CheckStatus
  detail: string
  ms?: number
}

export interface ConformanceReport {
  command: string[]
  passed: boolean
  checks: ConformanceCheck[]
  startMs?: number
  shutdownMs?: number
  leftBehind?: number[]
}

export interface ProbeOptions {
  command: string
  args: string[]
  handshake: HandshakeConfig
  appVersions: number[]
  autoMTLS?: boolean
  startTimeoutMs?: number
  /** How long the stdio and broker streams must stay open to count as served. */
  settleMs?: number
}

const UNIMPLEMENTED = 12
const roundMs = (ms: number) => round(ms, 1)

// Without the cookie a go-plugin plugin must refuse to run: exit 1 with its message on stderr.
async function checkCookie(options: ProbeOptions): Promise<ConformanceCheck> {
  const env = {...process.env}
  delete env[options.handshake.magicCookieKey]
  const plugin = spawnInGroup(options.command, options.args, env as Record<string, string>, {extendEnv: false})
  const timer = setTimeout(() => void plugin.kill(), 5000)
  const exit = await plugin.exited
  clearTimeout(timer)
  plugin.signal('SIGKILL')
  if (exit.spawnError) return {id: 'cookie', status: 'fail', detail: `the command could not be started: ${exit.spawnError}`}
  if (exit.signal === 'SIGKILL') return {id: 'cookie', status: 'warn', detail: 'without the magic cookie it kept running for 5 s: go-plugin plugins exit 1 at once'}
  const said = plugin.stderrTail().includes(MISSING_COOKIE_TEXT)
  if (exit.exitCode === 1 && said) return {id: 'cookie', status: 'pass', detail: "without the magic cookie it exits 1 with go-plugin's message"}
  return {id: 'cookie', status: 'warn', detail: `without the magic cookie it exited with code ${exit.exitCode ?? exit.signal}${said ? '' : " and without go-plugin's message"}`}
}

function handshakeChecks(trace: HandshakeWait, error?: PluginError): ConformanceCheck[] {
  const checks: ConformanceCheck[] = []
  if (trace.noise.length > 0) checks.push({id: 'stdout-before-handshake', status: 'fail', detail: `printed before the handshake: ${JSON.stringify(trace.noise[0].slice(0, 120))}`})
  if (trace.line === undefined) {
    checks.push({id: 'handshake', status: 'fail', detail: error ? `${error.code}: ${error.message.split('\n')[0]}` : 'no handshake line'})
    return checks
  }
  for (const field of trace.inspection?.fields ?? []) {
    checks.push({id: `handshake.${field.field}`, status: field.ok ? 'pass' : 'fail', detail: field.ok ? field.value : `${field.value}: ${field.message?.split('\n')[0]}`})
  }
  if (trace.inspection?.error?.code === 'HANDSHAKE_UNRECOGNIZED' && trace.noise.length === 0) {
    checks.push({id: 'handshake', status: 'fail', detail: `not a handshake line: ${JSON.stringify(trace.line.slice(0, 120))}`})
  }
  return checks
}

async function streamChecks(host: PluginHost, settleMs: number): Promise<ConformanceCheck[]> {
  await new Promise((resolve) => setTimeout(resolve, settleMs))
  const {stdio, broker} = host.streams()
  const ended = (state: {code: number; details: string}) => `ended with gRPC status ${state.code}${state.code === UNIMPLEMENTED ? ' (UNIMPLEMENTED)' : ''}: ${state.details}`
  return [
    // go-plugin's host logs a warning when GRPCStdio is unimplemented and goes on (grpc_stdio.go).
    stdio.open
      ? {id: 'stdio', status: 'pass', detail: 'GRPCStdio.StreamStdio stream open'}
      : {id: 'stdio', status: 'warn', detail: `GRPCStdio.StreamStdio ${ended(stdio)}: a go-plugin host still runs it, but the plugin's stdout and stderr after the handshake do not reach the host (SyncStdout/SyncStderr)`},
    // go-plugin's host starts the broker stream as `_ = brokerGRPCClient.StartStream()`: its failure is ignored.
    broker.open
      ? {id: 'broker', status: 'pass', detail: 'GRPCBroker.StartStream stream open'}
      : {id: 'broker', status: 'warn', detail: `GRPCBroker.StartStream ${ended(broker)}: a go-plugin host still runs it, but brokered connections (GRPCBroker Dial/AcceptAndServe, e.g. examples/bidirectional) will not work`},
  ]
}

function shutdownChecks(shutdown: ShutdownResult): ConformanceCheck[] {
  const ms = roundMs(shutdown.durationMs)
  const controller = shutdown.controller
  const checks: ConformanceCheck[] = [
    controller === undefined || controller.code === 0
      ? {id: 'controller', status: 'pass', detail: 'GRPCController.Shutdown answered OK'}
      : {id: 'controller', status: 'warn', detail: `GRPCController.Shutdown failed with gRPC status ${controller.code}: ${controller.details}; a go-plugin host ignores that and kills the plugin after 2 s`},
  ]
  checks.push(
    shutdown.graceful
      ? {id: 'shutdown', status: 'pass', detail: `exited ${shutdown.exit.signal ?? `with code ${shutdown.exit.exitCode}`} ${ms} ms after GRPCController.Shutdown`, ms}
      : {id: 'shutdown', status: 'warn', detail: `did not exit within the 2 s grace period after GRPCController.Shutdown and was killed after ${ms} ms, as a go-plugin host kills it`, ms},
  )
  return checks
}

/** Runs every check against the plugin command. Never throws: failures are checks. */
export async function probePlugin(options: ProbeOptions): Promise<ConformanceReport> {
  const checks: ConformanceCheck[] = [await checkCookie(options)]
  const trace: HandshakeWait = {noise: []}
  const report: ConformanceReport = {command: [options.command, ...options.args], passed: false, checks}
  const started = performance.now()
  let host: PluginHost
  try {
    host = await startPlugin({...options, trace, startTimeoutMs: options.startTimeoutMs ?? 10_000, onStdio: () => {}})
  } catch (error) {
    const e = error as PluginError
    checks.push(...handshakeChecks(trace, e))
    // After a good handshake line, the start failed connecting or at the first health check.
    if (trace.inspection && !trace.inspection.error) checks.push({id: e.code?.startsWith('PING_') ? 'health' : 'connect', status: 'fail', detail: `${e.code ?? 'ERROR'}: ${e.message}`})
    else if (!checks.some((c) => c.status === 'fail')) checks.push({id: 'start', status: 'fail', detail: `${e.code ?? 'ERROR'}: ${e.message}`})
    report.leftBehind = trace.pid ? await groupLeftovers(trace.pid) : []
    checks.push(leftovers(report.leftBehind))
    return report
  }
  report.startMs = roundMs(performance.now() - started)
  checks.push(...handshakeChecks(trace))
  checks.push({id: 'start', status: 'pass', detail: `handshake after ${roundMs(trace.handshakeMs ?? 0)} ms, healthy after ${report.startMs} ms`, ms: report.startMs})
  checks.push({id: 'health', status: 'pass', detail: 'grpc.health.v1 Check("plugin") is SERVING'})
  checks.push(...(await streamChecks(host, options.settleMs ?? 300)))
  const shutdown = await host.shutdown()
  report.shutdownMs = roundMs(shutdown.durationMs)
  checks.push(...shutdownChecks(shutdown))
  report.leftBehind = await groupLeftovers(host.pid)
  checks.push(leftovers(report.leftBehind))
  report.passed = checks.every((c) => c.status !== 'fail')
  return report
}

// A go-plugin host kills only the plugin's pid and never looks for what it started: leftovers are a warning.
function leftovers(pids: number[]): ConformanceCheck {
  return pids.length === 0
    ? {id: 'left-behind', status: 'pass', detail: 'no process of the plugin left behind'}
    : {id: 'left-behind', status: 'warn', detail: `${pids.length} process(es) of the plugin's group still running after it was stopped: ${pids.join(', ')} (a go-plugin host, which kills only the pid, would leave them too)`}
}
