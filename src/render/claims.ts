// The words of the survey's claims: each claim's statement, what it is said of, its rule, each finding and
// what would measure a claim not measurable here, from the data report/claims returns.
import {
  CALL_LIKE_MAX_RATIO,
  CROSS_PLATFORM_MIN_OS,
  NATURAL_MAX_RATIO,
  RUNTIME_FAULTS,
  SLOWER_MIN_RATIO,
  type ClaimData,
  type ClaimId,
  type ClaimResult,
  type FaultEnd,
  type Finding,
  type Missing,
  type Need,
} from '../report/claims/index.js'
import {formatMs, formatNs, formatRatio} from './format.js'
import {describeTerminals, describeVersionCase} from './crash-words.js'

const code = (id: string) => `\`${id}\``
const quote = (text: string) => `"${text}"`
const faultSet = RUNTIME_FAULTS.join(', ')

interface ClaimText {
  /** The survey's own words. */
  claim: string
  about: string
  rule: string
}

const STDLIB = 'Go stdlib plugin'
const GO_PLUGIN = 'HashiCorp go-plugin'
const COMPILED_IN = 'Kubernetes scheduler-framework style (compiled in)'
const LINE_RULE = 'author lines as counted from the fixtures by the rule under “What each author writes”'

export const CLAIM_TEXT: Readonly<Record<ClaimId, ClaimText>> = {
  'in-stdlib': {claim: 'in the golang stdlib', about: STDLIB, rule: 'confirmed when the author code of `go-stdlib-plugin` imports no module outside the standard library; refuted when it needs one'},
  'simple-and-sparse': {claim: 'simple and sparse', about: STDLIB, rule: `confirmed when \`go-stdlib-plugin\` takes the fewest plugin-author plus host-author lines of the three Go mechanisms (${LINE_RULE}); refuted when another takes fewer`},
  'high-performance': {
    claim: 'high performance, just calling functions',
    about: STDLIB,
    rule: `confirmed when the per-call p50 of \`go-stdlib-plugin\` is within ${CALL_LIKE_MAX_RATIO}x of a plain Go call (\`floor-go-direct-call\`, or \`go-compiled-in\`); refuted when it is more; \`in-process\` (Node) only adds evidence`,
  },
  'crash-main-loop': {
    claim: 'plugins can crash the main loop',
    about: STDLIB,
    rule: `confirmed when a fault kills the host of \`go-stdlib-plugin\`; refuted when its host lives through every runtime fault (${faultSet}); not measurable while any of those was not tried. \`in-process\` and \`compiled-in\` only add evidence`,
  },
  'unix-only': {
    claim: 'Linux, FreeBSD and macOS only',
    about: STDLIB,
    rule: "on attempts only, never on the documented list: confirmed when the Go toolchain (`go-plugin-platforms`) refuses -buildmode=plugin for windows and takes it for linux, darwin and freebsd, or when `go-stdlib-plugin` ran on one of those and the toolchain refused it on a Windows machine; refuted when it ran on another platform or was refused on one of those",
  },
  'same-environment': {
    claim: 'plugin and host must be built in the exact same environment',
    about: STDLIB,
    rule: "confirmed when `go-coupling`'s plugin, built against another version of a shared module than its host, is refused by plugin.Open; refuted when it loads",
  },
  'feels-natural': {
    claim: 'writing plugins feels natural because you are talking to a golang interface',
    about: GO_PLUGIN,
    rule: `confirmed when a go-plugin plugin author writes at most ${NATURAL_MAX_RATIO}x the lines of a compiled-in plugin, which implements a plain Go interface (${LINE_RULE}); refuted when more`,
  },
  'cross-platform': {
    claim: 'cross-platform',
    about: GO_PLUGIN,
    rule: `from the merged machines: confirmed when \`go-hashicorp\` ran on at least ${CROSS_PLATFORM_MIN_OS} operating systems and failed on none it was tried on; refuted when it failed on one`,
  },
  'cross-language': {
    claim: 'cross-language ("just gRPC over a socket")',
    about: GO_PLUGIN,
    rule: "confirmed when go-plugin's Go plugin answers the TypeScript host (`ts-host-go-plugin`) and go-plugin's Go host the TypeScript plugin (`go-host-ts-plugin`) with the exact sample answer; refuted when one fails",
  },
  'logging-preserved': {
    claim: 'logging preserved',
    about: GO_PLUGIN,
    rule: "confirmed when the plugin's hclog line at WARN reaches go-plugin's Go host logger at WARN, in a logger named after the plugin's executable (`host.<plugin>`); refuted when it is missing, at another level or under another name",
  },
  'stdio-preserved': {
    claim: 'stdout/stderr preserved',
    about: GO_PLUGIN,
    rule: "confirmed when, in `go-hashicorp`'s `stdio-lines` cell, exactly as many marked lines reach the host on stdout and on stderr as the plugin wrote (one per call) while the calls answer; refuted when a line is lost or the calls break. The TypeScript rows only add evidence",
  },
  'ttys-preserved': {
    claim: 'even TTYs are transparently preserved',
    about: GO_PLUGIN,
    rule: "go-plugin's Go host run under a pseudo-terminal: confirmed when its plugin, in a call, sees a terminal on stdin, stdout and stderr as the host does; refuted when one of them is not a terminal to the plugin",
  },
  versioned: {
    claim: 'plugins are versioned',
    about: GO_PLUGIN,
    rule: "go-plugin's Go host offering app versions [1, 2] (VersionedPlugins): confirmed when a plugin serving [1] runs on 1, one serving [1, 2] negotiates 2 (its answer says 2 served it), and one serving [3] is refused with go-plugin's \"incompatible API version\"; refuted otherwise. The TypeScript host against the same plugin only adds evidence",
  },
  'cannot-crash-host': {
    claim: 'plugins cannot crash the main program',
    about: GO_PLUGIN,
    rule: `confirmed when go-plugin's Go host (\`go-hashicorp\`) lives through the whole runtime fault set (${faultSet}); refuted when one fault kills it; not measurable while any of those was not tried. The TypeScript rows only add evidence`,
  },
  'hot-reload': {
    claim: 'plugins can be hot-reloaded',
    about: GO_PLUGIN,
    rule: "go-plugin has no reload of its own (go-plugin#31): the host does it with go-plugin's public API (a new Client with the new build, then Kill of the old) while calls stream. Confirmed when calls were answered by the old build, then by the new one (each answer names its build), and none failed; refuted when calls failed or the new build never answered. The TypeScript rows' reloads (told apart by the host's generation count) only add evidence",
  },
  'slower-than-library': {
    claim: 'slower than in-process calls',
    about: GO_PLUGIN,
    rule: `confirmed when the per-call p50 of \`go-hashicorp\` is at least ${SLOWER_MIN_RATIO}x that of \`go-stdlib-plugin\` (where no stdlib plugin ran: \`go-compiled-in\`); refuted when less. \`child-grpc\` against \`in-process\` only adds evidence`,
  },
  'simple-no-magic': {
    claim: 'simple interface, no real magic',
    about: COMPILED_IN,
    rule: `confirmed when \`go-compiled-in\` takes fewer plugin-author plus host-author lines than \`go-hashicorp\` and imports no module outside the standard library (${LINE_RULE}); refuted otherwise`,
  },
  'compile-whole-binary': {
    claim: 'you must compile the whole binary yourself',
    about: COMPILED_IN,
    rule: "`go-rebuild`: each Go host built once, then its plugin's source changed. Confirmed when the change reached `go-compiled-in` only through a rebuilt host binary (another sha256); refuted when the host was not rebuilt or its rebuilt binary did not answer anew. The stdlib-plugin and go-plugin hosts, which load the rebuilt plugin unchanged, are the contrast",
  },
  'no-prebuilt-host': {
    claim: 'you cannot use a pre-packaged host binary',
    about: COMPILED_IN,
    rule: '`go-rebuild`: confirmed when the compiled-in host binary built before the change still answers as before (no pre-built host takes a new plugin), while the pre-built stdlib-plugin and go-plugin hosts answer with the changed plugin; refuted when the pre-built compiled-in host answered anew',
  },
}

