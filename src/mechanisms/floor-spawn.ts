// The cold-start floor of the child-process rows: spawn `node -e 0` and wait for it to exit.
import {spawn} from 'node:child_process'
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
  // Started as the child rows start their plugins (node:child_process, stdout and stderr piped), until it has ended.
  async startOnce() {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', '0'], {stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true})
      child.stdout.resume()
      child.stderr.resume()
      child.on('error', reject)
      child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`node -e 0 ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`))))
    })
  },
}
