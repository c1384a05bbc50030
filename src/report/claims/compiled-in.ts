// The survey's claims of the Kubernetes scheduler-framework style (plugins compiled into the host), judged on
// go-compiled-in: what its authors write, and what a changed plugin needed rebuilt (go-rebuild).
import type {Machine} from '../merge.js'
import type {RebuildCase} from '../../results/types.js'
import {finding, foundBench, machineOf, okBench, subjectRows} from './judge.js'
import type {Claim, ClaimInput, Finding, Verdict} from './types.js'

const COMPILED_IN = subjectRows('compiled-in').subject
const GO_PLUGIN = subjectRows('go-plugin').subject

export const simpleNoMagic: Claim<'simple-no-magic'> = {
  id: 'simple-no-magic',
  subject: COMPILED_IN,
  judge({authoring}) {
    const compiledIn = authoring.find((c) => c.mechanism === COMPILED_IN)
    const goPlugin = authoring.find((c) => c.mechanism === GO_PLUGIN)
    if (!compiledIn || !goPlugin) return {findings: [], missing: {needs: 'go'}}
    // Simpler than the RPC way, and nothing but Go: no module of anyone else's, no symbol lookup, no wire.
    const simpler = compiledIn.pluginLines + compiledIn.hostLines < goPlugin.pluginLines + goPlugin.hostLines && compiledIn.thirdParty.length === 0
    return {findings: [finding<'simple-no-magic'>(COMPILED_IN, true, simpler ? 'confirmed' : 'refuted', {compiledIn, goPlugin})]}
  },
}

function rebuildFindings<K extends 'compile-whole-binary' | 'no-prebuilt-host'>(input: ClaimInput, judge: (compiledIn: RebuildCase) => Verdict): Finding<K>[] {
  return input.machines.flatMap((machine: Machine) => {
    const cases = foundBench(machine, 'go-rebuild')?.rebuilds
    const compiledIn = cases?.find((c) => c.mechanism === COMPILED_IN)
    if (!cases || !compiledIn) return []
    return [finding<K>(COMPILED_IN, true, judge(compiledIn), {cases} as Finding<K>['data'], machineOf(input, machine))]
  })
}

export const compileWholeBinary: Claim<'compile-whole-binary'> = {
  id: 'compile-whole-binary',
  subject: COMPILED_IN,
  judge(input) {
    // Confirmed when the changed plugin reached a host only through a rebuilt host binary (another hash).
    const findings = rebuildFindings<'compile-whole-binary'>(input, (c) =>
      c.rebuilt === 'host' && c.hostHashAfter !== c.hostHashBefore && c.rebuiltHostAnswer !== undefined && c.rebuiltHostAnswer !== c.answerBefore ? 'confirmed' : 'refuted',
    )
    return {findings, missing: {needs: 'rebuild'}}
  },
}

export const noPrebuiltHost: Claim<'no-prebuilt-host'> = {
  id: 'no-prebuilt-host',
  subject: COMPILED_IN,
  judge(input) {
    // Confirmed when the host binary built before the change still answers as before: no pre-built host takes a new plugin.
    const findings = rebuildFindings<'no-prebuilt-host'>(input, (c) => (c.answerAfter === c.answerBefore ? 'confirmed' : 'refuted'))
    return {findings, missing: {needs: 'rebuild'}}
  },
}
