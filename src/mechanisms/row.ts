// What a row of plugin-survey is: its identity and the facts the commands read (floors, where its plugin runs,
// documented platforms, the faults it takes and what each should do, how it reloads), plus only the
// capabilities it has, each a small interface, composed as go-plugin composes its own in protocol.go.
// A row is one file (src/mechanisms/<id>.ts) that fills these in; the registry (index.ts) lists it.
import type {Support} from '../core/support.js'
import type {ScaleStep} from '../core/scale-step.js'
import type {Build, Family, Finding, Placement, SurveySubject} from '../results/types.js'
import type {HostCommand, LoadedPlugin, LoadOptions} from '../transport/types.js'

export type {Build, Family, Finding, Placement, PlatformTarget, RebuildCase, SurveySubject} from '../results/types.js'

/** The platforms of the documented matrix, as the report names them. */
export const PLATFORMS = ['linux', 'darwin', 'windows', 'freebsd'] as const
export type Platform = (typeof PLATFORMS)[number]

export const EVERYWHERE: Platforms['support'] = {linux: 'yes', darwin: 'yes', windows: 'yes', freebsd: 'yes'}
export const NOT_ON_WINDOWS: Platforms['support'] = {...EVERYWHERE, windows: 'no'}

/** Every row has these: who it is, and the facts that hold whatever it can do. */
export interface Row {
  readonly id: string
  readonly family: Family
  /** What the row is, in a few words. */
  readonly title: string
  /** The floor rows, measured in the same run, this row's per-call and cold-start p50 are divided by. */
  readonly floors?: Floors
  /** Other rows this row's calls are timed against, in paired rounds while both are loaded; the ratio is reported on this row. */
  readonly versus?: readonly string[]
  readonly runs: Runs
  readonly platforms: Platforms
  /** The survey's subjects this row is, or stands in for when the subject cannot run here (report/claims.ts). */
  readonly survey?: readonly SurveyRole[]
  /** Whether the row can run on this machine; when not, a reason a person can act on. Cheap: called often. */
  detect(): Promise<Support>
}

export interface Floors {
  readonly call?: string
  readonly coldStart?: string
}

/** The language a host or plugin is written in (a wasm plugin: the language it was compiled from). */
export type Language = 'typescript' | 'go' | 'assemblyscript'

export interface Runs {
  readonly where: Placement
  readonly host: Language
  readonly plugin: Language
  /** The wire protocol between host and plugin, where it is a published one: HashiCorp go-plugin's. */
  readonly protocol?: 'go-plugin'
}

export interface Platforms {
  readonly support: Readonly<Record<Platform, 'yes' | 'no'>>
  readonly note?: string
  /** Where the support is documented: URLs a reader can check. */
  readonly sources: readonly string[]
}

export interface SurveyRole {
  readonly subject: SurveySubject
  /** `subject`: this row is the survey's mechanism itself; `counterpart`: it stands in where the subject cannot run. */
  readonly role: 'subject' | 'counterpart'
}

/** What a fault is documented to do under a row, and where that is documented. */
export interface Expectation {
  readonly hostSurvived: boolean
  /** After the fault, the host restarts the plugin where needed and the next call gets the exact answer. */
  readonly recovered: boolean
  /** The error codes a host that behaves as documented reports; empty: it notices nothing (the call answers). */
  readonly errorCodes: readonly string[]
  readonly source: string
  readonly note?: string
}

/** The faults a row takes, in the order reports show them, each with its expected outcome. */
export type Faults = Readonly<Record<string, Expectation>>

/** How a new version of the plugin replaces the running one, or why it cannot. */
export type Reload =
  | {readonly possible: false; readonly why: string}
  | {
      readonly possible: true
      /** How the careful host swaps it (crash-test's hot reload probe measures it). */
      readonly how: string
      /** Said beside the measured reload, where a reader needs it. */
      readonly note?: string
      /** The old version stays in memory after the swap (ES modules cannot be unloaded): the probe measures it. */
      readonly leavesOldModule?: boolean
    }

// The capabilities: a row implements only those it has.

