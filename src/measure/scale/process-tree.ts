// Resident memory of a whole process tree (a host and every plugin process below it), measured the same way
// for every row: Linux sums smaps_rollup's Pss (VmRSS where the kernel has no smaps_rollup) over the host and
// its descendants found through /proc/*/stat; macOS and the BSDs sum ps's RSS; elsewhere it is not measured.
import {execFileSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {treeMemoryMeasured, treeMemoryNotMeasured, type TreeMemory} from '../../results/scale.js'

/** How the Linux reader sees /proc: injectable, so the tree logic is tested on fixed data. */
export interface ProcFiles {
  /** The entries of /proc. */
  list(): string[]
  /** A file's text, or undefined when it cannot be read (the process has exited, or the file does not exist). */
  read(path: string): string | undefined
}

export const liveProc: ProcFiles = {
  list: () => readdirSync('/proc'),
  read(path) {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
  },
}

/** The parent pid in the text of /proc/<pid>/stat; the command name, in parentheses, may hold spaces and parentheses. */
export function parentOf(stat: string): number | undefined {
  const close = stat.lastIndexOf(')')
  if (close < 0) return undefined
  const ppid = Number(stat.slice(close + 2).split(' ')[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

/** The root and all its descendants, root first, from a list of (pid, ppid) pairs. */
export function descendants(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>()
  for (const [pid, ppid] of parents) {
    if (pid === root) continue
    const list = children.get(ppid) ?? []
    list.push(pid)
    children.set(ppid, list)
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []))
  return tree
}

function kilobytes(text: string | undefined, field: string): number | undefined {
  const match = text === undefined ? null : new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)
  return match ? Number(match[1]) * 1024 : undefined
}

/** The Linux way: Pss when the root's smaps_rollup is readable, else VmRSS; a descendant gone meanwhile is left out. */
export function linuxTreeMemory(root: number, proc: ProcFiles): TreeMemory {
  const parents = new Map<number, number>()
  for (const entry of proc.list()) {
    if (!/^\d+$/.test(entry)) continue
    const ppid = parentOf(proc.read(`/proc/${entry}/stat`) ?? '')
    if (ppid !== undefined) parents.set(Number(entry), ppid)
  }
  if (!parents.has(root)) return treeMemoryNotMeasured(`process ${root} is not running`)
  const method = kilobytes(proc.read(`/proc/${root}/smaps_rollup`), 'Pss') === undefined ? 'rss' : 'pss'
  let bytes = 0
  let processes = 0
  for (const pid of descendants(root, parents)) {
    const own = method === 'pss' ? kilobytes(proc.read(`/proc/${pid}/smaps_rollup`), 'Pss') : kilobytes(proc.read(`/proc/${pid}/status`), 'VmRSS')
    if (own === undefined) {
      if (pid === root) return treeMemoryNotMeasured(`process ${root} exited while its memory was read`)
      continue
    }
    bytes += own
    processes++
  }
  return treeMemoryMeasured(method, bytes, processes)
}

/** The ps way (macOS, the BSDs): `ps -A -o pid=,ppid=,rss=` lines, RSS in KiB. */
export function psTreeMemory(root: number, psOutput: string): TreeMemory {
  const parents = new Map<number, number>()
  const rss = new Map<number, number>()
  for (const line of psOutput.split('\n')) {
    const [pid, ppid, kb] = line.trim().split(/\s+/).map(Number)
    if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isFinite(kb)) continue
    parents.set(pid!, ppid!)
    rss.set(pid!, kb! * 1024)
  }
  if (!parents.has(root)) return treeMemoryNotMeasured(`process ${root} is not running`)
  const tree = descendants(root, parents)
  return treeMemoryMeasured('rss', tree.reduce((sum, pid) => sum + (rss.get(pid) ?? 0), 0), tree.length)
}

/** The memory of `root`'s whole tree on this machine. */
export function processTreeMemory(root: number, platform: NodeJS.Platform = process.platform): TreeMemory {
  if (platform === 'linux') return linuxTreeMemory(root, liveProc)
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') {
    try {
      return psTreeMemory(root, execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss='], {encoding: 'utf8'}))
    } catch (error) {
      return treeMemoryNotMeasured(`ps failed: ${(error as Error).message}`)
    }
  }
  return treeMemoryNotMeasured(`the memory of a process tree is measured on Linux (/proc) and macOS or the BSDs (ps), not on ${platform}`)
}
