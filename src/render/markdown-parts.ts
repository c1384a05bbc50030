// The pieces every markdown section is made of.
import type {Machine} from '../report/merge.js'

const escapeCell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')

export const code = (id: string) => `\`${id}\``

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

export const notMeasured = (what: string, command: string) => `_Not measured in this run: ${what}. Run \`${command}\`, or pass its \`--json\` output with \`--from\`._`

/** Splits content per machine under a sub-heading (of `level`) when there are several. */
export function perMachine(machines: readonly Machine[], render: (machine: Machine) => string, level = 3): string {
  if (machines.length === 1) return render(machines[0]!)
  return machines.map((machine) => `${'#'.repeat(level)} ${machine.label}\n\n${render(machine)}`).join('\n\n')
}
