// Orchestrates `bench`. Each row runs in a measuring process of its own (the Node runner, or its Go host in
// -rounds mode), kept warm for the whole row; its floor is loaded beside it in the same process where both are
// Node-hosted. The row and its floor then take turns in short rounds (A B, B A, A B, ...), so both see the same
// machine state, and the ratio is taken pair by pair. Cold start is paired with its floor the same way, and rows
// compared with one another (a row's `versus`) are paired while both processes are warm. A flagged ratio gets
// extra pairs within a time budget. One failing row never stops the run. A finished row's process ends while the
// next row's starts and prepares, and nothing is timed until it has ended.
import {isDemonstration, isLoadable, isMeasuredByOwnHost, isStartOnly, type MeasuredByOwnHost, type Row} from '../mechanisms/row.js'
import {distPath} from '../paths.js'
import type {LoadOptions} from '../transport/types.js'
import type {PairedRatio, RatioFigure} from '../results/figures.js'
import type {BenchRow, PayloadPoint} from '../results/types.js'
import {benchFailedWith, benchFinding, benchOk, benchSkipped} from '../results/variants.js'
import {callStats, coldStartStats} from './aggregate.js'
import type {RoundResult} from './rounds-protocol.js'
import {RoundsProcess} from './rounds-process.js'
import type {BenchSettings} from './settings.js'
import {pairedRatio, samplePairs, unsettled, type PairingPlan} from './stability.js'
import {round} from './stats.js'

export interface BenchRunHooks {
  /** Called as a row progresses. */
  onProgress?(row: Row, index: number, total: number, message: string): void
  /** Called as each row finishes, with every row measured so far (in report order): save them now. */
  onRow?(rows: BenchRow[]): void
}

/** How a row ended other than with timings: a result whole (skipped, failed, or a demonstration's finding). */
type Outcome = {row: BenchRow}

/** What has been measured of one row so far; floors gather rounds from every row paired with them. */
interface RowRecord {
  mechanism: Row
  outcome?: Outcome
  build?: {buildMs: number; cached: boolean}
  cold: number[]
  rounds: RoundResult[]
  payload: PayloadPoint[]
  loadedOnce: boolean
  rssBytes?: number
  ratios: PairedRatio[]
  notes: string[]
}

/** A row loaded in a measuring process. */
interface Subject {
  row: Row
  process: RoundsProcess
}

/** The row as the report shows it, from what was measured; undefined while nothing is. */
function rowOf(record: RowRecord): BenchRow | undefined {
  const m = record.mechanism
  if (record.outcome) return record.outcome.row
  const coldStart = coldStartStats(record.cold)
  const call = callStats(record.rounds)
  if (!coldStart && !call) return undefined
  return benchOk(m, {
    ...(coldStart ? {coldStart} : {}),
    ...(call ? {call} : {}),
    ...(record.payload.length > 0 ? {payload: record.payload} : {}),
    ...(record.rssBytes !== undefined ? {rssBytes: record.rssBytes} : {}),
    ...(m.floors?.coldStart ? {coldStartFloor: m.floors.coldStart} : {}),
    ...(record.ratios.length > 0 ? {ratios: record.ratios} : {}),
    ...(record.build ? {buildMs: round(record.build.buildMs, 1), buildCached: record.build.cached} : {}),
    notes: record.notes,
  })
}

class BenchSession {
  private readonly records = new Map<string, RowRecord>()
  private readonly homes = new Map<string, RoundsProcess>()
  private readonly shared = new Map<string, RoundsProcess>()
  private readonly loaded = new Set<string>()
  private readonly warmed = new Set<string>()
  /** Measuring processes ending while the next row's starts and prepares; awaited before anything is timed. */
  private readonly closing: Promise<void>[] = []

  constructor(
    private readonly rows: readonly Row[],
    private readonly settings: BenchSettings,
    private readonly options: LoadOptions,
    private readonly hooks: BenchRunHooks,
  ) {
    for (const row of rows) this.records.set(row.id, {mechanism: row, cold: [], rounds: [], payload: [], loadedOnce: false, ratios: [], notes: []})
  }

  private record(id: string): RowRecord {
    return this.records.get(id)!
  }

