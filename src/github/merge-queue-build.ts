/**
 * Building a batch with real git over smart HTTP: merge each member's batched head, in order, onto
 * the parent (the base SHA, or the head of the batch ahead), as `git merge --no-ff` would (the same
 * ort merge, through `git merge-tree --write-tree` in a bare repository: no checkout, no work
 * tree), and push the result to `refs/heads/shepherd/queue/<base>/<id>`. Git requests do not count
 * against the API rate limit. The token reaches git through GIT_CONFIG_* environment variables
 * (an `http.extraHeader`), never a URL or an argument.
 */
import { execFile } from 'node:child_process'
import { appendFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RepoRef } from './apply.js'
import { isolatedGitEnv, partialCloneRemote } from './git-remote.js'
import { batchBranch, formatMemberMessage, parseBatchMessage, sameBatch, type BatchMetadata } from './merge-queue-batch-message.js'

export interface BuildBatchOptions {
  token: string
  /** The server's web URL (GITHUB_SERVER_URL); the repository is `<server>/<owner>/<repo>.git`. */
  serverUrl: string
  where: RepoRef
  batch: BatchMetadata
  /** Titles by pull request number, for the merge commits' bodies (untrusted: flattened). */
  titles?: Record<number, string>
  /** Who the merge commits are by (default github-actions[bot]). */
  committer?: { name: string; email: string }
  /** Commit date in seconds since the epoch (default: now). */
  date?: number
  tempDir?: string
  /** Attempts per network command on transient failures (default 3). */
  retries?: number
  /** First wait between attempts, ms, doubled each time (default 1,000). */
  backoffMs?: number
}

export type BuildBatchResult =
  /** Pushed a new batch branch. */
  | { outcome: 'built'; branch: string; sha: string }
  /** The branch already holds this batch (same parent, members and SHAs): nothing was rebuilt. */
  | { outcome: 'unchanged'; branch: string; sha: string }
  /** A member does not merge cleanly onto what is ahead of it; nothing was pushed. */
  | { outcome: 'conflict'; pull: number; files: string[] }
  /** A member's head is no longer the batched SHA (or its pull ref is gone); nothing was pushed. */
  | { outcome: 'head-moved'; pull: number; expected: string; actual: string | null }
  /** A member's head is already in what is ahead of it (merged elsewhere); nothing was pushed. */
  | { outcome: 'already-contained'; pull: number }

interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Commands that talk to the server. */
const NETWORK = new Set(['ls-remote', 'fetch', 'push'])
/** What git prints when the server or the network failed, not the request. */
const TRANSIENT = /\b5\d\d\b|RPC failed|unexpected disconnect|early EOF|hung up|Connection (reset|refused|timed out)|Empty reply|Failed to connect|timed out/i

const DEFAULT_COMMITTER = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' }

/**
 * Builds and pushes the batch, or reports why not. Idempotent: when the branch already holds the
 * same batch it is left alone. Throws when git fails for another reason (naming what git said),
 * including a push that lost a race to a different batch of the same id.
 */
