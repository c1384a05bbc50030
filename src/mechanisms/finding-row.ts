// Rows that demonstrate a fact instead of timing calls (go-coupling, go-plugin-platforms): nothing to load or
// crash, one result for `bench`, skipped with the reason when the machine cannot show it.
import type {BenchRow, BenchRowFailed, BenchRowOk} from '../report/types.js'
import {PluginError} from '../sample/contract.js'
import type {Family, Mechanism, Support} from './types.js'

type Base = {mechanism: string; family: Family; title: string}

export interface FindingRowSpec {
  id: string
  family: Family
  title: string
  detect(): Promise<Support> | Support
  /** Shows the fact; `base` is the row's identity, to spread into the ok or failed row it returns. */
  find(base: Base, progress?: (message: string) => void): Promise<BenchRowOk | BenchRowFailed>
}

export function findingRow(spec: FindingRowSpec): Mechanism {
  const base: Base = {mechanism: spec.id, family: spec.family, title: spec.title}
  return {
    id: spec.id,
    family: spec.family,
    title: spec.title,
    faults: [],
    async detect() {
      return spec.detect()
    },
    async load() {
      throw new PluginError('NO_CALLS', `${spec.id} demonstrates a fact and has no plugin to call: run it with \`bench\``)
    },
    async benchExternally(_settings, _options, progress): Promise<BenchRow> {
      const support = await spec.detect()
      if (!support.supported) return {...base, status: 'skipped', reason: support.reason}
      return spec.find(base, progress)
    },
  }
}
