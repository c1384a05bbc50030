import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {detectGo, goModuleDir} from '../src/go/toolchain.js'

const go = detectGo()

describe('the Go harness (fixtures/go/internal/harness)', () => {
  // Its own Go tests: every answer of a batch checked, calls above 1 µs timed one by one, the rounds protocol,
  // and histogram buckets identical to src/measure/histogram.ts.
  it.skipIf(!go.supported)(`passes go test${go.supported ? '' : ` (skipped: ${go.reason})`}`, async () => {
    const run = await execa('go', ['test', './internal/harness/'], {cwd: goModuleDir, reject: false, stdin: 'ignore'})
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/^ok\s+\S+\/internal\/harness/)
    expect(run.exitCode).toBe(0)
  }, 300_000)
})
