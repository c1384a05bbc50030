import {beforeEach, describe, expect, it, vi} from 'vitest'

// The Go version this machine "has", set per test.
const go = vi.hoisted(() => ({version: null as string | null}))
vi.mock('../src/go/version.js', async (original) => ({...(await original<object>()), goVersion: () => go.version}))

const {detectGoWasm} = await import('../src/wasm/build.js')
const {goWasm} = await import('../src/mechanisms/go-wasm.js')
const {benchSettings} = await import('../src/measure/settings.js')
const {benchOne} = await import('../src/measure/bench.js')

describe('go-wasm on machines without a Go that has //go:wasmexport', () => {
  beforeEach(() => {
    go.version = null
  })

  it('is skipped without Go, saying what to install', async () => {
    expect(detectGoWasm()).toEqual({
      supported: false,
      reason: 'go not found on PATH: install Go >= 1.24 to measure the go-* rows (the Go wasm module needs //go:wasmexport, new in Go 1.24)',
    })
  })

  it('is skipped with Go 1.23, which the other Go rows accept', async () => {
    go.version = '1.23.4'
    const reason = 'go 1.23.4 is too old: install Go >= 1.24 to measure this row (the Go wasm module needs //go:wasmexport, new in Go 1.24)'
    expect(detectGoWasm()).toEqual({supported: false, reason})
    expect(await benchOne(goWasm, benchSettings(true), {})).toEqual({
      mechanism: 'go-wasm',
      family: 'wasm',
      title: goWasm.title,
      status: 'skipped',
      reason,
    })
  })

  it('runs with Go 1.24', () => {
    go.version = '1.24.0'
    expect(detectGoWasm()).toEqual({supported: true, detail: 'go 1.24.0'})
  })
})
