// Which row a result is of, built in one place: every result of every command starts from one of these.

/** A row's kind: `cross` is a host in one language with a plugin in another; floors are the bare transports. */
export type Family = 'node' | 'go' | 'cross' | 'wasm' | 'floor'

/** Which row a crash-test result is of. */
export interface RowRef {
  mechanism: string
  family: Family
}

/** Which row a bench or scale result is of: its ref, its title, and the floor its per-call figures are compared with. */
export interface RowIdentity extends RowRef {
  title: string
  /** The floor row this row's per-call overhead is measured against. */
  floor?: string
}

/** Which cell a crash-test result is: one row under one fault. */
export interface CellRef extends RowRef {
  fault: string
}

/** What a result needs to know of its row (a row of src/mechanisms is one). */
export interface Described {
  readonly id: string
  readonly family: Family
  readonly title: string
  readonly floors?: {readonly call?: string}
}

export const refOf = (row: Described): RowRef => ({mechanism: row.id, family: row.family})

export const identityOf = (row: Described): RowIdentity => ({...refOf(row), title: row.title, ...(row.floors?.call ? {floor: row.floors.call} : {})})

export const cellOf = (row: Described, fault: string): CellRef => ({...refOf(row), fault})
