// The data of a claim's verdict: which claim, the verdict, and the findings it rests on as numbers and ids.
// The words (the survey's statement, the rule, each finding) are render/claims.ts's.
import type {Authoring} from '../authoring.js'
import type {Machine} from '../merge.js'
import type {PlatformTarget, RebuildCase, StreamTerminals, VersionCase} from '../../results/types.js'

export type Verdict = 'confirmed' | 'refuted' | 'not measurable'

/** How a fault ended for a host: it survived (with the code it saw, if any) or died. */
export interface FaultEnd {
  fault: string
  hostSurvived: boolean
  errorCode?: string
  exitCode?: number
  signal?: string
}

/** Per claim, the data of one finding. */
export interface ClaimData {
  'in-stdlib': {thirdParty: string[]}
  'simple-and-sparse': {counts: Authoring[]}
  /** `batchMean`: the p50 is of batch means (calls below the timer's resolution timed together). `paired`: the ratio is the median of rounds paired in one run. */
  'high-performance': {p50Ns: number; batchMean: boolean; against: string; againstP50Ns?: number; ratio: number; paired: boolean; maxRatio: number}
  'crash-main-loop': {ends: FaultEnd[]}
  'unix-only':
    | {kind: 'ran'; os: string}
    | {kind: 'refused'; os: string; message: string}
    | {kind: 'toolchain'; targets: PlatformTarget[]}
  'same-environment': {refused: boolean; message: string}
  'feels-natural': {pluginLines: number; baseline: string; baselineLines: number; ratio: number; maxRatio: number}
  'cross-platform': {ranOn: string[]; failedOn: {os: string; reason: string}[]; minOs: number}
  'cross-language': {status: 'ok' | 'failed'; p50Ns?: number; reason?: string}
  'logging-preserved': {found: boolean; level?: string; module?: string; expectedLevel: string; expectedModule: string}
  'stdio-preserved': {sent?: number; stdoutLines: number; stderrLines: number; answered: boolean; errorCode?: string}
  'ttys-preserved': {pty: string; host: StreamTerminals; plugin: StreamTerminals}
  versioned: {host: 'go-plugin' | 'typescript'; offered: number[]; cases: VersionCase[]}
  'cannot-crash-host': {ends: FaultEnd[]; notTried: string[]}
  'hot-reload': {calls: number; answeredByOld: number; answeredByNew: number; failedCalls: number; reloadMs?: number; killOldMs?: number; countedBy: 'answer' | 'generation'}
  'slower-than-library': {library: string; p50Ns: number; libraryP50Ns: number; factor: number; paired: boolean; minFactor: number}
  'simple-no-magic': {compiledIn: Authoring; goPlugin: Authoring}
  'compile-whole-binary': {cases: RebuildCase[]}
  'no-prebuilt-host': {cases: RebuildCase[]}
}

export type ClaimId = keyof ClaimData

/**
 * One finding: on a machine (absent for what is counted from the fixtures, or judged over all machines), of a
 * mechanism. `subject` findings decide the verdict; the others (counterparts, the TypeScript rows) are shown
 * beside them and never decide.
 */
export interface Finding<K extends ClaimId = ClaimId> {
  machine?: string
  mechanism: string
  subject: boolean
  verdict: Verdict
  data: ClaimData[K]
}

/** What would measure a claim that could not be judged here. */
export type Need =
  | 'bench'
  | 'crash-test'
  | 'crash-test-features'
  | 'hot-reload'
  | 'go'
  | 'go-coupling'
  | 'platform-attempts'
  | 'other-os'
  | 'runtime-faults'
  | 'pty'
  | 'rebuild'

export interface Missing {
  needs: Need
  /** runtime-faults: the faults of the set that did not run. */
  notTried?: string[]
}

export type ClaimResult = {
  [K in ClaimId]: {id: K; subject: string; verdict: Verdict; findings: Finding<K>[]; missing?: Missing}
}[ClaimId]

/** Everything a claim is judged from: the merged machines, and what is counted from the fixtures. */
export interface ClaimInput {
  machines: readonly Machine[]
  authoring: readonly Authoring[]
}

export interface Claim<K extends ClaimId = ClaimId> {
  id: K
  /** The mechanism the survey says it of: the one whose findings decide. */
  subject: string
  judge(input: ClaimInput): {findings: Finding<K>[]; missing?: Missing}
}
