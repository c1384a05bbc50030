// Orphans as go-plugin leaves them: go-plugin's own Go host (fixtures/go/goplugin/survey -mode hold) holding a
// plugin is killed with SIGKILL, and what its plugin does then is the plugin's own doing (go-plugin#10). Each
// plugin twice: as go-plugin's docs write one (no parent watch), and with the parent watch this project adds.
import {lastLinesOf} from '../../transport/stderr-buffer.js'
import {buildDocPlugin, holdingHost} from '../../go/goplugin-survey.js'
import {buildGoPluginPlugin} from '../../mechanisms/ts-host-go-plugin.js'
import {CHILD_HEAP_MB} from '../../transport/child-process.js'
import {pluginEntry} from '../../paths.js'
import {PARENT_WATCH_VARIABLE} from '../../sample/faults.js'
import type {HostCommand} from '../../transport/types.js'
import {runHost} from './host-run.js'
import {probeDeadlineMs, type CrashSettings} from './settings.js'

/** Which plugin the killed go-plugin host held. */
export interface OrphanSubject {
  /** The row whose plugin it is: the Go plugin (go-hashicorp) or the TypeScript SDK's (go-host-ts-plugin). */
  mechanism: 'go-hashicorp' | 'go-host-ts-plugin'
  /** Whether the plugin watches its parent and exits when it is gone. */
  parentWatch: boolean
}

export const ORPHAN_SUBJECTS: readonly OrphanSubject[] = [
  {mechanism: 'go-hashicorp', parentWatch: false},
  {mechanism: 'go-hashicorp', parentWatch: true},
  {mechanism: 'go-host-ts-plugin', parentWatch: false},
  {mechanism: 'go-host-ts-plugin', parentWatch: true},
]

export async function holdCommand(subject: OrphanSubject): Promise<HostCommand> {
  if (subject.mechanism === 'go-hashicorp') {
    // The docs plugin is go-plugin's behaviour; fixtures/go/goplugin/plugin is the same sample with the watch.
    const plugin = subject.parentWatch ? await buildGoPluginPlugin() : await buildDocPlugin()
    return holdingHost(plugin.binary)
  }
  const command = await holdingHost(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, pluginEntry('grpc-sample-plugin')])
  return subject.parentWatch ? command : {...command, env: {[PARENT_WATCH_VARIABLE]: 'off'}}
}

export type HeldOrphans =
  | {ran: true; pluginProcesses: number; orphans: number; orphanPids: number[]; goneWithinMs?: number}
  | {ran: false; reason: string}

/** Starts go-plugin's host with the subject's plugin, SIGKILLs the host 100 ms after it announced the plugin, and counts what is left. */
export async function holdAndKill(subject: OrphanSubject, settings: CrashSettings): Promise<HeldOrphans> {
  const run = await runHost(await holdCommand(subject), {deadlineMs: probeDeadlineMs(settings), killAfterRunningMs: 100, orphanGraceMs: settings.orphanGraceMs})
  const running = run.events.find((e) => e.event === 'running')
  if (running?.event !== 'running' || !run.killed) {
    const failed = run.events.find((e) => e.event === 'failed')
    const reason = failed?.event === 'failed' ? `${failed.code}: ${failed.message}` : `go-plugin's host ended before it could be killed: ${lastLinesOf(run.stderr, 2) || 'no output'}`
    return {ran: false, reason}
  }
  return {ran: true, pluginProcesses: running.pids.length, orphans: run.orphans, orphanPids: run.orphanPids, goneWithinMs: run.orphans === 0 ? run.goneWithinMs : undefined}
}
