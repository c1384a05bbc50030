// The registry: every row plugin-survey knows, in the order reports show them. A new row is one line here.
import {childGrpc} from './child-grpc.js'
import {childPermission} from './child-permission.js'
import {childRpc} from './child-rpc.js'
import {compiledIn} from './compiled-in.js'
import {extismJs} from './extism-js.js'
import {floorDirectCall} from './floor-direct-call.js'
import {floorGoDirectCall} from './floor-go-direct-call.js'
import {floorGoGrpc} from './floor-go-grpc.js'
import {floorHttp2} from './floor-http2.js'
import {floorPostMessage} from './floor-postmessage.js'
import {floorSpawn} from './floor-spawn.js'
import {floorUnixSocket} from './floor-unix-socket.js'
import {goCompiledIn} from './go-compiled-in.js'
import {goCoupling} from './go-coupling.js'
import {goExtism} from './go-extism.js'
import {goHashicorpNetrpc} from './go-hashicorp-netrpc.js'
import {goHashicorp} from './go-hashicorp.js'
import {goHostTsPlugin} from './go-host-ts-plugin.js'
import {goPie} from './go-pie.js'
import {goPluginPlatforms} from './go-plugin-platforms.js'
import {goRebuild} from './go-rebuild.js'
import {goStdlibPlugin} from './go-stdlib-plugin.js'
import {goWasm} from './go-wasm.js'
import {goYaegi} from './go-yaegi.js'
import {inProcess} from './in-process.js'
import {nodeVm} from './node-vm.js'
import {quickjs} from './quickjs.js'
import type {Row, SurveySubject} from './row.js'
import {tsHostGoPlugin} from './ts-host-go-plugin.js'
import {tsHostPie} from './ts-host-pie.js'
import {wasm} from './wasm.js'
import {workerThread} from './worker-thread.js'

export const mechanisms: readonly Row[] = [
  inProcess, compiledIn, workerThread, childRpc, childGrpc, childPermission, nodeVm,
  goStdlibPlugin, goHashicorp, goHashicorpNetrpc, goPie, goCompiledIn, goYaegi, goCoupling, goPluginPlatforms, goRebuild,
  tsHostGoPlugin, goHostTsPlugin, tsHostPie,
  wasm, goWasm, extismJs, goExtism, quickjs,
]

export const floors: readonly Row[] = [floorDirectCall, floorPostMessage, floorUnixSocket, floorHttp2, floorSpawn, floorGoDirectCall, floorGoGrpc]

export const allRows: readonly Row[] = [...mechanisms, ...floors]

export const mechanismIds = mechanisms.map((m) => m.id)

export function findRow(id: string): Row | undefined {
  return allRows.find((m) => m.id === id)
}

/** The mechanisms asked for (all when none), followed by the floors they are measured against. */
export function selectRows(ids: readonly string[] = [], withFloors = true): Row[] {
  const chosen = ids.length === 0 ? [...mechanisms] : mechanisms.filter((m) => ids.includes(m.id))
  if (!withFloors) return chosen
  const needed = new Set(chosen.flatMap((m) => [m.floors?.call, m.floors?.coldStart]).filter((id): id is string => id !== undefined))
  return [...chosen, ...floors.filter((f) => needed.has(f.id) || ids.includes(f.id))]
}

/**
 * The rows of one of the survey's subjects: the subject itself, then the counterparts that stand in for it,
 * those speaking the subject's own protocol first, in registry order otherwise.
 */
export function surveyRows(subject: SurveySubject): Row[] {
  const roleOf = (row: Row) => row.survey?.find((s) => s.subject === subject)?.role
  const rows = mechanisms.filter((m) => roleOf(m) !== undefined)
  const own = rows.find((m) => roleOf(m) === 'subject')
  const counterparts = rows.filter((m) => m !== own)
  const close = counterparts.filter((m) => m.runs.protocol === own?.runs.protocol)
  return [...(own ? [own] : []), ...close, ...counterparts.filter((m) => !close.includes(m))]
}
