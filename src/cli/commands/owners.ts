/** `shepherd owners explain --dir REPO --files a,b`: what the OWNERS files of a checkout say about some paths. */
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { explainOwners, formatExplanation } from '../../core/owners/explain.js'
import { ALIASES_FILE, OWNERS_FILE, buildOwnersIndex } from '../../core/owners/resolve.js'
import { intOption, parse, UsageError, type Command } from '../args.js'

/** Directories never searched for OWNERS files. */
const SKIPPED = new Set(['.git', 'node_modules'])
/** Most directory entries visited: a guard against pointing --dir at a whole disk. */
const MAX_ENTRIES = 2_000_000

/** Returns every OWNERS and OWNERS_ALIASES file under `root` as repository path → text. Symbolic links are not followed. */
export function readOwnersTree(root: string): Record<string, string> {
  const owners: Record<string, string> = {}
  const pending = ['']
  let visited = 0
  while (pending.length > 0) {
    const rel = pending.pop() as string
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      if (++visited > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} files under ${root}; point --dir at a repository`)
      const path = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) pending.push(path)
      else if (entry.isFile() && (entry.name === OWNERS_FILE || entry.name === ALIASES_FILE)) owners[path] = readFileSync(join(root, path), 'utf8')
    }
  }
  return owners
}

/** The `owners` command; exits 1 when an OWNERS file is invalid. */
export const ownersCommand: Command = {
  name: 'owners',
  summary: 'Explain who owns, reviews and approves paths (owners explain --dir REPO --files a,b)',
  usage: 'shepherd owners explain --dir REPO_DIR --files PATH[,PATH...] [--pr N] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { dir: { type: 'string' }, files: { type: 'string' }, pr: { type: 'string' } }, 1)
    if (positionals[0] !== 'explain') throw new UsageError(`owners takes one subcommand, explain; got ${positionals[0] ? `"${positionals[0]}"` : 'none'}`)
    if (!values.dir) throw new UsageError('--dir is required: the repository checkout to read OWNERS files from')
    if (!values.files) throw new UsageError('--files is required: comma-separated paths relative to --dir')
    const files = values.files.split(',').map((f) => f.trim()).filter(Boolean)
    if (files.length === 0) throw new UsageError('--files names no path')
    const seed = intOption(values.pr, 'pr', 0)
    try {
      if (!lstatSync(values.dir).isDirectory()) throw new UsageError(`--dir ${values.dir} is not a directory`)
    } catch (err) {
      if (err instanceof UsageError) throw err
      throw new UsageError(`cannot read ${values.dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    const explanation = explainOwners(buildOwnersIndex(readOwnersTree(values.dir)), files, seed)
    if (values.json) io.out(JSON.stringify(explanation, null, 2))
    else for (const line of formatExplanation(explanation)) io.out(line)
    return explanation.errors.length > 0 ? 1 : 0
  }
}
