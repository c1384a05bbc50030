/** What the host sends on every call: the number it sets, and optionally a payload to be echoed back. */
export interface PluginInput {
  number: number
  payload?: string
}

/** What a call returns: the printer's message, and the payload when one was sent. */
export interface PluginOutput {
  message: string
  payload?: string
}

/** The exports a Node plugin module must have (the counterpart of Go's `Lookup` names). */
export interface SamplePluginModule {
  PluginInputNumber: {value: number}
  KnownPluginFunction(): string
  Echo?(payload: string): string
}

export function expectedMessage(n: number): string {
  return `My custom code prints PluginInputNumber: ${n}`
}

/** A typed error the host can recognise by `code`, with the original kept as `cause`. */
export class PluginError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'PluginError'
    this.code = code
  }
}

/** Any thrown value as a code (when it has a string one) and a message: the one reading of an unknown error. */
export function errorFields(error: unknown): {code?: string; message: string} {
  const {code, message} = (typeof error === 'object' && error !== null ? error : {}) as {code?: unknown; message?: unknown}
  return {...(typeof code === 'string' ? {code} : {}), message: typeof message === 'string' ? message : String(error)}
}

/** A thrown value as the {code, message} a reply carries: its own code, else `fallbackCode`. */
export function codedError(error: unknown, fallbackCode: string): {code: string; message: string} {
  const {code, message} = errorFields(error)
  return {code: code ?? fallbackCode, message}
}

/** An error as one line: its code first, when it has one. */
export function errorLine(error: unknown): string {
  const {code, message} = errorFields(error)
  return code === undefined ? message : `${code}: ${message}`
}

/** Throws `WRONG_ANSWER` unless the output is exactly what the sample plugin must return for the input. */
export function checkAnswer(input: PluginInput, output: PluginOutput): void {
  const want = expectedMessage(input.number)
  if (output?.message !== want) {
    throw new PluginError('WRONG_ANSWER', `wrong answer: expected ${JSON.stringify(want)}, got ${JSON.stringify(output?.message)}`)
  }
  if (input.payload !== undefined && output.payload !== input.payload) {
    const got = typeof output.payload === 'string' ? `${output.payload.length} characters` : typeof output.payload
    throw new PluginError('WRONG_ANSWER', `payload not echoed intact: sent ${input.payload.length} characters, got ${got}`)
  }
}

// Looks up the named exports the way Go's plugin.Lookup does, and says exactly which are missing or mistyped.
export function lookupExports(namespace: Record<string, unknown>, where: string): SamplePluginModule {
  const problems: string[] = []
  const box = namespace.PluginInputNumber as {value?: unknown} | undefined
  if (box === undefined) problems.push('PluginInputNumber is missing')
  else if (typeof box !== 'object' || box === null || typeof box.value !== 'number') {
    problems.push('PluginInputNumber must be an object {value: number}')
  }
  if (namespace.KnownPluginFunction === undefined) problems.push('KnownPluginFunction is missing')
  else if (typeof namespace.KnownPluginFunction !== 'function') problems.push('KnownPluginFunction must be a function')
  if (namespace.Echo !== undefined && typeof namespace.Echo !== 'function') problems.push('Echo must be a function')
  if (problems.length > 0) {
    const found = Object.keys(namespace).sort().join(', ') || 'nothing'
    throw new PluginError(
      'PLUGIN_LOOKUP',
      `plugin ${where} does not have the sample plugin's exports: ${problems.join('; ')} (it exports: ${found}). ` +
        'A plugin must export `PluginInputNumber = {value: 0}` and `KnownPluginFunction(): string`, and may export `Echo(payload: string): string`.',
    )
  }
  return namespace as unknown as SamplePluginModule
}

/** One call of a looked-up plugin: set the number, call the known function, echo the payload if any. */
export function invoke(plugin: SamplePluginModule, input: PluginInput): PluginOutput {
  plugin.PluginInputNumber.value = input.number
  const message = plugin.KnownPluginFunction()
  if (input.payload === undefined) return {message}
  if (plugin.Echo === undefined) throw new PluginError('NO_ECHO', 'the plugin does not export Echo(payload), so payloads cannot be measured')
  return {message, payload: plugin.Echo(input.payload)}
}

/** Whether a call's message is still a promise: an async plugin (one whose function returns a promise). */
export function isPending(output: PluginOutput): boolean {
  return typeof (output.message as unknown as PromiseLike<string> | undefined)?.then === 'function'
}

/** The output of an async plugin once its message has arrived; a synchronous plugin's output as it is. */
export async function settleOutput(output: PluginOutput): Promise<PluginOutput> {
  return isPending(output) ? {...output, message: await (output.message as unknown as PromiseLike<string>)} : output
}

/** A synchronous plugin's output as it is (no extra promise on the hot path), an async plugin's once settled. */
export function settleIfPending(output: PluginOutput): PluginOutput | Promise<PluginOutput> {
  return isPending(output) ? settleOutput(output) : output
}

/** invoke for hosts that accept async plugins: a plugin function returning a promise is awaited. */
export async function invokeAsync(plugin: SamplePluginModule, input: PluginInput): Promise<PluginOutput> {
  return settleIfPending(invoke(plugin, input))
}
