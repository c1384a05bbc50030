#!/usr/bin/env node
// `npm run lint:layers`: the layers of src/ (.dependency-cruiser.cjs) checked by dependency-cruiser, which runs
// on Node >= 22 only; on an older Node it says so and checks nothing.
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(`lint:layers: dependency-cruiser needs Node >= 22, this is ${process.versions.node}: the layers of src/ are not checked`)
  process.exit(0)
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs')
const run = spawnSync(process.execPath, [bin, 'src', '--config', '.dependency-cruiser.cjs', ...process.argv.slice(2)], {cwd: root, stdio: 'inherit'})
process.exit(run.status ?? 1)
