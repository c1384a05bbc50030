// Headless Chromium for the tests that look at what a person sees: the system's browser (Debian's `chromium`
// package, installed by .ci/run where it is missing) driven by playwright-core, which downloads nothing.
import {existsSync} from 'node:fs'
import path from 'node:path'
import {execaSync} from 'execa'
import {chromium, type Browser} from 'playwright-core'

/** The browsers looked for on PATH, in order; .ci/run installs chromium only when none of them is there. */
export const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

// Offline and quiet: no update checks, no sync, nothing the page did not ask for.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Where screenshots go: git ignores .cache/. */
export const SCREENSHOT_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '.cache', 'screenshots')

function onPath(command: string): string | undefined {
  const found = execaSync('sh', ['-c', `command -v ${command}`], {reject: false, stdin: 'ignore'})
  return found.exitCode === 0 && found.stdout.trim() ? found.stdout.trim() : undefined
}

/** The browser to use (CHROMIUM_PATH, else the first of chromium, google-chrome on PATH), or why there is none. */
export function findBrowser(): {executablePath: string} | {skip: string} {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return existsSync(fromEnv) ? {executablePath: fromEnv} : {skip: `CHROMIUM_PATH=${fromEnv} does not exist`}
  if (process.platform === 'win32') return {skip: 'no Chromium lookup on Windows: set CHROMIUM_PATH to a Chromium or Chrome executable'}
  for (const command of CANDIDATES) {
    const found = onPath(command)
    if (found) return {executablePath: found}
  }
  return {skip: `no Chromium on PATH (tried ${CANDIDATES.join(', ')}): install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`}
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({executablePath, args: ARGS, headless: true})
}
