import {spawn} from 'node:child_process'
import {describeEnd} from './process-end.js'
import {StderrBuffer} from './stderr-buffer.js'

export interface ChildExit {
  exitCode?: number
  signal?: string
}

/** A plugin process: its exit as a promise, the tail of its stderr for error messages, and a graceful stop. */
export interface PluginProcess {
  readonly pid: number | undefined
  readonly exited: Promise<ChildExit>
  readonly hasExited: boolean
  stderrTail(): string
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. Safe to call more than once. */
  stop(graceMs?: number): Promise<ChildExit>
}

/** Heap cap of a Node plugin process: a runaway plugin dies alone instead of eating the machine. */
export const CHILD_HEAP_MB = 256

export function spawnPlugin(file: string, args: string[], env: Record<string, string>, options: {nodeOptions?: string[]} = {}): PluginProcess {
  // node:child_process itself: a runner that starts plugins does not pay for a process library's import.
  const subprocess = spawn(file, [...(options.nodeOptions ?? []), ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true})
  const stderr = new StderrBuffer()
  subprocess.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')))
  subprocess.stdout?.resume()
  let hasExited = false
  const exited = new Promise<ChildExit>((resolve) => {
    subprocess.on('exit', (code, signal) => {
      hasExited = true
      const settle = () => resolve({exitCode: code ?? undefined, signal: signal ?? undefined})
      // A dying process's last words (a fatal error) may still be in the pipe: let stderr drain briefly first.
      if (subprocess.stderr === null || subprocess.stderr.readableEnded) settle()
      else {
        const timer = setTimeout(settle, 100)
        subprocess.stderr.once('end', () => {
          clearTimeout(timer)
          settle()
        })
      }
    })
  })
  // A command that cannot start exits with nothing to say; its error would otherwise be thrown.
  subprocess.on('error', () => {})
  return {
    pid: subprocess.pid,
    exited,
    get hasExited() {
      return hasExited
    },
    stderrTail: () => stderr.end(),
    async stop(graceMs = 2000) {
      if (!hasExited) {
        subprocess.kill('SIGTERM')
        const timer = setTimeout(() => subprocess.kill('SIGKILL'), graceMs)
        await exited
        clearTimeout(timer)
      }
      return exited
    },
  }
}

/** How a plugin process ended, in words. */
export const describeExit = (exit: ChildExit): string => describeEnd(exit)

/**
 * The error code of a plugin process that ended: PLUGIN_OOM (out of memory: V8's heap, or a Go plugin at its
 * address-space cap), PLUGIN_CRASHED (a signal, or a Go runtime's panic or fatal error), else PLUGIN_EXITED.
 */
export function exitErrorCode(exit: ChildExit, stderrTail: string): 'PLUGIN_OOM' | 'PLUGIN_CRASHED' | 'PLUGIN_EXITED' {
  if (/heap out of memory|Allocation failed|fatal error: .*out of memory/i.test(stderrTail)) return 'PLUGIN_OOM'
  return exit.signal || /\b(panic: |fatal error: |unexpected fault address)/.test(stderrTail) ? 'PLUGIN_CRASHED' : 'PLUGIN_EXITED'
}
