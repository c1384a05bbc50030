// child-permission: child-rpc's plugin process under Node's permission model: `--permission`, reads allowed only
// in the plugin's own folder and in plugin-survey's compiled runner (dist/src, which loads the plugin), no child
// processes, no workers, no addons, no WASI. What the model refuses throws ERR_ACCESS_DENIED inside the plugin.
import path from 'node:path'
import {faultIds} from '../measure/crash/faults.js'
import {distPath, samplePluginPath} from '../paths.js'
import {startChildRpc} from './child-rpc.js'
import type {Mechanism} from './types.js'

/** Node >= 22.13 and 23.5 have the permission model without --experimental-permission; 24 is this project's. */
export const MIN_NODE_PERMISSION = [22, 13] as const

/** The plugin process's permission flags: what it may read, and nothing else it could ask for. */
export function permissionFlags(pluginPath: string): string[] {
  return ['--permission', `--allow-fs-read=${path.dirname(path.resolve(pluginPath))}${path.sep}`, `--allow-fs-read=${distPath('src')}${path.sep}`]
}

function nodeSupportsPermission(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > MIN_NODE_PERMISSION[0] || (major === MIN_NODE_PERMISSION[0] && minor >= MIN_NODE_PERMISSION[1])
}

export const childPermission: Mechanism = {
  id: 'child-permission',
  family: 'node',
  title: "child-rpc's plugin process under Node's permission model (--permission, only its folder readable)",
  floor: 'floor-unix-socket',
  coldStartFloor: 'floor-spawn',
  acceptsUserPlugin: true,
  // Not slow-start: that fault keeps its one bit of state in a file the host names outside the plugin's folder,
  // which the model (rightly) refuses to read.
  faults: [...faultIds.filter((fault) => fault !== 'slow-start'), 'forbidden'],
  async detect() {
    if (nodeSupportsPermission()) return {supported: true, detail: `node ${process.versions.node}: --permission`}
    return {supported: false, reason: `node ${process.versions.node} has no stable permission model: run plugin-survey with Node >= ${MIN_NODE_PERMISSION.join('.')} (--permission)`}
  },
  load: (options) => startChildRpc(options, permissionFlags(options.pluginPath ?? samplePluginPath)),
}
