import {beforeEach, describe, expect, it, vi} from 'vitest'

// The Go version this machine "has", set per test.
const go = vi.hoisted(() => ({version: null as string | null}))
vi.mock('../src/go/version.js', async (original) => ({...(await original<object>()), goVersion: () => go.version}))

const {detectGoWasm, MIN_GO_WASM} = await import('../src/wasm/build.js')
const {MIN_GO} = await import('../src/go/toolchain.js')
const {goWasm} = await import('../src/mechanisms/go-wasm.js')
const {benchSettings} = await import('../src/measure/settings.js')
const {benchOne} = await import('../src/measure/bench.js')

describe('go-wasm on machines without a Go that builds fixtures/go', () => {
  beforeEach(() => {
    go.version = null
  })

  it("takes fixtures/go's floor, which is above Go 1.24, the first with //go:wasmexport", () => {
    expect(MIN_GO).toEqual([1, 26])
    expect(MIN_GO_WASM).toEqual([1, 24])
  })

  it('is skipped without Go, saying what to install', async () => {
    expect(detectGoWasm()).toEqual({supported: false, reason: 'go not found on PATH: install Go >= 1.26 to measure the go-* rows'})
  })

  it('is skipped with Go 1.25, older than the go line of fixtures/go/go.mod', async () => {
    go.version = '1.25.4'
    const reason = 'go 1.25.4 is too old: install Go >= 1.26 to measure this row'
    expect(detectGoWasm()).toEqual({supported: false, reason})
    expect(await benchOne(goWasm, benchSettings(true), {})).toEqual({
      mechanism: 'go-wasm',
      family: 'wasm',
      title: goWasm.title,
      floor: 'floor-go-direct-call',
      status: 'skipped',
      reason,
    })
  })

  it('runs with Go 1.26', () => {
    go.version = '1.26.0'
    expect(detectGoWasm()).toEqual({supported: true, detail: 'go 1.26.0'})
  })
})
