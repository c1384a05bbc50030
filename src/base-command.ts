import {existsSync} from 'node:fs'
import path from 'node:path'
import {Command} from '@oclif/core'

/**
 * The base of every plugin-survey command: one exit-code contract, with or without --json.
 * oclif's own catch exits 1 for every error under --json; here a usage error stays 2 there too.
 */
export abstract class SurveyCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    process.exitCode = error.oclif?.exit ?? error.exitCode ?? 1
    return super.catch(error)
  }

  /** A usage error (exit 2): the message says what was wrong and what to do instead. */
  protected usageError(message: string): never {
    this.error(message, {exit: 2})
  }

  /** The absolute path of a `--plugin` flag's module, or a usage error when there is none there. */
  protected pluginPath(flag: string | undefined): string | undefined {
    if (flag === undefined) return undefined
    const absolute = path.resolve(flag)
    if (!existsSync(absolute)) this.usageError(`plugin not found: ${absolute}. Give the path of a built ES module exporting PluginInputNumber and KnownPluginFunction.`)
    return absolute
  }
}
