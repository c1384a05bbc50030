// The pieces every markdown section is made of.
const escapeCell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')

export const code = (id: string) => `\`${id}\``

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

export const notMeasured = (what: string, command: string) => `_Not measured in this run: ${what}. Run \`${command}\`, or pass its \`--json\` output with \`--from\`._`
