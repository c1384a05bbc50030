import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {serveGoHost} from '../src/transport/line-json-host.js'
import {StderrBuffer} from '../src/transport/stderr-buffer.js'

const frames = (n: number) => Array.from({length: n}, (_, i) => `main.frame${i}(...)\n\t/src/host/main.go:${i + 10} +0x${i.toString(16)}\n`).join('')

function stderrOf(...chunks: string[]): StderrBuffer {
  const stderr = new StderrBuffer()
  for (const chunk of chunks) stderr.push(chunk)
  return stderr
}

describe("a Go host's stderr in its error message", () => {
  it('starts at the panic line, not at the last stack frames', () => {
    const stderr = stderrOf('panic: boom\n\ngoroutine 1 [running]:\n', frames(200), 'exit status 2\n')
    expect(stderr.summary()).toBe('panic: boom | goroutine 1 [running]: | main.frame0(...)')
  })

  it('finds a fatal error after more log lines than the head keeps, across chunks', () => {
    const logs = Array.from({length: 200}, (_, i) => `2026/11/30 07:00:00 log line ${i}\n`).join('')
    const stderr = stderrOf(logs, 'fatal err', 'or: out of memory\n\nruntime stack:\n', frames(200))
    expect(stderr.summary()).toBe('… fatal error: out of memory | runtime stack: | main.frame0(...)')
  })

  it('without a crash line, shows the first lines and the last one (log.Fatal ends stderr)', () => {
    const stderr = stderrOf('one\ntwo\nthree\nfour\n', 'cannot open the plugin: no such file\n')
    expect(stderr.summary()).toBe('one | two | three | … cannot open the plugin: no such file')
    expect(stderrOf('only line\n').summary()).toBe('only line')
    expect(stderrOf('').summary()).toBe('')
  })
})

describe.skipIf(process.platform === 'win32')('serveGoHost when the host crashes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plugin-survey-serve-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('names the panic, though the host then dumps pages of goroutines', async () => {
    const host = path.join(dir, 'panicking-host')
    writeFileSync(host, `#!/bin/sh\nprintf 'panic: plugin-survey test panic\\n\\ngoroutine 1 [running]:\\n' >&2\ncat <<'EOF' >&2\n${frames(300)}EOF\nexit 2\n`)
    chmodSync(host, 0o755)
    await expect(serveGoHost(host, [], {startTimeoutMs: 10_000})).rejects.toMatchObject({
      code: 'PLUGIN_EXITED',
      message: expect.stringMatching(/^the Go host exited with code 2: panic: plugin-survey test panic \| goroutine 1 \[running\]:/),
    })
  })
})