const NEEDS: Readonly<Record<Need, string>> = {
  bench: 'no bench rows for it: run `plugin-survey bench` (or `report` without --from)',
  'crash-test': 'no crash-test cells for it: run `plugin-survey crash-test`',
  'crash-test-features': 'no go-plugin feature probe: run `plugin-survey crash-test` with `go-hashicorp` (Go on PATH), without --no-features',
  'hot-reload': 'no hot-reload result: run `plugin-survey crash-test` with `go-hashicorp` (Go on PATH), without --no-hot-reload',
  go: 'needs the Go fixtures and Go on PATH',
  'go-coupling': 'no `go-coupling` row: it needs Go with cgo on Linux, macOS or FreeBSD (`plugin-survey bench -m go-coupling`)',
  'platform-attempts': 'nothing was tried that decides it: run `plugin-survey bench -m go-plugin-platforms` (Go on PATH), or merge runs of a Windows and a Linux/macOS/FreeBSD machine with `report --from`',
  'other-os': `go-hashicorp ran on fewer than ${CROSS_PLATFORM_MIN_OS} operating systems: merge runs from other machines with \`report --from\``,
  'runtime-faults': 'not every runtime fault was tried',
  pty: 'no pseudo-terminal probe: run `plugin-survey crash-test` with `go-hashicorp` where python3 or `script` is installed',
  rebuild: 'no `go-rebuild` row: run `plugin-survey bench -m go-rebuild` (Go on PATH)',
}

