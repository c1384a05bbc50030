// The pieces every markdown section is made of.
import type {Figure} from './chart-data.js'

/**
 * Markdown text; or a figure with its markdown form (a mermaid chart, a table) that the HTML report draws instead;
 * or, without a figure, text for the markdown only (a legend of the markdown's marks that the HTML's figure replaces).
 */
export type Block = string | {figure?: Figure; markdown: string}

const escapeCell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')

export const code = (id: string) => `\`${id}\``

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

export const notMeasured = (what: string, command: string) => `_Not measured in this run: ${what}. Run \`${command}\`, or pass its \`--json\` output with \`--from\`._`
