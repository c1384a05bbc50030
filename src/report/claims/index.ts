// The survey's claims, each judged by a rule that can refute it, on the mechanism the survey says it of. The
// data (verdicts, findings, what is missing) is here; render/claims.ts writes the words.
import {countAuthoring, type Authoring} from '../authoring.js'
import type {Machine} from '../merge.js'
import {compileWholeBinary, noPrebuiltHost, simpleNoMagic} from './compiled-in.js'
import {cannotCrashHost, crossLanguage, crossPlatform, feelsNatural, hotReload, loggingPreserved, slowerThanLibrary, stdioPreserved, ttysPreserved, versioned} from './go-plugin.js'
import {evaluate} from './judge.js'
import {crashesMainLoop, highPerformance, inStdlib, sameEnvironment, simpleAndSparse, unixOnly} from './stdlib.js'
import type {Claim, ClaimResult} from './types.js'

export type {ClaimData, ClaimId, ClaimResult, FaultEnd, Finding, Missing, Need, Verdict} from './types.js'
export {CALL_LIKE_MAX_RATIO, RUNTIME_FAULTS} from './stdlib.js'
export {CROSS_PLATFORM_MIN_OS, NATURAL_MAX_RATIO, SLOWER_MIN_RATIO} from './go-plugin.js'

/** In the survey's order: the stdlib plugin, go-plugin, then the compiled-in style. */
export const CLAIMS: readonly Claim[] = [
  inStdlib,
  simpleAndSparse,
  highPerformance,
  crashesMainLoop,
  unixOnly,
  sameEnvironment,
  feelsNatural,
  crossPlatform,
  crossLanguage,
  loggingPreserved,
  stdioPreserved,
  ttysPreserved,
  versioned,
  cannotCrashHost,
  hotReload,
  slowerThanLibrary,
  simpleNoMagic,
  compileWholeBinary,
  noPrebuiltHost,
]

export function evaluateClaims(machines: readonly Machine[], authoring: readonly Authoring[] = countAuthoring()): ClaimResult[] {
  return CLAIMS.map((claim) => evaluate(claim, {machines, authoring}))
}