/** What would measure a claim of `subject` that could not be judged here. */
export function describeMissing(missing: Missing, subject: string): string {
  if (missing.needs === 'runtime-faults') return `to judge it, try every runtime fault (${missing.notTried?.join(', ') ?? faultSet} not tried): run \`plugin-survey crash-test -m ${subject}\` without --fault`
  return NEEDS[missing.needs]
}

const faultEnds = (ends: readonly FaultEnd[]) => {
  const died = ends.filter((e) => !e.hostSurvived)
  const how = (e: FaultEnd) => `${e.fault}${e.exitCode !== undefined ? ` (exit ${e.exitCode})` : e.signal ? ` (${e.signal})` : ''}`
  return died.length > 0 ? `the host died on ${died.map(how).join(', ')} (${died.length} of ${ends.length} faults)` : `the host survived all ${ends.length} faults (${ends.map((e) => e.fault).join(', ')})`
}


type Describe = {[K in ClaimId]: (data: ClaimData[K]) => string}

const DESCRIBE: Describe = {
  'in-stdlib': (d) => (d.thirdParty.length === 0 ? 'imports only the standard library' : `imports ${d.thirdParty.map(code).join(', ')}`),
  'simple-and-sparse': (d) => `plugin + host author lines: ${d.counts.map((c) => `${code(c.mechanism)} ${c.pluginLines} + ${c.hostLines}`).join(', ')}`,
  'high-performance': (d) =>
    `p50 ${formatNs(d.p50Ns)}${d.batchMean ? ' batch mean' : ''}, ${formatRatio(d.ratio)} of ${code(d.against)}${d.paired ? ' in paired rounds' : ''}${d.againstP50Ns !== undefined ? ` (${formatNs(d.againstP50Ns)})` : ''}`,
  'crash-main-loop': (d) => faultEnds(d.ends),
  'unix-only': (d) =>
    d.kind === 'ran'
      ? `ran on ${d.os}`
      : d.kind === 'refused'
        ? `the toolchain refused it on ${d.os}: ${quote(d.message)}`
        : `go build -buildmode=plugin: ${d.targets.map((t) => `${t.target} ${t.outcome}`).join(', ')}`,
  'same-environment': (d) => (d.refused ? `plugin.Open refused the skewed plugin: ${quote(d.message)}` : `the skewed plugin loaded: ${d.message}`),
  'feels-natural': (d) => `a plugin author writes ${d.pluginLines} lines, ${formatRatio(d.ratio)} the ${d.baselineLines} of ${code(d.baseline)}'s plugin`,
  'cross-platform': (d) => [`ran on ${d.ranOn.join(', ') || 'none'}`, ...d.failedOn.map((f) => `failed on ${f.os}: ${f.reason}`)].join('; '),
  'cross-language': (d) => (d.status === 'ok' ? `answered exactly, p50 ${formatNs(d.p50Ns)}` : `failed: ${d.reason}`),
  'logging-preserved': (d) => (d.found ? `the WARN line arrived at level ${d.level ?? '?'} in logger ${code(d.module ?? '?')} (expected ${d.expectedLevel} in ${code(d.expectedModule)})` : "the plugin's WARN line never reached the host's logger"),
  'stdio-preserved': (d) => {
    const arrived = `${d.stdoutLines} stdout and ${d.stderrLines} stderr lines reached the host${d.sent !== undefined ? ` of ${d.sent} written on each` : ' (how many were written is not recorded)'}`
    return d.answered ? `${arrived}, and the calls answered` : `${arrived}, but the calls broke${d.errorCode ? ` (${d.errorCode})` : ''}`
  },
  'ttys-preserved': (d) => `under ${d.pty}, ${describeTerminals(d)}`,
  versioned: (d) => `${d.host === 'go-plugin' ? "go-plugin's Go host" : 'the TypeScript host'} offering [${d.offered.join(', ')}]: ${d.cases.map(describeVersionCase).join('; ')}`,
  'cannot-crash-host': (d) => `${faultEnds(d.ends)}${d.notTried.length > 0 ? `; not tried: ${d.notTried.join(', ')}` : ''}`,
  'hot-reload': (d) =>
    `${d.calls} calls: ${d.answeredByOld} answered by the old version, ${d.answeredByNew} by the new (told apart by ${d.countedBy === 'answer' ? 'what each answer says served it' : "the host's generation count"}), ${d.failedCalls} failed${d.reloadMs !== undefined ? `; swap ${formatMs(d.reloadMs)}` : ''}${d.killOldMs !== undefined ? `, Kill of the old ${formatMs(d.killOldMs)}` : ''}`,
  'slower-than-library': (d) =>
    d.paired
      ? `${formatRatio(d.factor)} ${code(d.library)} in paired rounds (p50 ${formatNs(d.p50Ns)} and ${formatNs(d.libraryP50Ns)})`
      : `p50 ${formatNs(d.p50Ns)}, ${formatRatio(d.factor)} the ${code(d.library)} p50 ${formatNs(d.libraryP50Ns)}`,
  'simple-no-magic': (d) =>
    `${d.compiledIn.pluginLines} + ${d.compiledIn.hostLines} plugin + host author lines${d.compiledIn.thirdParty.length ? `, importing ${d.compiledIn.thirdParty.join(', ')}` : ', standard library only'}; ${code(d.goPlugin.mechanism)} ${d.goPlugin.pluginLines} + ${d.goPlugin.hostLines}`,
  'compile-whole-binary': (d) => withContrast(d.cases, rebuildCase),
  'no-prebuilt-host': (d) => withContrast(d.cases, prebuiltCase),
}

