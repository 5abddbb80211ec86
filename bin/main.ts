/** The `shepherd` command line's entry: bundled into bin/dist/ (scripts/build-bundles.mjs), which bin/shepherd.js runs. */
import { main } from '../src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
