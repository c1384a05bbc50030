import {describe, expect, it} from 'vitest'
import {summarizeCalls} from '../src/measure/scale/concurrent-calls.js'
import {descendants, linuxTreeMemory, parentOf, processTreeMemory, psTreeMemory, type ProcFiles} from '../src/measure/scale/process-tree.js'
import {instancesMemory, treeMemoryMeasured, treeMemoryNotMeasured} from '../src/results/scale.js'

// A /proc as the Linux reader sees it: pid -> {ppid, pss, rss} in kB; `undefined` files have vanished.
function fakeProc(processes: Record<number, {ppid: number; comm?: string; pssKb?: number; rssKb?: number}>, options: {rollup?: boolean} = {}): ProcFiles {
  const files = new Map<string, string>()
  for (const [pid, p] of Object.entries(processes)) {
    files.set(`/proc/${pid}/stat`, `${pid} (${p.comm ?? 'node'}) S ${p.ppid} ${pid} ${pid} 0 -1 4194560 1234 0 0 0`)
    if (p.rssKb !== undefined) files.set(`/proc/${pid}/status`, `Name:\tnode\nVmPeak:\t  999999 kB\nVmRSS:\t  ${p.rssKb} kB\nThreads:\t7\n`)
    if (options.rollup !== false && p.pssKb !== undefined) {
      files.set(`/proc/${pid}/smaps_rollup`, `00400000-7fff [rollup]\nRss:              ${p.rssKb ?? 0} kB\nPss:              ${p.pssKb} kB\nPss_Anon:          1 kB\n`)
    }
  }
  return {list: () => ['self', 'cpuinfo', ...Object.keys(processes), 'sys'], read: (file) => files.get(file)}
}

describe('memory of a process tree', () => {
  it('reads the parent pid after the last parenthesis, whatever the command name holds', () => {
    expect(parentOf('4242 (node) S 17 4242 4242 0')).toBe(17)
    expect(parentOf('4242 (my (odd) name) S 99 4242')).toBe(99)
    expect(parentOf('no parenthesis')).toBeUndefined()
  })

  it('finds every descendant, root first, and nothing outside the tree', () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 11],
      [20, 1],
      [21, 20],
    ])
    expect(descendants(10, parents)).toEqual([10, 11, 12, 13])
    expect(descendants(21, parents)).toEqual([21])
  })

  it('sums Pss over the host and all its descendants (children and grandchildren), not its siblings', () => {
    const proc = fakeProc({
      1: {ppid: 0, pssKb: 5000, rssKb: 9000},
      100: {ppid: 1, pssKb: 40_000, rssKb: 60_000},
      101: {ppid: 100, pssKb: 20_000, rssKb: 45_000},
      102: {ppid: 100, comm: 'go plugin (v2)', pssKb: 8000, rssKb: 12_000},
      103: {ppid: 101, pssKb: 1000, rssKb: 3000},
      200: {ppid: 1, pssKb: 70_000, rssKb: 80_000},
    })
    expect(linuxTreeMemory(100, proc)).toEqual(treeMemoryMeasured('pss', (40_000 + 20_000 + 8000 + 1000) * 1024, 4))
  })

  it('falls back to VmRSS for every process when the kernel has no smaps_rollup', () => {
    const proc = fakeProc({100: {ppid: 1, pssKb: 40_000, rssKb: 60_000}, 101: {ppid: 100, pssKb: 20_000, rssKb: 45_000}}, {rollup: false})
    expect(linuxTreeMemory(100, proc)).toEqual(treeMemoryMeasured('rss', (60_000 + 45_000) * 1024, 2))
  })

  it('leaves out a descendant that exited between the listing and the reading', () => {
    const proc = fakeProc({100: {ppid: 1, pssKb: 40_000}, 101: {ppid: 100}})
    expect(linuxTreeMemory(100, proc)).toEqual(treeMemoryMeasured('pss', 40_000 * 1024, 1))
  })

  it('says "not measured" for a host that is not running, never 0', () => {
    expect(linuxTreeMemory(555, fakeProc({100: {ppid: 1, pssKb: 1}}))).toEqual(treeMemoryNotMeasured('process 555 is not running'))
  })

  it('sums ps RSS over the tree on macOS', () => {
    const ps = ['    1     0  1000', '  100     1 50000', '  101   100 30000', '  102   101  2000', '  300     1 99999', ''].join('\n')
    expect(psTreeMemory(100, ps)).toEqual(treeMemoryMeasured('rss', (50_000 + 30_000 + 2000) * 1024, 3))
    expect(psTreeMemory(7, ps)).toEqual(treeMemoryNotMeasured('process 7 is not running'))
  })

  it('is not measured on platforms without /proc or ps', () => {
    expect(processTreeMemory(process.pid, 'win32')).toEqual(
      treeMemoryNotMeasured('the memory of a process tree is measured on Linux (/proc) and macOS or the BSDs (ps), not on win32'),
    )
  })

  it('measures this process on this machine', () => {
    const memory = processTreeMemory(process.pid)
    if (process.platform === 'win32') expect(memory.measured).toBe(false)
    else expect(memory).toMatchObject({measured: true, processes: expect.any(Number)})
  })

  it('gives the memory per plugin from the tree before and after loading N', () => {
    const before = treeMemoryMeasured('pss', 50 * 1024 * 1024, 1)
    const after = treeMemoryMeasured('pss', 150 * 1024 * 1024, 11)
    expect(instancesMemory(before, after, 10)).toEqual({measured: true, method: 'pss', hostBytes: 50 * 1024 * 1024, totalBytes: 150 * 1024 * 1024, perPluginBytes: 10 * 1024 * 1024, processes: 11})
    expect(instancesMemory(treeMemoryNotMeasured('gone'), after, 10)).toEqual(treeMemoryNotMeasured('gone'))
    expect(instancesMemory(before, treeMemoryMeasured('rss', 1, 1), 10)).toEqual(treeMemoryNotMeasured('the tree was measured by pss before loading and by rss after: not comparable'))
  })
})

