// The Node segfault fault: a real invalid memory access (a stack overflow into the guard page) where the process
// runs with SEGFAULT_NODE_ARGS, and a signal the process sends itself where V8's own stack limit holds.
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {distPath} from '../src/paths.js'
import {SEGFAULT_FALLBACK, SEGFAULT_NODE_ARGS} from '../src/sample/faults.js'

const trigger = distPath('fixtures', 'node', 'faults', 'trigger.js')
const segfault = (flags: readonly string[]) =>
  execa(process.execPath, [...flags, '--input-type=module', '-e', `import {segfault} from ${JSON.stringify(`file://${trigger}`)}; segfault()`], {reject: false})

describe.skipIf(process.platform === 'win32')('the Node segfault fault', () => {
  it('with a V8 stack limit beyond the real stack, the kernel ends the process with SIGSEGV: no fallback', async () => {
    const run = await segfault(SEGFAULT_NODE_ARGS)
    expect(run.signal).toBe('SIGSEGV')
    expect(String(run.stderr)).not.toContain(SEGFAULT_FALLBACK)
  })

  it("where V8's limit holds, the recursion is stopped, and the process says so and sends itself SIGSEGV", async () => {
    const run = await segfault([])
    expect(run.signal).toBe('SIGSEGV')
    expect(String(run.stderr)).toContain(SEGFAULT_FALLBACK)
  })
})
