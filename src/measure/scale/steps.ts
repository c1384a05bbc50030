// The two steps of `scale` as a host runs them (this file for the Node-hosted rows; the Go harness's scale.go
// for the Go-hosted ones), and what a step prints as its last stdout line: the outcome the CLI turns into points.
import {performance} from 'node:perf_hooks'
import type {Loadable} from '../../mechanisms/row.js'
import type {LoadedPlugin, LoadOptions} from '../../transport/types.js'
import {checkAnswer, PluginError, codedError} from '../../sample/contract.js'
import {collectGarbage} from '../memory.js'
import type {ScaleStep} from '../../core/scale-step.js'
import {numberSource, runConcurrentCalls, type CallTimings} from './concurrent-calls.js'

export type {ScaleStep}

export interface StepError {
  code: string
  message: string
}

/** N plugins loaded at once: each one's load-to-first-answer time, and how many answered exactly afterwards. */
export interface InstancesOutcome {
  step: 'instances'
  n: number
  loadMs: number[]
  allAnsweredMs: number
  /** Plugins that answered exactly (the first call, then a second after the memory was measured). */
  answeredExactly: number
  /** How many distinct plugins the N loads gave, where the host can tell (Go's plugin.Open). */
  distinctInstances?: number
  error?: StepError
  /** How the host held its plugins, where that needs saying. */
  notes?: string[]
}

export type CallsRun = {c: number; timings: CallTimings; capped: boolean} | {c: number; error: StepError}

export interface CallsOutcome {
  step: 'calls'
  runs: CallsRun[]
  notes?: string[]
}

/** The step could not run at all (the build or the plugin's load failed before any figure). */
export interface StepFailed {
  step: 'failed'
  error: StepError
}

export type StepOutcome = InstancesOutcome | CallsOutcome | StepFailed

/** What a host asks the CLI for between its actions: the memory of its process tree, measured from outside. */
export type MemoryLabel = 'baseline' | 'loaded'
export type Checkpoint = (label: MemoryLabel) => Promise<void>

export const stepError = (error: unknown): StepError => codedError(error, 'PLUGIN_ERROR')

// Numbers no plugin sees twice in a step: an answer meant for another plugin or call fails the check.
const FIRST_CALL = 1000
const SECOND_CALL = 100_000

/** Loads `n` plugins at once, times until all answered, has the memory measured, then checks each answers again. */
export async function instancesStep(mechanism: Loadable, n: number, options: LoadOptions, checkpoint: Checkpoint): Promise<InstancesOutcome> {
  collectGarbage()
  await checkpoint('baseline')
  const loaded: (LoadedPlugin | undefined)[] = new Array(n)
  const started = performance.now()
  const first = await Promise.allSettled(
    Array.from({length: n}, async (_, i) => {
      const t0 = performance.now()
      const plugin = await mechanism.load({...options, fresh: true})
      loaded[i] = plugin
      const input = {number: FIRST_CALL + i}
      checkAnswer(input, await plugin.call(input))
      return performance.now() - t0
    }),
  )
  const allAnsweredMs = performance.now() - started
  const loadMs = first.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const outcome: InstancesOutcome = {step: 'instances', n, loadMs, allAnsweredMs, answeredExactly: loadMs.length}
  try {
    const failed = first.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) return {...outcome, error: stepError(failed.reason)}
    collectGarbage()
    await checkpoint('loaded')
    const second = await Promise.allSettled(
      loaded.map(async (plugin, i) => {
        const input = {number: SECOND_CALL + i}
        checkAnswer(input, await plugin!.call(input))
      }),
    )
    const again = second.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    outcome.answeredExactly = second.filter((r) => r.status === 'fulfilled').length
    return again ? {...outcome, error: stepError(again.reason)} : outcome
  } finally {
    await Promise.allSettled(loaded.map((plugin) => plugin?.dispose()))
  }
}

/** One plugin, then for each C a warm-up run and a timed run of C callers. A wrong answer ends the step. */
export async function callsStep(mechanism: Loadable, step: Extract<ScaleStep, {step: 'calls'}>, options: LoadOptions): Promise<CallsOutcome> {
  const plugin = await mechanism.load(options)
  const runs: CallsRun[] = []
  const next = numberSource()
  try {
    for (const c of step.concurrency) {
      try {
        await runConcurrentCalls((input) => plugin.call(input), c, step.warmup, next)
        runs.push({c, ...(await runConcurrentCalls((input) => plugin.call(input), c, step.limits, next))})
      } catch (error) {
        runs.push({c, error: stepError(error)})
        if ((error as PluginError).code === 'WRONG_ANSWER') break
      }
    }
  } finally {
    await plugin.dispose()
  }
  return {step: 'calls', runs}
}
