// child-permission: child-rpc's plugin process under Node's permission model: `--permission`, reads allowed only
// in the plugin's own folder and in plugin-survey's bundled runner (dist/bundles, which loads the plugin), no child
// processes, no workers, no addons, no WASI. What the model refuses throws ERR_ACCESS_DENIED inside the plugin.
import path from 'node:path'
import {distPath, missingPluginEntry, samplePluginPath} from '../paths.js'
import {NODE_FAULT_IDS} from '../sample/faults.js'
import {startChildRpc} from './child-rpc.js'
import {CHILD_PROCESS, faultsFrom, survives} from './expectations.js'
import {EVERYWHERE, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_IPC_PATHS, NODE_PERMISSION, NODE_PERMISSIONS, PIPES_ON_WINDOWS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** Node >= 22.13 and 23.5 have the permission model without --experimental-permission; 24 is this project's. */
export const MIN_NODE_PERMISSION = [22, 13] as const

/** The plugin process's permission flags: what it may read, and nothing else it could ask for. */
export function permissionFlags(pluginPath: string): string[] {
  return ['--permission', `--allow-fs-read=${path.dirname(path.resolve(pluginPath))}${path.sep}`, `--allow-fs-read=${distPath('bundles')}${path.sep}`]
}

function nodeSupportsPermission(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > MIN_NODE_PERMISSION[0] || (major === MIN_NODE_PERMISSION[0] && minor >= MIN_NODE_PERMISSION[1])
}

export const childPermission: Row & Loadable & CrashProbeable & Scalable = {
  id: 'child-permission',
  family: 'node',
  title: "child-rpc's plugin process under Node's permission model (--permission, only its folder readable)",
  floors: {call: 'floor-unix-socket', coldStart: 'floor-spawn'},
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: `Node >= ${MIN_NODE_PERMISSION.join('.')} (stable permission model); ${PIPES_ON_WINDOWS}`, sources: [NODE_PERMISSIONS, NODE_IPC_PATHS]},
  faults: {
    // Not slow-start: that fault keeps its one bit of state in a file the host names outside the plugin's
    // folder, which the model (rightly) refuses to read.
    ...faultsFrom(CHILD_PROCESS, NODE_FAULT_IDS.filter((fault) => fault !== 'slow-start')),
    forbidden: survives(['ERR_ACCESS_DENIED'], NODE_PERMISSION, "the read outside the plugin's folder and the spawn are both refused; the call throws"),
  },
  reload: {possible: true, how: 'a new plugin process with the new version, under the same permissions; the old one exits once its calls have answered'},
  takesPluginPath: true,
  scale: SCALES_BOTH,
  async detect() {
    const missing = missingPluginEntry('child-rpc-plugin')
    if (missing) return missing
    if (nodeSupportsPermission()) return {supported: true, detail: `node ${process.versions.node}: --permission`}
    return {supported: false, reason: `node ${process.versions.node} has no stable permission model: run plugin-survey with Node >= ${MIN_NODE_PERMISSION.join('.')} (--permission)`}
  },
  load: (options) => startChildRpc(options, permissionFlags(options.pluginPath ?? samplePluginPath)),
}
