import {Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {mechanisms} from '../mechanisms/index.js'
import {runCrashTest} from '../measure/crash/crash-test.js'
import {faultsOf, isCrashProbeable} from '../mechanisms/row.js'
import {DEFAULT_CRASH_SETTINGS, type CrashSettings} from '../measure/crash/settings.js'
import {renderCrashTable} from '../render/crash-table.js'
import {Progress} from '../render/progress.js'
import {useColor} from '../render/style.js'
import {newReport, saveReport} from '../report/report.js'
import type {SurveyReport} from '../results/types.js'

export default class CrashTest extends SurveyCommand {
  static override description = `Make the sample plugin misbehave on purpose under every mechanism, and report what its host lives through.

Each (mechanism, fault) cell runs in a throwaway host process behind a careful host (start and call timeouts, kill on a hang, restart with backoff): did the host survive (or its exit code or signal), which error it saw, how fast, whether the next call after a restart got the exact sample answer, and whether any process was left behind. Every cell is compared with its documented expectation. Then hot reload (a new plugin version swapped in while calls stream: the swap time and failed calls) and orphans (the host killed with SIGKILL while its plugin runs). A crashing plugin is a finding: the exit code is 0 unless the tool itself failed.`

  static override examples = [
    '<%= config.bin %> crash-test',
    '<%= config.bin %> crash-test --mechanism child-rpc --fault hang --fault oom',
    '<%= config.bin %> crash-test --json --out crash.json',
    '<%= config.bin %> crash-test --no-hot-reload --no-orphans --timeout 500',
  ]

  static override flags = {
    mechanism: Flags.string({char: 'm', multiple: true, description: 'probe only this mechanism (repeatable)'}),
    fault: Flags.string({char: 'f', multiple: true, description: 'inject only this fault (repeatable)'}),
    timeout: Flags.integer({min: 50, max: 600_000, default: DEFAULT_CRASH_SETTINGS.callTimeoutMs, description: 'per-call timeout of the careful host, in ms (how long hang and never take to notice)'}),
    'start-timeout': Flags.integer({min: 100, max: 600_000, default: DEFAULT_CRASH_SETTINGS.startTimeoutMs, description: 'start timeout of the careful host, in ms'}),
    'heap-mb': Flags.integer({min: 16, max: 65_536, default: DEFAULT_CRASH_SETTINGS.heapLimitMb, description: "heap cap of the plugin's thread, process or QuickJS engine (and of an in-process host), in MiB"}),
    'hot-reload': Flags.boolean({default: true, allowNo: true, description: 'swap in a new plugin version while calls stream, per mechanism'}),
    orphans: Flags.boolean({default: true, allowNo: true, description: 'kill each host with SIGKILL while its plugin runs, and count what survives'}),
    features: Flags.boolean({
      default: true,
      allowNo: true,
      description: "with go-hashicorp and ts-host-go-plugin: go-plugin's app-version negotiation (both hosts), where a plugin's log line lands, and what a plugin sees of a terminal",
    }),
    out: Flags.string({char: 'o', description: 'also write the JSON report to this file, updated after every probe'}),
  }

  async run(): Promise<SurveyReport> {
    const {flags} = await this.parse(CrashTest)
    const candidates = mechanisms.filter(isCrashProbeable)
    const validMechanisms = candidates.map((m) => m.id)
    const unknownMechanisms = (flags.mechanism ?? []).filter((id) => !validMechanisms.includes(id))
    if (unknownMechanisms.length > 0) this.usageError(`unknown mechanism ${unknownMechanisms.join(', ')}: use one of ${validMechanisms.join(', ')}`)
    const chosen = flags.mechanism === undefined ? candidates : candidates.filter((m) => flags.mechanism!.includes(m.id))
    const validFaults = [...new Set(candidates.flatMap((m) => faultsOf(m)))]
    const unknownFaults = (flags.fault ?? []).filter((id) => !validFaults.includes(id))
    if (unknownFaults.length > 0) this.usageError(`unknown fault ${unknownFaults.join(', ')}: use one of ${validFaults.join(', ')}`)
    const chosenFaults = [...new Set(chosen.flatMap((m) => faultsOf(m)))]
    const untaken = (flags.fault ?? []).filter((id) => !chosenFaults.includes(id))
    if (untaken.length > 0) this.usageError(`${untaken.join(', ')} is not a fault of ${chosen.map((m) => m.id).join(', ')}: use one of ${chosenFaults.join(', ')}, or choose a mechanism that takes it`)

    const settings: CrashSettings = {...DEFAULT_CRASH_SETTINGS, callTimeoutMs: flags.timeout, startTimeoutMs: flags['start-timeout'], heapLimitMb: flags['heap-mb']}
    const report = newReport({...settings, mechanisms: chosen.map((m) => m.id), faults: flags.fault ?? 'all'})
    const progress = new Progress(process.stderr)
    const results = await runCrashTest(
      {mechanisms: chosen, faults: flags.fault ?? [], settings, hotReload: flags['hot-reload'], orphans: flags.orphans, features: flags.features},
      {
        onProgress: (message) => progress.update(message),
        onResult: (partial) => {
          Object.assign(report, partial)
          if (flags.out) saveReport(flags.out, report)
        },
      },
    )
    progress.done()
    Object.assign(report, results)
    report.finishedAt = new Date().toISOString()
    if (flags.out) saveReport(flags.out, report)
    if (!this.jsonEnabled()) this.log(renderCrashTable(report, {color: useColor()}).trimEnd())
    return report
  }
}