type RebuildCase = ClaimData['compile-whole-binary']['cases'][number]

// The compiled-in case the finding is of, then the other hosts as the contrast, each named.
function withContrast(cases: readonly RebuildCase[], describe: (c: RebuildCase) => string): string {
  const [own, ...others] = [...cases].sort((a, b) => Number(b.rebuilt === 'host') - Number(a.rebuilt === 'host'))
  return [own ? describe(own) : '', others.length ? `beside it ${others.map((c) => `${code(c.mechanism)} ${describe(c)}`).join(', ')}` : ''].filter(Boolean).join('; ')
}

function rebuildCase(c: RebuildCase): string {
  const hash = c.hostHashAfter === c.hostHashBefore ? `same host binary (sha256 ${c.hostHashBefore})` : `host binary ${c.hostHashBefore} → ${c.hostHashAfter}`
  return `rebuilt the ${c.rebuilt} (${formatMs(c.rebuildMs)}), ${hash}`
}

function prebuiltCase(c: RebuildCase): string {
  return `the pre-built host ${c.answerAfter === c.answerBefore ? 'still answered the old way' : `answered ${quote(c.answerAfter)}`}`
}

export function describeFinding<K extends ClaimId>(id: K, finding: Finding<K>): string {
  const where = finding.machine ? `${finding.machine}, ` : ''
  const added = finding.subject ? '' : ' (added evidence, not deciding)'
  return `${where}${code(finding.mechanism)}: ${(DESCRIBE[id] as (data: ClaimData[K]) => string)(finding.data)}${added}`
}

/** A claim in words: the statement, its subject, its rule, and the evidence (the deciding findings first). */
export interface ClaimWords extends ClaimText {
  id: ClaimId
  verdict: ClaimResult['verdict']
  evidence: string[]
}

export function claimWords(result: ClaimResult): ClaimWords {
  const ordered = [...result.findings].sort((a, b) => Number(b.subject) - Number(a.subject))
  const evidence = ordered.map((f) => describeFinding(result.id, f as Finding<typeof result.id>))
  if (result.missing) evidence.push(describeMissing(result.missing, result.subject))
  return {id: result.id, ...CLAIM_TEXT[result.id], verdict: result.verdict, evidence}
}