  private report(): BenchRow[] {
    return this.rows.map((row) => rowOf(this.record(row.id))).filter((row): row is BenchRow => row !== undefined)
  }

  private nodeRunner(name: string): RoundsProcess {
    return new RoundsProcess(name, {file: process.execPath, args: ['--expose-gc', distPath('src', 'measure', 'runner.js'), JSON.stringify(this.options)]})
  }

  private optionsFor(row: Row): LoadOptions {
    return isLoadable(row) && row.takesPluginPath ? this.options : {...this.options, pluginPath: undefined}
  }

  // A row that has its own host (a Go program) is started in its rounds mode, built first.
  private async hostProcess(row: Row & MeasuredByOwnHost, progress: (message: string) => void): Promise<RoundsProcess> {
    progress('build (reused when its sources and toolchain are unchanged)')
    const {command, build} = await row.benchHost(this.optionsFor(row))
    this.record(row.id).build = build
    progress(build.cached ? 'measuring (build cached)' : `measuring (built in ${(build.buildMs / 1000).toFixed(1)} s)`)
    return new RoundsProcess(`the ${row.id} host`, {...command, args: [...command.args, '-rounds']})
  }

  private retire(process: RoundsProcess): void {
    this.closing.push(process.close())
  }

  private async quiet(): Promise<void> {
    await Promise.all(this.closing.splice(0))
  }

  private async supported(row: Row): Promise<boolean> {
    const record = this.record(row.id)
    if (record.outcome) return record.outcome.row.status !== 'skipped' && record.outcome.row.status !== 'failed'
    const support = await row.detect()
    if (!support.supported) record.outcome = {row: benchSkipped(row, support.reason)}
    return support.supported
  }

  /**
   * Where a floor of `row` is measured: beside the row in its Node runner; or, for a row with its own host, in
   * a shared process (the Go floor's host, or a Node runner for the Node floors). Undefined when the floor is not
   * in this run or cannot run here.
   */
  private async floorSubject(id: string | undefined, row: Row, home: RoundsProcess): Promise<Subject | undefined> {
    const floor = id === undefined ? undefined : this.records.get(id)?.mechanism
    if (!floor || !(await this.supported(floor))) return undefined
    try {
      if (!isMeasuredByOwnHost(floor) && !isMeasuredByOwnHost(row)) return {row: floor, process: home}
      const key = isMeasuredByOwnHost(floor) ? floor.id : 'node floors'
      let process = this.shared.get(key)
      if (!process) {
        process = isMeasuredByOwnHost(floor) ? await this.hostProcess(floor, () => {}) : this.nodeRunner('the floors runner')
        this.shared.set(key, process)
      }
      return {row: floor, process}
    } catch (error) {
      this.record(floor.id).outcome ??= {row: benchFailedWith(floor, error)}
      return undefined
    }
  }

  private async load(subject: Subject): Promise<void> {
    const key = `${subject.process.name}\u0000${subject.row.id}`
    if (this.loaded.has(key)) return
    const reply = await subject.process.load(subject.row.id)
    this.loaded.add(key)
    const record = this.record(subject.row.id)
    if (!record.loadedOnce) {
      record.loadedOnce = true
      record.rssBytes = reply.rssBytes
      for (const note of reply.notes ?? []) if (!record.notes.includes(note)) record.notes.push(note)
    }
  }

  // One measured round; the first round of a plugin in a process is a warm-up, not kept.
  private async round(subject: Subject): Promise<RoundResult> {
    const key = `${subject.process.name}\u0000${subject.row.id}`
    if (!this.warmed.has(key)) {
      await subject.process.round(subject.row.id, this.settings.warmupMs)
      this.warmed.add(key)
    }
    const result = await subject.process.round(subject.row.id, this.settings.roundMs)
    this.record(subject.row.id).rounds.push(result)
    return result
  }

  private setRatio(rowId: string, ratio: PairedRatio | undefined): void {
    if (!ratio) return
    const ratios = this.record(rowId).ratios
    const at = ratios.findIndex((r) => r.figure === ratio.figure && r.against === ratio.against)
    if (at >= 0) ratios[at] = ratio
    else ratios.push(ratio)
  }

