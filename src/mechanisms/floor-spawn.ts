// The cold-start floor of the child-process rows: spawn `node -e 0` and wait for it to exit.
import {execa} from 'execa'
import {EVERYWHERE, type Row, type StartOnly} from './row.js'
import {NODE_CHILD} from './sources.js'

export const floorSpawn: Row & StartOnly = {
  id: 'floor-spawn',
  family: 'floor',
  title: 'spawn `node -e 0` and wait for it to exit',
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, sources: [NODE_CHILD]},
  async detect() {
    return {supported: true}
  },
  async startOnce() {
    await execa(process.execPath, ['-e', '0'], {stdin: 'ignore'})
  },
}
