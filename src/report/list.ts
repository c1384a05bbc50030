// The data of `list`: every row, and whether it can run on this machine.
import {allRows} from '../mechanisms/index.js'
import type {Family} from '../results/types.js'

export interface ListedRow {
  id: string
  family: Family
  title: string
  supported: boolean
  /** Why it cannot run here, and what to do. */
  reason?: string
}

/** Every mechanism and floor, in registry order, each with its detection on this machine. */
export async function listRows(): Promise<ListedRow[]> {
  const listed: ListedRow[] = []
  for (const row of allRows) {
    const support = await row.detect()
    listed.push({id: row.id, family: row.family, title: row.title, supported: support.supported, ...(support.supported ? {} : {reason: support.reason})})
  }
  return listed
}
