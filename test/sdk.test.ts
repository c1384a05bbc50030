// The public entry's parts that need no Go: hclog both ways, restart with backoff, typed clients, and how a
// kill reaches a plugin's process tree on each platform.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {distPath} from '../src/paths.js'
import {createPluginLogger, hclogTimestamp, startPlugin, StderrLogReader, textLogger, type RestartEvent} from '../src/protocol/index.js'
import {killPlan} from '../src/protocol/process-group.js'
import {sampleHandshake, sampleService} from '../src/protocol/sample-service.js'
import {expectedMessage} from '../src/sample/contract.js'

const plugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')
const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-sdk-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('hclog, as go-plugin reads and writes it', () => {
  it("reads an hclog JSON line with its level, message, module, timestamp and fields (go-plugin's parseJSON)", () => {
    const entry = new StderrLogReader().read('{"@level":"warn","@message":"disk low","@module":"kv.store","@timestamp":"2026-12-01T10:00:00.123456Z","free":12,"path":"/d"}')
    expect(entry).toEqual({level: 'warn', message: 'disk low', module: 'kv.store', timestamp: new Date('2026-12-01T10:00:00.123Z'), fields: {free: 12, path: '/d'}})
  })

  it('reads other lines by their prefix, else at debug, and a panic and what follows at error', () => {
    const reader = new StderrLogReader()
    expect(reader.read('[WARN] careful')).toEqual({level: 'warn', message: '[WARN] careful', fields: {}})
    expect(reader.read('just text')).toEqual({level: 'debug', message: 'just text', fields: {}})
    // JSON that is not hclog's, or whose timestamp go-plugin cannot parse, is a plain line.
    expect(reader.read('{"msg":"hi"}')).toEqual({level: 'debug', message: '{"msg":"hi"}', fields: {}})
    expect(reader.read('{"@level":"info","@message":"x","@timestamp":"yesterday"}').level).toBe('debug')
    expect(reader.read('panic: boom').level).toBe('error')
    expect(reader.read('goroutine 1 [running]:').level).toBe('error')
  })

  it('writes lines a Go host parses: @level, @message, @module, a microsecond @timestamp, fields; filtered by level; named', () => {
    const lines: string[] = []
    const logger = createPluginLogger({name: 'kv', level: 'debug', write: (line) => lines.push(line)}, () => {})
    logger.trace('hidden')
    logger.named('store').info('stored', {key: 'a', error: new Error('none')})
    expect(lines).toHaveLength(1)
    const line = JSON.parse(lines[0]) as Record<string, unknown>
    expect(line).toMatchObject({'@level': 'info', '@message': 'stored', '@module': 'kv.store', key: 'a', error: 'none'})
    expect(line['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(new StderrLogReader().read(lines[0].trimEnd())).toMatchObject({level: 'info', message: 'stored', module: 'kv.store', fields: {key: 'a'}})
    expect(hclogTimestamp(new Date('2026-12-01T10:00:00.123Z'))).toBe('2026-12-01T10:00:00.123000Z')
  })

  it('the TypeScript host logs the TypeScript plugin\'s stderr lines through its logger', async () => {
    const written: string[] = []
    const host = await startPlugin({
      command: process.execPath,
      args: ['-e', `process.stderr.write('{"@level":"error","@message":"from the plugin","@module":"m","n":1}\\n'); import(${JSON.stringify(plugin)})`],
      handshake: sampleHandshake,
      startTimeoutMs: 15_000,
      logger: textLogger({level: 'info', write: (line) => written.push(line)}),
    })
    await expect.poll(() => written.join('')).toMatch(/\[ERROR\] node\.m: from the plugin n=1\n$/)
    await host.shutdown()
  })
})

describe('restart with backoff', () => {
  it('restarts a plugin that dies, and the dispensed client follows it to the new process', async () => {
    const events: RestartEvent[] = []
    const supervised = await startPlugin({
      command: process.execPath,
      args: [plugin],
      handshake: sampleHandshake,
      startTimeoutMs: 15_000,
      restart: {initialDelayMs: 20, onRestart: (event) => events.push(event)},
    })
    const sample = supervised.dispense(sampleService)
    expect(await sample.call({number: 1})).toEqual({message: expectedMessage(1), payload: undefined})
    const first = supervised.current()!
    await first.kill()
    // The call waits for the restart in progress, then goes to the new process.
    expect(await sample.call({number: 2})).toEqual({message: expectedMessage(2), payload: undefined})
    expect(supervised.current()!.pid).not.toBe(first.pid)
    expect(supervised.restarts).toBe(1)
    expect(events).toEqual([{attempt: 1, delayMs: 20, reason: {exit: {signal: 'SIGKILL'}}}])
    expect(await supervised.shutdown()).toMatchObject({graceful: true})
    await supervised.stopped
  })

  it('gives up after maxRestarts failed starts in a row, with the reason, and calls say so', async () => {
    const marker = path.join(dir, 'started-once')
    const script = path.join(dir, 'once.sh')
    writeFileSync(script, `if [ -e "${marker}" ]; then echo "refusing to start twice" >&2; exit 2; fi\ntouch "${marker}"\nexec "${process.execPath}" "${plugin}"\n`)
    let gaveUp: Error | undefined
    const supervised = await startPlugin({
      command: 'sh',
      args: [script],
      handshake: sampleHandshake,
      startTimeoutMs: 15_000,
      restart: {maxRestarts: 2, initialDelayMs: 10, factor: 3, onGiveUp: (error) => (gaveUp = error)},
    })
    await supervised.current()!.kill()
    await supervised.stopped
    expect(gaveUp).toMatchObject({code: 'SUPERVISOR_GAVE_UP'})
    expect(gaveUp!.message).toContain('the plugin was restarted 2 times in a row')
    expect(gaveUp!.message).toContain('refusing to start twice')
    await expect(supervised.dispense(sampleService).call({number: 1})).rejects.toMatchObject({code: 'SUPERVISOR_GAVE_UP'})
  })
})

describe('typed clients on the lean client', () => {
  it('a hand-written definition gives exactly typed methods', async () => {
    const host = await startPlugin({command: process.execPath, args: [plugin], handshake: sampleHandshake, startTimeoutMs: 15_000})
    const sample = host.dispense(sampleService)
    const reply: {message: string; payload?: string} = await sample.call({number: 4, payload: 'p'}, {timeoutMs: 5000})
    expect(reply).toEqual({message: expectedMessage(4), payload: 'p'})
    await host.shutdown()
  })
})

describe('a kill reaches the whole plugin tree', () => {
  it('on Windows SIGKILL is `taskkill /T /F /PID <pid>` (the tree, as tree-kill does); other signals reach the pid', () => {
    expect(killPlan('win32', 4242, 'SIGKILL')).toEqual({kind: 'tree', file: 'taskkill', args: ['/T', '/F', '/PID', '4242']})
    expect(killPlan('win32', 4242, 'SIGINT')).toEqual({kind: 'pid'})
  })

  it('on unix every signal goes to the process group the plugin leads', () => {
    for (const platform of ['linux', 'darwin', 'freebsd'] as const) expect(killPlan(platform, 4242, 'SIGKILL')).toEqual({kind: 'group', pgid: 4242})
  })
})
