/**
 * `shepherd release next --tags TAGS.txt --branch B --type T [--describe DESC] [--json]`: the
 * version(s) a cut would tag and what it does to branches, by krel's rules (src/core/release);
 * exits 2 with the reason when there is no legal cut.
 *
 * `shepherd release notes --repo O/R --from TAG --to REF [--base BRANCH] [--api URL] [--token T]
 * [--markdown|--json]`: the release notes of the PRs merged between two refs, read from the API
 * (release-notes-fetch.ts). Without a clone the range is the date window (merged into the base
 * after the tag's commit, up to the target's); with `--git-dir` ancestry makes it exact, as the action does.
 */
import { readFileSync } from 'node:fs'
import { cutFromTags } from '../../core/release/from-tags.js'
import { DEFAULT_RELEASE_RULES, RELEASE_TYPES, type ReleaseRules, type ReleaseType } from '../../core/release/next.js'
import { formatVersion } from '../../core/release/version.js'
import { parse, UsageError, type Command, type CommandIO } from '../args.js'
import { releaseNotes } from '../../core/release/notes.js'
import { createClient } from '../../github/client.js'
import { gatherReleasePulls, ReleaseRangeError } from '../../github/release-notes-fetch.js'
import { ancestryFilter } from '../../github/release-range.js'

const NOTES_USAGE =
  'shepherd release notes --repo OWNER/NAME --from TAG --to REF [--base BRANCH] [--git-dir DIR] [--api URL] [--token T] [--markdown|--json]' +
  ' (the PRs merged into BRANCH, default the repository default branch, after TAG\'s commit up to REF\'s, by date; with --git-dir, a clone with full history and tags, exactly the PRs whose commits are in TAG..REF; --api defaults to $GITHUB_API_URL or https://api.github.com, --token to $GITHUB_TOKEN)'

const USAGE =
  'shepherd release next --tags TAGS.txt --branch BRANCH --type alpha|beta|rc|official [--describe "$(git describe --tags)"] [--default-branch main] [--branch-cut-at rc.0|beta.0] [--json]' +
  ' (TAGS.txt: one tag per line, as `git tag -l` prints; exits 2 with the reason when the cut is not legal)'

const OPTIONS = {
  tags: { type: 'string' },
  branch: { type: 'string' },
  type: { type: 'string' },
  describe: { type: 'string' },
  'default-branch': { type: 'string' },
  'branch-cut-at': { type: 'string' },
  api: { type: 'string' },
  repo: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  base: { type: 'string' },
  token: { type: 'string' },
  'git-dir': { type: 'string' },
  markdown: { type: 'boolean' }
} as const

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values']

/** The `release` command: `next` prints the next cut, `notes` the notes of a range. */
export const releaseCommand: Command = {
  name: 'release',
  summary: 'The next release version by krel rules (release next); the notes of a range (release notes)',
  usage: `${USAGE}\n       ${NOTES_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, OPTIONS, 1)
    if (positionals[0] === 'notes') return notes(values, io)
    if (positionals[0] !== 'next') throw new UsageError(positionals[0] === undefined ? 'missing subcommand: shepherd release next|notes' : `unknown subcommand "${positionals[0]}"; the ones there are: next, notes`)
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

/** `release notes`: gathers the range's merged PRs from the API and prints krel-style notes. */
async function notes(values: Values, io: CommandIO): Promise<number> {
  if (!values.repo) throw new UsageError('--repo is required: OWNER/NAME')
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(values.repo)
  if (!m) throw new UsageError(`--repo must be OWNER/NAME, got "${values.repo}"`)
  if (!values.from) throw new UsageError('--from is required: the previous release\'s tag')
  if (!values.to) throw new UsageError('--to is required: the tag, branch or commit being released')
  if (values.markdown && values.json) throw new UsageError('--markdown and --json: choose one')
  if (values.base !== undefined && !/^[\w./-]+$/.test(values.base)) throw new UsageError(`--base must be a branch name, got "${values.base}"`)
  const api = (values.api ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '')
  if (!/^https?:\/\/[^\s/]+/.test(api)) throw new UsageError(`--api must be an http(s) URL, got "${api}"`)
  const token = values.token ?? process.env.GITHUB_TOKEN
  if (!token) throw new UsageError('--token or $GITHUB_TOKEN is required: GitHub answers GraphQL only with a token')
  const where = { owner: m[1], repo: m[2] }
  let gathered
  try {
    // In a clone, ancestry decides the range; the window then runs to now (a PR lands after its commits are dated).
    const exact = values['git-dir'] ? { inRange: await ancestryFilter(values['git-dir'], values.from, values.to).catch((err: Error) => Promise.reject(new UsageError(`--git-dir: ${err.message}`))), until: new Date().toISOString() } : {}
    gathered = await gatherReleasePulls(createClient({ token, baseUrl: api }), where, { from: values.from, to: values.to, base: values.base, ...exact })
  } catch (err) {
    if (err instanceof ReleaseRangeError) throw new UsageError(err.message)
    throw err
  }
  const doc = releaseNotes(gathered.pulls)
  const range = `${gathered.pulls.length} PRs merged into ${gathered.base} after ${values.from} (${gathered.from.date}) up to ${values.to} (${gathered.to.date}), ${gathered.filter === 'ancestry' ? `by ancestry in ${values['git-dir']}` : 'by date (no checkout)'}`
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          repo: values.repo,
          from: gathered.from,
          to: gathered.to,
          base: gathered.base,
          filter: gathered.filter,
          requests: gathered.requests,
          pulls: gathered.pulls.map((p) => ({ number: p.number, title: p.title, url: p.url, author: p.author, originAuthor: p.originAuthor ?? null, mergedAt: p.mergedAt, labels: p.labels })),
          notes: doc.notes.map((n) => ({ number: n.pr.number, text: n.text, kind: n.kind, actionRequired: n.actionRequired, sigs: n.sigs })),
          skipped: doc.skipped,
          markdown: doc.markdown
        },
        null,
        2
      )
    )
  } else {
    io.out(doc.markdown.trimEnd())
    io.err(`${range}: ${doc.notes.length} notes, ${doc.skipped.length} without; ${gathered.requests} API requests`)
  }
  return 0
}
