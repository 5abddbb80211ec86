/**
 * `shepherd release next --tags TAGS.txt --branch B --type T [--describe DESC] [--json]`: the
 * version(s) a cut would tag and what it does to branches, by krel's rules (src/core/release);
 * exits 2 with the reason when there is no legal cut.
 */
import { readFileSync } from 'node:fs'
import { cutFromTags } from '../../core/release/from-tags.js'
import { DEFAULT_RELEASE_RULES, RELEASE_TYPES, type ReleaseRules, type ReleaseType } from '../../core/release/next.js'
import { formatVersion } from '../../core/release/version.js'
import { parse, UsageError, type Command } from '../args.js'

const USAGE =
  'shepherd release next --tags TAGS.txt --branch BRANCH --type alpha|beta|rc|official [--describe "$(git describe --tags)"] [--default-branch main] [--branch-cut-at rc.0|beta.0] [--json]' +
  ' (TAGS.txt: one tag per line, as `git tag -l` prints; exits 2 with the reason when the cut is not legal)'

const OPTIONS = {
  tags: { type: 'string' },
  branch: { type: 'string' },
  type: { type: 'string' },
  describe: { type: 'string' },
  'default-branch': { type: 'string' },
  'branch-cut-at': { type: 'string' }
} as const

/** The `release` command: `next` prints the next cut. */
export const releaseCommand: Command = {
  name: 'release',
  summary: 'The next release version by krel rules (release next)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, OPTIONS, 1)
    if (positionals[0] !== 'next') throw new UsageError(positionals[0] === undefined ? 'missing subcommand: shepherd release next' : `unknown subcommand "${positionals[0]}"; the one there is: next`)
    if (!values.tags) throw new UsageError('--tags is required: a file with one tag per line (git tag -l > TAGS.txt)')
    if (!values.branch) throw new UsageError('--branch is required: the default branch or release-X.Y')
    if (!values.type) throw new UsageError(`--type is required: one of ${RELEASE_TYPES.join(', ')}`)
    if (!(RELEASE_TYPES as readonly string[]).includes(values.type)) throw new UsageError(`--type must be one of ${RELEASE_TYPES.join(', ')}, got "${values.type}"`)
    const cutAt = values['branch-cut-at'] ?? DEFAULT_RELEASE_RULES.branchCutAt
    if (cutAt !== 'rc.0' && cutAt !== 'beta.0') throw new UsageError(`--branch-cut-at must be rc.0 or beta.0, got "${cutAt}"`)
    const rules: ReleaseRules = { ...DEFAULT_RELEASE_RULES, defaultBranch: values['default-branch'] ?? DEFAULT_RELEASE_RULES.defaultBranch, branchCutAt: cutAt }
    let text: string
    try {
      text = readFileSync(values.tags, 'utf8')
    } catch (err) {
      throw new UsageError(`cannot read --tags ${values.tags}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    let result
    try {
      result = cutFromTags({ tags: text.split('\n').filter((l) => l.trim() !== ''), branch: values.branch, type: values.type as ReleaseType, describe: values.describe, rules })
    } catch (err) {
      throw new UsageError(`--describe: ${(err as Error).message}`)
    }
    if (!result.ok) {
      if (values.json) io.out(JSON.stringify({ ok: false, reason: result.reason }, null, 2))
      else io.err(`shepherd release: ${result.reason}`)
      return 2
    }
    const { plan } = result
    const summary = {
      ok: true,
      version: formatVersion(plan.version),
      previous: plan.previous ? formatVersion(plan.previous) : null,
      type: plan.type,
      branch: plan.branch,
      createBranch: plan.createBranch ?? null,
      tags: plan.tags.map((t) => ({ tag: t.tag, branch: t.branch })),
      prerelease: plan.version.pre !== undefined
    }
    if (values.json) io.out(JSON.stringify(summary, null, 2))
    else {
      io.out(`${summary.version} (${plan.type}, after ${summary.previous ?? 'no release'})`)
      for (const t of summary.tags) io.out(`  tag ${t.tag} on ${t.branch}`)
      if (plan.createBranch) io.out(`  create branch ${plan.createBranch} at the commit`)
    }
    return 0
  }
}
