// Hand-built reports for renderer tests: fixed figures, so output can be compared exactly.
import {callStats, coldStartStats} from '../../src/measure/aggregate.js'
import {LogHistogram} from '../../src/measure/histogram.js'
import {SCHEMA_VERSION, type CallStats, type CrashRowProbed, type PairedRatio, type SurveyReport} from '../../src/results/types.js'

/** Call figures of one round in which every call took `p50Ns`. */
export function testCall(p50Ns: number, batch = 1): CallStats {
  return callStats([{count: 100, batch, medianNs: p50Ns, meanNs: p50Ns, histogram: LogHistogram.of(Array(100).fill(p50Ns)).toJSON()}])!
}

/** A steady ratio against a floor (or, with kind 'row', another row), from 12 equal rounds. */
export function testRatio(figure: PairedRatio['figure'], against: string, median: number, kind: PairedRatio['kind'] = 'floor'): PairedRatio {
  return {figure, against, kind, median, low: median, high: median, confidence: 0.9614, rounds: Array(12).fill(median), flags: []}
}

/** A report of a small test machine holding only `sections` (bench, crash, ...). */
export function testReport(sections: Partial<SurveyReport>): SurveyReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: {name: 'plugin-survey', version: '0.0.0'},
    host: {os: 'linux', arch: 'x64', release: '6', node: '20.20.2', go: null, cpuModel: 'cpu', cpuCount: 2, memoryBytes: 1, container: false},
    startedAt: '2026-11-30T00:00:00.000Z',
    ...sections,
  }
}

/** A probed crash cell where the host survived and recovered, as expected, unless `fields` say otherwise. */
export function crashRow(fields: Omit<Partial<CrashRowProbed>, 'expected'> & Pick<CrashRowProbed, 'mechanism' | 'fault'> & {expected?: Partial<CrashRowProbed['expected']>}): CrashRowProbed {
  return {
    family: 'node',
    status: 'ok',
    hostSurvived: true,
    recovered: true,
    orphans: 0,
    asExpected: true,
    codeAsExpected: true,
    ...fields,
    expected: {hostSurvived: true, recovered: true, errorCodes: [], ...fields.expected},
  }
}

export function handBuiltBenchReport(): SurveyReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: {name: 'plugin-survey', version: '0.1.0'},
    host: {os: 'linux', arch: 'x64', release: '6.1.0', node: '20.20.2', go: '1.26.8', cpuModel: 'Test CPU', cpuCount: 2, memoryBytes: 25_000_000_000, container: true},
    startedAt: '2026-11-30T06:00:00.000Z',
    finishedAt: '2026-11-30T06:00:10.000Z',
    bench: [
      {
        mechanism: 'in-process',
        family: 'node',
        status: 'ok',
        floor: 'floor-direct-call',
        coldStart: coldStartStats([0.356, 0.9, 0.34, 0.36, 0.35])!,
        call: testCall(51.2, 977),
        payload: [
          {bytes: 1024, p50Ns: 221, timing: 'batch-mean'},
          {bytes: 1048576, p50Ns: 240, timing: 'batch-mean'},
        ],
        rssBytes: 131072,
        ratios: [testRatio('call', 'floor-direct-call', 1.02)],
      },
      {
        mechanism: 'child-rpc',
        family: 'node',
        status: 'ok',
        floor: 'floor-unix-socket',
        coldStartFloor: 'floor-spawn',
        coldStart: coldStartStats([55.7, 61, 54, 56, 55.2, 57])!,
        // Bimodal, as IPC round trips are on an idle 2-core machine: 60% of calls at 15 µs, 40% at 110 µs.
        call: callStats([{count: 100, batch: 1, medianNs: 15_000, meanNs: 53_000, histogram: LogHistogram.of([...Array(60).fill(15_000), ...Array(40).fill(110_000)]).toJSON()}])!,
        payload: [
          {bytes: 1024, p50Ns: 65_600, timing: 'per-call'},
          {bytes: 1048576, p50Ns: 7_820_000, timing: 'per-call'},
        ],
        ratios: [
          {figure: 'coldStart', against: 'floor-spawn', kind: 'floor', median: 1.14, low: 0.8, high: 1.6, confidence: 0.9688, rounds: [0.8, 1.6, 1.1, 1.18, 0.9, 1.3], flags: [{code: 'wide-interval', widthFactor: 2}]},
          testRatio('call', 'floor-unix-socket', 1.09),
        ],
      },
      {mechanism: 'go-stdlib-plugin', family: 'go', status: 'skipped', reason: 'go not found on PATH: install Go >= 1.26 to measure the go-* rows'},
      {mechanism: 'compiled-in', family: 'node', status: 'failed', reason: 'wrong answer: expected "A", got "B"', errorCode: 'WRONG_ANSWER'},
      {mechanism: 'go-coupling', family: 'go', title: 'a Go plugin built against a shared module at v1.1.0, opened by a host built against v1.0.0', status: 'finding', finding: 'plugin.Open("coupling-plugin-v1.1.0"): plugin was built with a different version of package github.com/plugin-survey/skew'},
      {mechanism: 'floor-spawn', family: 'floor', status: 'ok', coldStart: coldStartStats([48.9, 50, 48, 49.2, 48.5, 49])!},
    ],
  }
}

/**
 * A markdown report without the platform-matrix lines of mechanisms no machine tried. Those lines follow the
 * registry, not the report's data, so every new row would change every snapshot; report-render.test.ts checks
 * on its own that the matrix lists every mechanism of the registry.
 */
export function withoutUntriedRows(markdown: string): string {
  let inMatrix = false
  let machines = 0
  return markdown
    .split('\n')
    .filter((line) => {
      if (line.startsWith('## ')) inMatrix = line === '## Platform support'
      if (!inMatrix || !line.startsWith('| ')) return true
      if (line.startsWith('| mechanism |')) machines = line.split(' | ').filter((cell) => cell.startsWith('detected: ')).length
      const detected = line.split(' | ').slice(5, 5 + machines)
      return !(line.startsWith('| `') && machines > 0 && detected.every((cell) => cell === 'not tried'))
    })
    .join('\n')
}

/** The HTML page without the platform-table rows of mechanisms no machine tried (as withoutUntriedRows for the markdown). */
export function withoutUntriedHtmlRows(html: string): string {
  return html.replace(/<tr>\n(?:<td>[^\n]*<\/td>\n)+<\/tr>\n/g, (row) => {
    const cells = row.split('\n').filter((line) => line.startsWith('<td>'))
    const marks = cells.slice(1, 5)
    const detected = cells.slice(5, -1)
    const untried = cells[0]!.startsWith('<td><code>') && marks.every((cell) => cell.includes('class="mark')) && detected.length > 0 && detected.every((cell) => cell === '<td>not tried</td>')
    return untried ? '' : row
  })
}
