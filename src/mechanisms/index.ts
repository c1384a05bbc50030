// The registry: every row plugin-survey knows, in the order reports show them.
import {childRpc} from './child-rpc.js'
import {compiledIn} from './compiled-in.js'
import {childGrpc} from './child-grpc.js'
import {floorDirectCall, floorHttp2, floorPostMessage, floorSpawn, floorUnixSocket} from './floors.js'
import {floorGoDirectCall} from './floor-go-direct-call.js'
import {goCompiledIn} from './go-compiled-in.js'
import {goCoupling} from './go-coupling.js'
import {goPluginPlatforms} from './go-plugin-platforms.js'
import {goRebuild} from './go-rebuild.js'
import {goHashicorp} from './go-hashicorp.js'
import {goHostTsPlugin} from './go-host-ts-plugin.js'
import {goStdlibPlugin} from './go-stdlib-plugin.js'
import {goWasm} from './go-wasm.js'
import {inProcess} from './in-process.js'
import {tsHostGoPlugin} from './ts-host-go-plugin.js'
import type {Mechanism} from './types.js'
import {wasm} from './wasm.js'
import {workerThread} from './worker-thread.js'

export const mechanisms: readonly Mechanism[] = [inProcess, compiledIn, workerThread, childRpc, childGrpc, goStdlibPlugin, goHashicorp, goCompiledIn, goCoupling, goPluginPlatforms, goRebuild, tsHostGoPlugin, goHostTsPlugin, wasm, goWasm]

export const floors: readonly Mechanism[] = [floorDirectCall, floorPostMessage, floorUnixSocket, floorHttp2, floorSpawn, floorGoDirectCall]

export const allRows: readonly Mechanism[] = [...mechanisms, ...floors]

export const mechanismIds = mechanisms.map((m) => m.id)

export function findRow(id: string): Mechanism | undefined {
  return allRows.find((m) => m.id === id)
}

/** The mechanisms asked for (all when none), followed by the floors they are measured against. */
export function selectRows(ids: readonly string[] = [], withFloors = true): Mechanism[] {
  const chosen = ids.length === 0 ? [...mechanisms] : mechanisms.filter((m) => ids.includes(m.id))
  if (!withFloors) return chosen
  const needed = new Set(chosen.flatMap((m) => [m.floor, m.coldStartFloor]).filter((id): id is string => id !== undefined))
  const explicit = floors.filter((f) => ids.includes(f.id))
  return [...chosen, ...floors.filter((f) => needed.has(f.id) || explicit.includes(f))]
}