  // A floor that breaks stops being paired; the row goes on alone and the floor row says why.
  private floorBroke(subject: Subject, error: unknown): undefined {
    const record = this.record(subject.row.id)
    if (record.rounds.length === 0 && record.cold.length === 0) record.outcome ??= {row: benchFailedWith(subject.row, error)}
    else record.notes.push(`stopped being measured: ${(error as Error).message}`)
    return undefined
  }

  // Pairs of samples of a row and its comparand (see samplePairs); the ratio goes on the row.
  private async pairs(
    figure: RatioFigure,
    a: Subject,
    b: Subject | undefined,
    kind: PairedRatio['kind'],
    plan: Pick<PairingPlan, 'planned' | 'deadline' | 'minimum' | 'extra'>,
    sample: (subject: Subject) => Promise<number>,
  ): Promise<void> {
    const ratio = (aValues: readonly number[], bValues: readonly number[]) => pairedRatio(figure, b!.row.id, kind, aValues, bValues)
    const result = await samplePairs(
      {...plan, unsettled: (aValues, bValues) => unsettled(ratio(aValues, bValues))},
      () => sample(a),
      b && (() => sample(b)),
      (error) => this.floorBroke(b!, error),
    )
    if (result.paired) this.setRatio(a.row.id, ratio(result.a, result.b))
  }

  // Cold starts within their own time budget (a go-wasm start compiles its module: seconds each), at least the minimum.
  private async coldStart(row: Subject, floor: Subject | undefined): Promise<void> {
    const sample = async (subject: Subject) => {
      const ms = await subject.process.cold(subject.row.id)
      this.record(subject.row.id).cold.push(ms)
      return ms
    }
    const budget = this.settings.coldStartBudgetMs
    await this.pairs('coldStart', row, floor, 'floor', {planned: this.settings.coldStartSamples, minimum: this.settings.coldStartMinimum, deadline: Date.now() + budget, extra: {ms: budget}}, sample)
  }

  private async calls(row: Subject, against: Subject | undefined, kind: PairedRatio['kind'], extra: {ms: number}): Promise<void> {
    await this.load(row)
    if (against) {
      try {
        await this.load(against)
      } catch (error) {
        against = this.floorBroke(against, error)
      }
    }
    await this.pairs('call', row, against, kind, {planned: this.settings.rounds, extra}, async (subject) => (await this.round(subject)).medianNs)
  }

  private async payloads(row: Subject, progress: (message: string) => void): Promise<void> {
    const record = this.record(row.row.id)
    for (const bytes of this.settings.payloadSizes) {
      progress(`payload of ${bytes} bytes`)
      try {
        const result = await row.process.round(row.row.id, this.settings.payloadRoundMs, bytes)
        record.payload.push({bytes, p50Ns: result.medianNs, timing: result.batch > 1 ? 'batch-mean' : 'per-call'})
      } catch (error) {
        if ((error as {code?: string}).code === 'WRONG_ANSWER' || (error as {code?: string}).code === 'HOST_DIED') throw error
        record.notes.push(`payload ${bytes} B: ${(error as Error).message}`)
        break
      }
    }
  }

  // Every [row, against] pair the rows of this run declare (`versus`).
  private get comparisons(): [string, string][] {
    return this.rows.flatMap((row) => (row.versus ?? []).map((against): [string, string] => [row.id, against]))
  }

  // The comparisons a row takes part in whose other row is already measured and still loaded.
  private comparisonsOf(row: Row): {row: string; against: string}[] {
    return this.comparisons.filter(([a, b]) => (a === row.id || b === row.id) && this.homes.has(a === row.id ? b : a)).map(([a, b]) => ({row: a, against: b}))
  }

  private neededLater(id: string, order: readonly Row[], index: number): boolean {
    const later = new Set(order.slice(index + 1).map((m) => m.id))
    return this.comparisons.some(([a, b]) => (a === id && later.has(b)) || (b === id && later.has(a)))
  }