/** A row whose plugin this process loads and calls (bench's runner, crash-test's Node host, the supervisor). */
export interface Loadable {
  /** load() takes `options.pluginPath`: a user's module (`--plugin`), and crash-test's fault modules. */
  readonly takesPluginPath: boolean
  load(options: LoadOptions): Promise<LoadedPlugin>
}

/** A row with a one-off build before its first load (a bundle, a compile), cached; bench reports its time. */
export interface Buildable {
  build(options: LoadOptions): Promise<Build>
}

/** A row with nothing to call: bench times only its start, up to its end (floor-spawn). */
export interface StartOnly {
  startOnce(): Promise<void>
}

/**
 * A row measured by a host of its own (the Go rows): bench starts `command` with its bench flags and reads one
 * JSON line of figures (fixtures/go/internal/harness shows the protocol).
 */
export interface MeasuredByOwnHost {
  benchHost(options: LoadOptions): Promise<{command: HostCommand; build: Build}>
}

/** A row that shows a fact instead of timing calls (go-coupling, go-plugin-platforms). Throws a PluginError when it cannot. */
export interface Demonstration {
  demonstrate(progress?: (message: string) => void): Promise<Finding>
}

/** The facts crash-test reads of a row it probes: the faults it takes, and whether and how it reloads. */
export interface CrashProbeable {
  readonly faults: Faults
  readonly reload: Reload
}

/** A probeable row whose host is not Node: the command of a throwaway host that probes one fault (docs/crash-test.md). */
export interface OwnCrashHost {
  crashHost(fault: string, options: LoadOptions): Promise<HostCommand>
}

/**
 * A row `scale` measures (docs/scale.md): whether one host can hold several of its plugins at once, and whether
 * calls in flight overlap on its transport; where not, why. Its plugin is loaded by the Node scale host
 * (Loadable) or by a host of its own (OwnScaleHost).
 */
export interface Scalable {
  readonly scale: {readonly instances: Support; readonly calls: Support}
}

/** A scalable row whose host is not Node: the command of a throwaway host that runs one scale step. */
export interface OwnScaleHost {
  scaleHost(step: ScaleStep, options: LoadOptions): Promise<HostCommand>
}

// Which capabilities a row has, asked as Go asks an interface value for another interface.

export const isLoadable = (row: Row): row is Row & Loadable => typeof (row as Partial<Loadable>).load === 'function'
export const isBuildable = (row: Row): row is Row & Buildable => typeof (row as Partial<Buildable>).build === 'function'
export const isStartOnly = (row: Row): row is Row & StartOnly => typeof (row as Partial<StartOnly>).startOnce === 'function'
export const isMeasuredByOwnHost = (row: Row): row is Row & MeasuredByOwnHost => typeof (row as Partial<MeasuredByOwnHost>).benchHost === 'function'
export const isDemonstration = (row: Row): row is Row & Demonstration => typeof (row as Partial<Demonstration>).demonstrate === 'function'
export const hasOwnScaleHost = (row: Row): row is Row & OwnScaleHost => typeof (row as Partial<OwnScaleHost>).scaleHost === 'function'
export const hasOwnCrashHost = (row: Row): row is Row & OwnCrashHost => typeof (row as Partial<OwnCrashHost>).crashHost === 'function'

/** A row crash-test can probe: it declares faults, and a host (Node's or its own) can load its plugin. */
export function isCrashProbeable(row: Row): row is Row & CrashProbeable & (Loadable | OwnCrashHost) {
  const faults = (row as Partial<CrashProbeable>).faults
  return faults !== undefined && Object.keys(faults).length > 0 && (row as Partial<CrashProbeable>).reload !== undefined && (isLoadable(row) || hasOwnCrashHost(row))
}

/** A row scale can measure: it declares how it scales, and a host (Node's or its own) can load its plugin. */
export function isScalable(row: Row): row is Row & Scalable & (Loadable | OwnScaleHost) {
  return (row as Partial<Scalable>).scale !== undefined && (isLoadable(row) || hasOwnScaleHost(row))
}

/** The fault ids a probeable row takes, in its order. */
export function faultsOf(row: CrashProbeable): string[] {
  return Object.keys(row.faults)
}
