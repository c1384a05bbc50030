// crash-test's probes of go-plugin beyond the fault matrix, each on go-plugin's own Go host and plugin (the
// survey's subject): app-version negotiation (and the TypeScript host beside it), a hot reload with go-plugin's
// public API, orphans with and without a parent watch, logging, and terminals. Each returns a row of data.
import {hotReloadWithGoHost, loggingThroughGoHost, negotiateWithGoHost, terminalsThroughGoHost} from '../../go/goplugin-survey.js'
import {detectGo} from '../../go/toolchain.js'
import type {Row} from '../../mechanisms/row.js'
import type {HotReloadRow, LoggingRow, OrphanRow, TerminalRow, UnmeasuredRow, VersionRow} from '../../results/types.js'
import {failed, orphansCounted, refOf, reloadMeasured, skipped} from '../../results/variants.js'
import {errorLine} from '../../sample/contract.js'
import {negotiateWithTsHost} from '../version-negotiation.js'
import {holdAndKill, ORPHAN_SUBJECTS} from './go-plugin-orphans.js'
import {canCountOrphans} from './orphans.js'
import type {CrashSettings} from './settings.js'

/** The rows whose host negotiates app versions here: go-plugin's Go host, and the TypeScript host. */
const VERSION_HOSTS: Readonly<Record<string, 'go-plugin' | 'typescript'>> = {'go-hashicorp': 'go-plugin', 'ts-host-go-plugin': 'typescript'}

/** The row whose host is go-plugin's own: logging, terminals and the hot reload are its. */
export const GO_PLUGIN_ROW = 'go-hashicorp'

export const hasVersionProbe = (mechanism: Row) => mechanism.id in VERSION_HOSTS
export const hasGoPluginOrphanProbe = (mechanism: Row) => ORPHAN_SUBJECTS.some((s) => s.mechanism === mechanism.id)

type Unmeasured<U> = (status: 'skipped' | 'failed', reason: string) => U

const unmeasuredRow =
  (mechanism: string): Unmeasured<UnmeasuredRow> =>
  (status, reason) => ({mechanism, status, reason})

/** Runs `measure` where Go is available; a skipped row without Go, a failed row when it throws. */
async function withGo<T, U>(unmeasured: Unmeasured<U>, measure: () => Promise<T>): Promise<T | U> {
  const go = detectGo()
  if (!go.supported) return unmeasured('skipped', go.reason)
  try {
    return await measure()
  } catch (error) {
    return unmeasured('failed', errorLine(error))
  }
}

export function probeVersions(mechanism: Row): Promise<VersionRow> {
  const host = VERSION_HOSTS[mechanism.id]!
  return withGo(unmeasuredRow(mechanism.id), async () => {
    const {offered, cases} = host === 'go-plugin' ? await negotiateWithGoHost() : await negotiateWithTsHost()
    return {mechanism: mechanism.id, status: 'ok' as const, host, offered, cases}
  })
}

export function probeLogging(): Promise<LoggingRow> {
  return withGo(unmeasuredRow(GO_PLUGIN_ROW), async () => ({mechanism: GO_PLUGIN_ROW, status: 'ok' as const, ...(await loggingThroughGoHost())}))
}

export function probeTerminals(): Promise<TerminalRow> {
  return withGo(unmeasuredRow(GO_PLUGIN_ROW), async () => {
    const terminals = await terminalsThroughGoHost()
    if (!terminals.ran) return {mechanism: GO_PLUGIN_ROW, status: 'skipped' as const, reason: terminals.reason}
    const {ran: _ran, ...seen} = terminals
    return {mechanism: GO_PLUGIN_ROW, status: 'ok' as const, ...seen}
  })
}

/** go-hashicorp's hot reload: go-plugin's host swaps build 1 of the docs plugin for build 2 while calls stream. */
export function probeGoPluginReload(mechanism: Row, settings: CrashSettings): Promise<HotReloadRow> {
  const ref = refOf(mechanism)
  const unmeasured: Unmeasured<HotReloadRow> = (status, reason) => (status === 'skipped' ? skipped(ref, reason) : failed(ref, reason))
  return withGo(unmeasured, async (): Promise<HotReloadRow> => {
    const r = await hotReloadWithGoHost({streams: settings.reloadStreams, beforeMs: settings.reloadBeforeMs, afterMs: settings.reloadAfterMs})
    return reloadMeasured(ref, {
      reloadMs: r.swapMs,
      killOldMs: r.killOldMs,
      calls: r.calls,
      failedCalls: r.failedCalls,
      errorCodes: r.errors ?? [],
      answeredByOld: r.answeredByOld,
      answeredByNew: r.answeredByNew,
      countedBy: 'answer',
      oldPid: r.oldPid,
      newPid: r.newPid,
      oldProcessExited: r.oldProcessExited,
      notes: [
        `go-plugin has no reload of its own (go-plugin#31): the host started a new Client with build ${r.newBuild}, sent new calls to it, then Killed the old Client (build ${r.oldBuild})`,
      ],
    })
  })
}

/** go-plugin's host SIGKILLed holding the row's plugin, with and without the plugin's parent watch. */
export async function probeGoPluginOrphans(mechanism: Row, settings: CrashSettings): Promise<OrphanRow[]> {
  const subjects = ORPHAN_SUBJECTS.filter((s) => s.mechanism === mechanism.id)
  const go = detectGo()
  const unavailable = !canCountOrphans ? `leftover processes cannot be counted on ${process.platform}` : !go.supported ? go.reason : undefined
  const refFor = (parentWatch: boolean) => ({...refOf(mechanism), parentWatch})
  if (unavailable) return subjects.map(({parentWatch}) => skipped(refFor(parentWatch), unavailable))
  const rows: OrphanRow[] = []
  for (const subject of subjects) {
    const ref = refFor(subject.parentWatch)
    const held = await holdAndKill(subject, settings).catch((error) => ({ran: false as const, reason: errorLine(error)}))
    if (!held.ran) {
      rows.push(failed(ref, held.reason))
      continue
    }
    const counted = {pluginProcesses: held.pluginProcesses, orphans: held.orphans}
    rows.push(
      held.orphans === 0
        ? orphansCounted(ref, {...counted, goneWithinMs: held.goneWithinMs})
        : orphansCounted(ref, {...counted, notes: [`still alive ${settings.orphanGraceMs} ms after go-plugin's host was killed: pids ${held.orphanPids.join(', ')} (killed by crash-test)`]}),
    )
  }
  return rows
}
