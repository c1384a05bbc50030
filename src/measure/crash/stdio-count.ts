// Counts the stdio-lines fault's marked lines as a host receives its plugin's stdout and stderr (go-plugin's
// GRPCStdio), whatever the chunking: a line split across chunks counts once, when its newline arrives.
import type {StdioLines} from '../../results/types.js'
import {STDIO_MARKER} from '../../sample/faults.js'

/** A line longer than this without a newline is not one of the marker's: only its tail is kept. */
const MAX_PARTIAL_CHARS = 4096

export interface StdioCounter {
  onStdio(channel: 'stdout' | 'stderr', data: Buffer): void
  counts(): StdioLines
}

export function countStdioLines(): StdioCounter {
  const partial = {stdout: '', stderr: ''}
  const lines = {stdout: 0, stderr: 0}
  return {
    onStdio(channel, data) {
      const parts = (partial[channel] + data.toString('utf8')).split('\n')
      const rest = parts.pop()!
      for (const line of parts) if (line.includes(STDIO_MARKER)) lines[channel]++
      partial[channel] = rest.slice(-MAX_PARTIAL_CHARS)
    },
    counts: () => ({stdoutLines: lines.stdout, stderrLines: lines.stderr}),
  }
}
