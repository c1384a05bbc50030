// Every mermaid chart the report writes goes through mermaid's own parser, so a chart GitHub cannot render fails
// here. (test/report-browser.test.ts renders them too, where a browser is available.)
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {renderMarkdown} from '../src/render/markdown.js'
import {mergeReports} from '../src/report/merge.js'
import {parseReportText} from '../src/report/read.js'
import {handBuiltBenchReport} from './support/reports.js'
import {mermaidBlocks, parseMermaid} from './support/mermaid.js'

const fixture = (name: string) => parseReportText(readFileSync(new URL(`./fixtures/reports/${name}.json`, import.meta.url), 'utf8'), `${name}.json`)

const reports = {
  'one machine': () => renderMarkdown(mergeReports(fixture('linux'))),
  'three machines merged': () => renderMarkdown(mergeReports([...fixture('linux'), ...fixture('darwin'), ...fixture('windows')])),
  'a hand-built bench with skipped and failed rows': () => renderMarkdown(mergeReports([{report: handBuiltBenchReport()}])),
}

describe('the markdown report as mermaid reads it', () => {
  for (const [name, render] of Object.entries(reports)) {
    it(`${name}: every chart parses as an xychart`, async () => {
      const blocks = mermaidBlocks(render())
      expect(blocks.length).toBeGreaterThan(2)
      for (const block of blocks) expect(await parseMermaid(block)).toBe('xychart')
    })
  }

  it('charts call, cold start, memory, payload and scale, and never writes log10 of ns', () => {
    const blocks = mermaidBlocks(reports['one machine']())
    const titles = blocks.map((block) => /^ {2}title "(.*)"$/m.exec(block)![1])
    expect(titles).toEqual([
      'Per call, rows in ns',
      'Per call, rows in µs',
      'Cold start, rows in µs',
      'Cold start, rows in ms',
      'Memory, MiB',
      'Call p50 by payload, in ns',
      'Call p50 by payload, in µs',
      'Memory against N: floor-postmessage and the rows over it',
      'Memory against N: floor-unix-socket and the rows over it',
      'Memory against N: rows without a floor in this run',
      'Throughput against C: floor-postmessage and the rows over it',
      'Throughput against C: floor-unix-socket and the rows over it',
      'Throughput against C: rows without a floor in this run',
    ])
    expect(blocks.every((block) => !block.includes('log10'))).toBe(true)
    expect(blocks.filter((block) => block.includes('xychart-beta horizontal'))).toHaveLength(5)
  })

  it('rejects a broken chart, so the check above can fail', async () => {
    await expect(parseMermaid('xychart-beta horizontal\n  x-axis ["a", "b"\n  bar [1, 2]')).rejects.toThrow(/Parse error/)
  })
})
