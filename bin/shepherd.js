#!/usr/bin/env node
// The `shepherd` command: the compiled CLI lives in lib/ (built by `npm ci` through `prepare`).
import { main } from '../lib/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
