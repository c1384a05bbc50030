// Hand-built reports for renderer tests: fixed figures, so output can be compared exactly.
import type {CrashRow, SurveyReport} from '../../src/report/types.js'

/** A report of a small test machine holding only `sections` (bench, crash, ...). */
export function testReport(sections: Partial<SurveyReport>): SurveyReport {
  return {
    schemaVersion: 1,
    tool: {name: 'plugin-survey', version: '0.0.0'},
    host: {os: 'linux', arch: 'x64', release: '6', node: '20.20.2', go: null, cpuModel: 'cpu', cpuCount: 2, memoryBytes: 1, container: false},
    startedAt: '2026-11-30T00:00:00.000Z',
    ...sections,
  }
}

/** A crash cell where the host survived and recovered, as expected, unless `fields` say otherwise. */
export function crashRow(fields: Partial<CrashRow> & Pick<CrashRow, 'mechanism' | 'fault'>): CrashRow {
  return {
    family: 'node',
    status: 'ok',
    hostSurvived: true,
    recovered: true,
    orphans: 0,
    expected: {hostSurvived: true, recovered: true},
    asExpected: true,
    ...fields,
  }
}

export function handBuiltBenchReport(): SurveyReport {
  return {
    schemaVersion: 1,
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
        coldStart: {p50Ms: 0.356, p99Ms: 0.9, meanMs: 0.4, samples: 5},
        call: {p50Ns: 51.2, p99Ns: 80, meanNs: 55, opsPerSec: 18_181_818, rmePct: 0.4, samples: 3000, batch: 977},
        payload: [
          {bytes: 1024, p50Ns: 221},
          {bytes: 1048576, p50Ns: 240},
        ],
        rssBytes: 131072,
        overheadRatio: 1.02,
        notes: ['calls timed in batches of 977: p99 is that of batch means'],
      },
      {
        mechanism: 'child-rpc',
        family: 'node',
        status: 'ok',
        floor: 'floor-unix-socket',
        coldStartFloor: 'floor-spawn',
        coldStart: {p50Ms: 55.7, p99Ms: 61, meanMs: 56, samples: 5},
        call: {p50Ns: 58_700, p99Ns: 373_000, meanNs: 69_000, opsPerSec: 14_493, rmePct: 2.1, samples: 6000, batch: 1},
        payload: [
          {bytes: 1024, p50Ns: 65_600},
          {bytes: 1048576, p50Ns: 7_820_000},
        ],
        rssBytes: 45_400_000,
        overheadRatio: 1.09,
        coldStartRatio: 1.14,
      },
      {mechanism: 'go-stdlib-plugin', family: 'go', status: 'skipped', reason: 'go not found on PATH: install Go >= 1.26 to measure the go-* rows'},
      {mechanism: 'compiled-in', family: 'node', status: 'failed', reason: 'wrong answer: expected "A", got "B"', errorCode: 'WRONG_ANSWER'},
      {mechanism: 'go-coupling', family: 'go', status: 'ok', finding: 'plugin.Open("coupling-plugin-v1.1.0"): plugin was built with a different version of package github.com/plugin-survey/skew'},
      {mechanism: 'floor-spawn', family: 'floor', status: 'ok', coldStart: {p50Ms: 48.9, p99Ms: 50, meanMs: 49, samples: 5}},
    ],
  }
}