export async function buildBatch(options: BuildBatchOptions): Promise<BuildBatchResult> {
  const meta = options.batch
  const branch = batchBranch(meta.base, meta.id)
  const ref = `refs/heads/${branch}`
  // Validates the metadata before any git runs.
  formatMemberMessage(meta, meta.members.length - 1)
  const committer = options.committer ?? DEFAULT_COMMITTER
  const date = `${options.date ?? Math.floor(Date.now() / 1000)} +0000`
  // A partial clone: commits and trees only. merge-ort fetches, in one batch, just the blobs a
  // content merge needs, so a large repository's history costs no file contents.
  const { config } = partialCloneRemote(options.serverUrl, options.where, options.token)
  const env = isolatedGitEnv(config, {
    GIT_AUTHOR_NAME: committer.name,
    GIT_AUTHOR_EMAIL: committer.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
    GIT_COMMITTER_DATE: date
  })
  const dir = await mkdtemp(join(options.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'shepherd-batch-'))
  const git = (args: string[], input?: string) => run(dir, args, env, input)
  const retries = options.retries ?? 3
  const backoff = options.backoffMs ?? 1000
  /** Runs git; network commands are retried on transient failures (all of them are safe to repeat). */
  const must = async (args: string[], input?: string): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const r = await git(args, input)
      if (r.code === 0) return r.stdout
      if (!NETWORK.has(args[0]) || attempt >= retries || !TRANSIENT.test(r.stderr)) {
        throw new Error(`git ${args[0]} for batch ${branch} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${r.stderr.trim().split('\n').slice(-2).join(' / ') || `exit ${r.code}`}`)
      }
      await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)))
    }
  }
  /** Returns the batch the remote branch holds, if it holds one. */
  const existing = async (sha: string): Promise<BatchMetadata | null> => {
    await must(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--filter=blob:none', 'origin', `+${ref}:refs/existing`])
    try {
      return parseBatchMessage(await must(['log', '-1', '--format=%B', sha]))
    } catch {
      return null
    }
  }
  try {
    await must(['init', '--quiet', '--bare', '.'])
    await appendFile(join(dir, 'config'), '[core]\n\trepositoryformatversion = 1\n[extensions]\n\tpartialClone = origin\n')
    // One round trip tells whether the batch exists and where every member's head is now.
    const advertised = new Map<string, string>()
    const ls = await must(['ls-remote', 'origin', ref, ...meta.members.map((m) => `refs/pull/${m.number}/head`)])
    for (const line of ls.split('\n')) {
      const [sha, name] = line.split('\t')
      if (sha && name) advertised.set(name, sha)
    }
    const current = advertised.get(ref) ?? null
    if (current) {
      const held = await existing(current)
      if (held && sameBatch(held, meta)) return { outcome: 'unchanged', branch, sha: current }
    }
    for (const m of meta.members) {
      const actual = advertised.get(`refs/pull/${m.number}/head`) ?? null
      if (actual !== m.sha) return { outcome: 'head-moved', pull: m.number, expected: m.sha, actual }
    }
    await must(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--filter=blob:none', 'origin', meta.parentSha, ...new Set(meta.members.map((m) => m.sha))])
    let tip = meta.parentSha
    for (const [i, m] of meta.members.entries()) {
      if ((await git(['merge-base', '--is-ancestor', m.sha, tip])).code === 0) return { outcome: 'already-contained', pull: m.number }
      const merge = await git(['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', tip, m.sha])
      if (merge.code === 1) {
        const [, ...files] = merge.stdout.split('\0').filter(Boolean)
        return { outcome: 'conflict', pull: m.number, files: [...new Set(files)] }
      }
      if (merge.code !== 0) throw new Error(`git merge-tree for batch ${branch} failed on #${m.number}: ${merge.stderr.trim()}`)
      const tree = merge.stdout.split('\0')[0]
      tip = (await must(['commit-tree', tree, '-p', tip, '-p', m.sha, '-F', '-'], formatMemberMessage(meta, i, options.titles?.[m.number]))).trim()
    }
    // The lease makes the push a compare-and-swap: it fails if the branch moved since ls-remote.
    const push = await pushWithRetries(git, retries, backoff, ['push', '--quiet', '--porcelain', `--force-with-lease=${ref}:${current ?? ''}`, 'origin', `${tip}:${ref}`])
    if (push.code !== 0) {
      if (TRANSIENT.test(push.stderr) && !/stale info|rejected/.test(push.stderr + push.stdout)) {
        throw new Error(`git push of batch ${branch} failed: ${push.stderr.trim().split('\n').slice(-2).join(' / ')}`)
      }
      // Another run pushed first; if it pushed this same batch, that is as good as ours.
      const again = (await must(['ls-remote', 'origin', ref])).split('\t')[0] || null
      if (again && sameBatch((await existing(again)) ?? { ...meta, id: '' }, meta)) return { outcome: 'unchanged', branch, sha: again }
      throw new Error(`git push of batch ${branch} was refused: ${(push.stderr || push.stdout).trim().split('\n').slice(-2).join(' / ')}`)
    }
    return { outcome: 'built', branch, sha: tip }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Pushes, retrying transient failures. A retried push whose first attempt landed is refused by
 * its lease, and the caller then finds its own batch on the branch.
 */
async function pushWithRetries(git: (args: string[]) => Promise<GitResult>, retries: number, backoff: number, args: string[]): Promise<GitResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await git(args)
    if (r.code === 0 || attempt >= retries || !TRANSIENT.test(r.stderr) || /stale info|rejected/.test(r.stderr + r.stdout)) return r
    await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)))
  }
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('git is not installed (the merge queue builds batches with git)'))
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(input ?? '')
  })
}
