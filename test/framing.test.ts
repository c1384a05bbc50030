import {describe, expect, it} from 'vitest'
import {lineReader} from '../src/transport/framing.js'

describe('lineReader', () => {
  it('hands over each complete line, however the chunks split them', () => {
    const lines: string[] = []
    const read = lineReader((line) => lines.push(line))
    read(Buffer.from('1|1|unix|/tmp/a|gr'))
    read(Buffer.from('pc\nsecond\nthi'))
    expect(lines).toEqual(['1|1|unix|/tmp/a|grpc', 'second'])
  })

  it('hands over a last line without its newline on flush, once', () => {
    const lines: string[] = []
    const read = lineReader((line) => lines.push(line))
    read(Buffer.from('done\nlast'))
    read.flush()
    read.flush()
    expect(lines).toEqual(['done', 'last'])
  })
})
