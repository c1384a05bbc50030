// `list`'s data: every row of the registry and whether it can run on this machine (and if not, why).
import {allRows} from '../mechanisms/index.js'

export interface ListedMechanism {
  id: string
  family: string
  title: string
  supported: boolean
  reason?: string
}

export async function listMechanisms(): Promise<ListedMechanism[]> {
  const listed: ListedMechanism[] = []
  for (const row of allRows) {
    const support = await row.detect()
    listed.push({id: row.id, family: row.family, title: row.title, supported: support.supported, ...(support.supported ? {} : {reason: support.reason})})
  }
  return listed
}