  private async measure(row: Row, progress: (message: string) => void): Promise<RoundsProcess | undefined> {
    const record = this.record(row.id)
    if (!(await this.supported(row))) return undefined
    if (isDemonstration(row)) {
      await this.quiet()
      record.outcome = {row: benchFinding(row, await row.demonstrate(progress))}
      return undefined
    }
    let home: RoundsProcess | undefined
    try {
      if (isMeasuredByOwnHost(row)) home = await this.hostProcess(row, progress)
      else {
        home = this.nodeRunner(`the ${row.id} runner`)
        progress('prepare')
        const build = await home.prepare(row.id)
        if (build.buildMs !== undefined) record.build = {buildMs: build.buildMs, cached: build.cached ?? false}
      }
      const self: Subject = {row, process: home}
      const coldFloor = await this.floorSubject(row.floors?.coldStart, row, home)
      await this.quiet()
      progress('cold start')
      await this.coldStart(self, coldFloor)
      // Extra pairs for a flagged call ratio share one budget per row.
      const extra = {ms: this.settings.extraRoundsMs}
      if (isStartOnly(row)) return home
      const floor = await this.floorSubject(row.floors?.call, row, home)
      const comparisons = this.comparisonsOf(row)
      // A row without a floor but compared with another row gets its rounds from that comparison.
      if (floor || comparisons.length === 0) {
        progress(floor ? `calls, paired with ${floor.row.id}` : 'calls')
        await this.calls(self, floor, 'floor', extra)
      }
      for (const comparison of comparisons) {
        progress(`calls, paired with ${comparison.row === row.id ? comparison.against : comparison.row}`)
        const subject = (id: string): Subject => (id === row.id ? self : {row: this.record(id).mechanism, process: this.homes.get(id)!})
        await this.calls(subject(comparison.row), subject(comparison.against), 'row', extra)
      }
      this.homes.set(row.id, home)
      if (row.family !== 'floor') await this.payloads(self, progress)
    } catch (error) {
      record.outcome = {row: benchFailedWith(row, error)}
      this.homes.delete(row.id)
    }
    return home
  }

  async run(): Promise<BenchRow[]> {
    const order = this.rows.filter((row) => row.family !== 'floor')
    const total = order.length
    for (const [index, row] of order.entries()) {
      const progress = (message: string) => this.hooks.onProgress?.(row, index, total, message)
      progress('starting')
      const home = await this.measure(row, progress).catch((error) => {
        this.record(row.id).outcome = {row: benchFailedWith(row, error)}
        return undefined
      })
      // Kept only while a later row is compared with it; a row that failed is compared with nothing, so its
      // process (no longer among the homes) is ended now, or it would keep the tool from exiting.
      const kept = home !== undefined && this.homes.get(row.id) === home
      if (home && !(kept && this.neededLater(row.id, order, index))) {
        if (kept) this.homes.delete(row.id)
        this.retire(home)
      }
      for (const [id, process] of this.homes) if (!this.neededLater(id, order, index)) {
        this.homes.delete(id)
        this.retire(process)
      }
      this.hooks.onRow?.(this.report())
    }
    // Floors no measured row was paired with (theirs were skipped or failed) are measured alone.
    for (const floor of this.rows.filter((row) => row.family === 'floor')) {
      const record = this.record(floor.id)
      if (record.outcome || record.cold.length > 0 || record.rounds.length > 0) continue
      const progress = (message: string) => this.hooks.onProgress?.(floor, total, total, message)
      const home = await this.measure(floor, progress).catch((error) => {
        record.outcome = {row: benchFailedWith(floor, error)}
        return undefined
      })
      if (home) this.retire(home)
      this.hooks.onRow?.(this.report())
    }
    for (const process of [...this.shared.values(), ...this.homes.values()]) this.retire(process)
    await this.quiet()
    return this.report()
  }
}

/** Measures `rows` (mechanisms followed by the floors they need) and returns them in that order. */
export async function runBench(rows: readonly Row[], settings: BenchSettings, options: LoadOptions, hooks: BenchRunHooks = {}): Promise<BenchRow[]> {
  return new BenchSession(rows, settings, options, hooks).run()
}

/** One row measured alone, without its floors: a demonstration, its own host, or the runner. */
export async function benchOne(row: Row, settings: BenchSettings, options: LoadOptions): Promise<BenchRow> {
  const [measured] = await runBench([row], settings, options)
  return measured!
}
