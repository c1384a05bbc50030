#!/usr/bin/env node
import {fileURLToPath} from 'node:url'
import {onNewEnoughNode} from './node-version.js'

// On a Node older than package.json's engines, the local Node runs this instead (or the user is told what to do).
if (onNewEnoughNode(fileURLToPath(import.meta.url), process.argv.slice(2))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
