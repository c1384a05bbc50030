// Words of crash-test's results that the terminal tables, the markdown report and the claims share: the error
// codes a cell expected, a version negotiation case, what a plugin sees of a terminal, which plugin an orphan row held.
import type {StreamTerminals, VersionCase} from '../results/types.js'

export function expectedCodes(codes: readonly string[] | undefined): string {
  if (codes === undefined) return 'any error code'
  return codes.length === 0 ? 'no error at all' : codes.join(' or ')
}

export function describeVersionCase(c: VersionCase): string {
  const serves = `[${c.serves.join(', ')}]`
  if (c.error) return `${serves} → refused${c.error.code ? ` (${c.error.code})` : ''}: "${c.error.message}"`
  return `${serves} → negotiated ${c.negotiated ?? '?'}${c.servedBy ? `, answered by app version ${c.servedBy.appVersion} (build ${c.servedBy.build})` : ''}`
}

const streams = (s: StreamTerminals) => (['stdin', 'stdout', 'stderr'] as const).filter((name) => s[name]).join(', ') || 'none'

export function describeTerminals(row: {host: StreamTerminals; plugin: StreamTerminals}): string {
  return `terminals for the host: ${streams(row.host)}; for its plugin, in a call: ${streams(row.plugin)}`
}

export function describeOrphanPlugin(parentWatch: boolean): string {
  return parentWatch ? 'plugin with a parent watch' : "plugin as go-plugin's docs write one (no parent watch)"
}
