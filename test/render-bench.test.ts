import {describe, expect, it} from 'vitest'
import {renderBenchTable} from '../src/render/bench-table.js'
import {useColor} from '../src/render/style.js'
import {handBuiltBenchReport} from './support/reports.js'

describe('the bench table', () => {
  it('renders a hand-built report exactly, plain', async () => {
    await expect(renderBenchTable(handBuiltBenchReport(), {color: false})).toMatchFileSnapshot('__snapshots__/bench-table.txt')
  })

  it('has no escape codes without colour, and colours with it', () => {
    expect(renderBenchTable(handBuiltBenchReport(), {color: false})).not.toContain('\u001B[')
    expect(renderBenchTable(handBuiltBenchReport(), {color: true})).toContain('\u001B[')
  })

  it('shows a skipped row with its reason and a failed row with its code', () => {
    const text = renderBenchTable(handBuiltBenchReport(), {color: false})
    expect(text).toContain('skipped: go not found on PATH: install Go >= 1.26 to measure the go-* rows')
    expect(text).toContain('failed (WRONG_ANSWER): wrong answer')
    expect(text).toContain('│ go-coupling      │ finding: plugin.Open("coupling-plugin-v1.1.0"): plugin was built with a different version of package')
  })
})

describe('colour decision', () => {
  const tty = {isTTY: true} as NodeJS.WriteStream
  const pipe = {isTTY: false} as NodeJS.WriteStream
  it('colours a terminal, never a pipe, never with NO_COLOR, always with FORCE_COLOR', () => {
    expect(useColor(tty, {})).toBe(true)
    expect(useColor(pipe, {})).toBe(false)
    expect(useColor(tty, {NO_COLOR: '1'})).toBe(false)
    expect(useColor(tty, {TERM: 'dumb'})).toBe(false)
    expect(useColor(pipe, {FORCE_COLOR: '1'})).toBe(true)
  })
})