describe('throughput and latency of calls in flight', () => {
  it('counts calls over the wall time from the first start to the last end', () => {
    // Two callers, two calls each: starts at 0, 0, 100, 200 µs; ends at 100, 200, 300, 400 µs.
    const figures = summarizeCalls(2, {endNs: [100_000, 300_000, 200_000, 400_000], latencyNs: [100_000, 200_000, 200_000, 200_000]}, false)
    expect(figures).toEqual({
      c: 2,
      calls: 4,
      wallMs: 0.4,
      callsPerSec: 10_000,
      // Five windows of 80 µs: ends at 100 (window 1), 200 (2), 300 (3), 400 (the last, 4).
      windowCallsPerSec: [0, 12_500, 12_500, 12_500, 12_500],
      p50Ns: 200_000,
      p99Ns: 200_000,
      capped: false,
    })
  })

  it('takes p50 and p99 of the per-call latencies with linear interpolation', () => {
    const latencyNs = Array.from({length: 100}, (_, i) => (i + 1) * 1000)
    const endNs = latencyNs.map((latency, i) => i * 1000 + latency)
    const figures = summarizeCalls(1, {endNs, latencyNs}, true)
    expect(figures.p50Ns).toBe(50_500)
    expect(figures.p99Ns).toBe(99_010)
    expect(figures.capped).toBe(true)
    // First start at 0, last end at 99 µs + 100 µs.
    expect(figures.wallMs).toBe(0.199)
    expect(figures.callsPerSec).toBe(Math.round(100 / 199e-6))
  })

  it('shows a stall in the run as a window without calls', () => {
    const endNs = [10, 20, 30, 40, 1000].map((us) => us * 1000)
    const figures = summarizeCalls(1, {endNs, latencyNs: endNs.map((end, i) => end - (i === 0 ? 0 : endNs[i - 1]!))}, false)
    expect(figures.windowCallsPerSec).toEqual([Math.round((4 * 1e9 * 5) / 1_000_000), 0, 0, 0, Math.round((1e9 * 5) / 1_000_000)])
  })

  it('refuses timings without one latency per call', () => {
    expect(() => summarizeCalls(1, {endNs: [], latencyNs: []}, false)).toThrow(RangeError)
    expect(() => summarizeCalls(1, {endNs: [1, 2], latencyNs: [1]}, false)).toThrow('a run needs one latency per call end (got 2 ends, 1 latencies)')
  })
})
