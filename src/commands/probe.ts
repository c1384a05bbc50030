import {Args, Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {probePlugin, type ConformanceReport} from '../protocol/conformance.js'
import {sampleHandshake} from '../protocol/sample-service.js'
import {renderProbe} from '../render/probe-table.js'
import {useColor} from '../render/style.js'

/** The exit code of a plugin that does not conform: distinct from the tool's own failure (1) and a usage error (2). */
export const NONCONFORMANT_EXIT = 4

export default class Probe extends SurveyCommand {
  static override description = `Check that a plugin speaks HashiCorp go-plugin's protocol (gRPC), whatever its language.

Starts the plugin command as a go-plugin host would and checks: that it refuses to run without the magic cookie; its handshake line, field by field; health (grpc.health.v1, service "plugin"); the GRPCStdio and GRPCBroker streams; GRPCController.Shutdown and a graceful exit; the time to start and to shut down; and that no process of the plugin is left behind. A check fails only where go-plugin's own host would fail with the plugin; what a Go host tolerates (no GRPCStdio, no GRPCBroker, no GRPCController, a plugin it has to kill) is a warning that says what will not work.

Exit codes: 0 the plugin conforms (warnings allowed); ${NONCONFORMANT_EXIT} it does not (a check failed); 1 the tool itself failed; 2 usage error.`

  static override examples = [
    '<%= config.bin %> probe -- ./my-plugin',
    '<%= config.bin %> probe --cookie BASIC_PLUGIN=hello --protocol-versions 1 -- ./plugin-binary',
    '<%= config.bin %> probe --json --mtls -- node dist/src/hosts/grpc-sample-plugin.js',
  ]

  static override strict = false
  static override args = {command: Args.string({description: 'the plugin command and its arguments, after --', required: true})}

  static override flags = {
    cookie: Flags.string({description: `the magic cookie the plugin expects, KEY=VALUE [default: the sample's, ${sampleHandshake.magicCookieKey}=${sampleHandshake.magicCookieValue}]`}),
    'protocol-versions': Flags.string({description: 'app protocol versions the host offers, comma separated', default: '1'}),
    mtls: Flags.boolean({description: "use go-plugin's AutoMTLS (PLUGIN_CLIENT_CERT)"}),
    'start-timeout': Flags.integer({description: 'milliseconds the plugin has to print its handshake and answer health', default: 10_000, min: 100}),
  }

  async run(): Promise<ConformanceReport> {
    const {argv, flags} = await this.parse(Probe)
    const [command, ...args] = argv as string[]
    let handshake: {magicCookieKey: string; magicCookieValue: string} = sampleHandshake
    if (flags.cookie !== undefined) {
      const equals = flags.cookie.indexOf('=')
      if (equals <= 0) this.usageError(`--cookie must be KEY=VALUE, got ${JSON.stringify(flags.cookie)}`)
      handshake = {magicCookieKey: flags.cookie.slice(0, equals), magicCookieValue: flags.cookie.slice(equals + 1)}
    }
    const versions = flags['protocol-versions'].split(',').map((v) => v.trim())
    if (versions.some((v) => !/^\d+$/.test(v))) this.usageError(`--protocol-versions must be numbers separated by commas, got ${JSON.stringify(flags['protocol-versions'])}`)
    const report = await probePlugin({command, args, handshake, appVersions: versions.map(Number), autoMTLS: flags.mtls, startTimeoutMs: flags['start-timeout']})
    if (!this.jsonEnabled()) this.log(renderProbe(report, useColor()))
    if (!report.passed) process.exitCode = NONCONFORMANT_EXIT
    return report
  }
}
