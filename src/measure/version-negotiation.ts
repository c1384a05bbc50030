// App-version negotiation (go-plugin's VersionedPlugins) with the docs plugin serving [1], [1, 2], then [3], by
// go-plugin's own Go host and by this project's TypeScript host, each offering [1, 2].
import {buildDocPlugin, OFFERED_VERSIONS, parseServed, SERVED_VERSIONS, SERVES_VARIABLE, type VersionNegotiation} from '../go/goplugin-survey.js'
import type {VersionCase} from '../results/types.js'
import {startPlugin} from '../protocol/host.js'
import {sampleHandshake, sampleService} from '../protocol/sample-service.js'
import {asPluginError} from './crash/supervisor.js'

const START_TIMEOUT_MS = 20_000
const CALL_TIMEOUT_MS = 5000

async function tsHostCase(plugin: string, serves: readonly number[]): Promise<VersionCase> {
  const served: VersionCase = {serves: [...serves]}
  try {
    const host = await startPlugin({
      command: plugin,
      handshake: sampleHandshake,
      appVersions: OFFERED_VERSIONS,
      env: {[SERVES_VARIABLE]: serves.join(',')},
      startTimeoutMs: START_TIMEOUT_MS,
    })
    try {
      served.negotiated = host.handshake.appVersion
      const reply = await host.client.call(sampleService.call, {number: 7}, CALL_TIMEOUT_MS)
      const {servedBy} = parseServed(reply.message)
      if (servedBy) served.servedBy = servedBy
    } finally {
      await host.shutdown()
    }
  } catch (error) {
    const failure = asPluginError(error)
    served.error = {code: failure.code, message: failure.message}
  }
  return served
}

/** This project's TypeScript host (src/protocol/host.ts) negotiating with the docs plugin. */
export async function negotiateWithTsHost(): Promise<VersionNegotiation> {
  const plugin = await buildDocPlugin()
  const cases: VersionCase[] = []
  for (const serves of SERVED_VERSIONS) cases.push(await tsHostCase(plugin.binary, serves))
  return {offered: [...OFFERED_VERSIONS], cases}
}
