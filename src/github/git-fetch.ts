/**
 * Reads chosen blobs of one directory of a branch with real git over smart HTTP, in two fetches
 * whatever their number: a shallow fetch of the branch's tip without blobs (`--depth=1
 * --filter=blob:none`, GitHub serves partial clones), then one fetch of exactly the wanted blob
 * SHAs. The API rate limit does not count git requests, and a pack is compressed as a whole. The
 * token goes to git through GIT_CONFIG_* environment variables (an `http.extraHeader`), never in
 * a URL or an argument.
 */
import { execFile, spawn } from 'node:child_process'
import { appendFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RepoRef } from './apply.js'
import { isolatedGitEnv, partialCloneRemote } from './git-remote.js'
import type { BranchEntry } from './branch-commit.js'

/** Thrown when the git CLI is not installed: the caller may read another way. */
export class GitMissingError extends Error {}

export interface FetchBlobsOptions {
  token: string
  /** The server's web URL (GITHUB_SERVER_URL); the repository is `<server>/<owner>/<repo>.git`. */
  serverUrl: string
  where: RepoRef
  branch: string
  /** Directory whose entries `choose` sees (no leading or trailing slash). */
  dir: string
  /** Given the directory's entries, returns the blob SHAs to read. */
  choose: (entries: BranchEntry[]) => string[]
  tempDir?: string
  /** Attempts per fetch on transient failures (default 3). */
  retries?: number
  /** First wait between attempts, ms, doubled each time (default 1,000). */
  backoffMs?: number
  /**
   * Keep the scratch repository (the branch's tip commit and trees, and the fetched blobs) for a
   * later commit on top of it (`FetchedBlobs.repo`); the caller then removes it with `dispose`.
   */
  keep?: boolean
  /** Takes each blob chosen, once, as it is read (so no more than one is held); what it throws fails the fetch. */
  onBlob: (oid: string, content: Buffer) => void
}

/** The scratch repository a fetch kept: a bare, shallow, blob-less clone of the branch's tip. */
export interface FetchedRepo {
  /** Its directory. */
  dir: string
  /** The environment git runs with there (the remote, the token's header, no user config). */
  env: NodeJS.ProcessEnv
  /** The commit SHA of the branch's tip as fetched. */
  tip: string
  /** Removes the directory (once; later calls do nothing). */
  dispose(): Promise<void>
}

export interface FetchedBlobs {
  /** Fetches made (0 when the branch or directory does not exist and nothing was chosen: then 1). */
  fetches: number
  /** With `keep`, when the branch exists: the scratch repository, left in place. */
  repo?: FetchedRepo
}

export interface GitResult {
  code: number
  stdout: Buffer
  stderr: string
}

/** Runs git in `cwd`; resolves with its exit code and output (rejects only with GitMissingError). */
export function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv, input?: string | Uint8Array): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env, encoding: 'buffer', maxBuffer: 2 * 1024 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new GitMissingError('git is not installed (needed to read the history branch with git)'))
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr: stderr.toString('utf8') })
    })
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(input ?? '')
  })
}

const lastLines = (s: string) => s.trim().split('\n').slice(-2).join(' / ')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Returns whether git's message says the server refused (no retry helps): authentication, a
 * missing repository, a 401/403/404. Matched as `returned error: 403`, never a bare number: the
 * URL in the message has a port, and port 34039 is not a refusal.
 */
export function fetchRefused(stderr: string): boolean {
  return /Authentication failed|not found|denied|returned error: 40[134]\b/i.test(stderr)
}

/**
 * Fetches the branch's tip, lists `dir`, and fetches the blobs `choose` picks, handing each to
 * `onBlob` as it is read. Returns the number of fetches. A missing branch or directory gives no
 * blobs; a blob the fetch did not bring is not handed over. Throws when git fails
 * after its retries (naming the repository and what git said), or GitMissingError without git.
 */
export async function fetchBranchBlobs(options: FetchBlobsOptions): Promise<FetchedBlobs> {
  // A promisor remote: git accepts a blob-less fetch, and never fetches missing blobs behind our back.
  const { config } = partialCloneRemote(options.serverUrl, options.where, options.token)
  const env = isolatedGitEnv([...config, ['fetch.negotiationAlgorithm', 'noop']], { GIT_NO_LAZY_FETCH: '1' })
  const retries = options.retries ?? 3
  const backoff = options.backoffMs ?? 1000
  const where = `${options.where.owner}/${options.where.repo}`
  const dir = await mkdtemp(join(options.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'shepherd-history-'))
  let fetches = 0
  const fetch = async (args: string[], input?: string): Promise<GitResult> => {
    for (let attempt = 1; ; attempt++) {
      fetches++
      const r = await runGit(dir, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', ...args], env, input)
      if (r.code === 0 || /couldn't find remote ref/i.test(r.stderr)) return r
      if (attempt >= retries || fetchRefused(r.stderr)) {
        throw new Error(`git fetch from ${where} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${lastLines(r.stderr) || `exit ${r.code}`}`)
      }
      await sleep(backoff * 2 ** (attempt - 1))
    }
  }
  let kept: FetchedRepo | undefined
  try {
    const init = await runGit(dir, ['init', '--quiet', '--bare', '.'], env)
    if (init.code !== 0) throw new Error(`git init failed: ${lastLines(init.stderr)}`)
    // A partial clone's repository settings (written directly: two `git config` runs cost more than the read).
    await appendFile(join(dir, 'config'), '[core]\n\trepositoryformatversion = 1\n[extensions]\n\tpartialClone = origin\n')
    const tip = await fetch(['--depth=1', '--filter=blob:none', 'origin', `+refs/heads/${options.branch}:refs/history`])
    if (tip.code !== 0) return { fetches }
    if (options.keep) {
      const head = await runGit(dir, ['rev-parse', '--verify', 'refs/history^{commit}'], env)
      if (head.code === 0) {
        let disposed = false
        kept = { dir, env, tip: head.stdout.toString('utf8').trim(), dispose: async () => (disposed ? undefined : ((disposed = true), rm(dir, { recursive: true, force: true }))) }
      }
    }
    const repo = kept ? { repo: kept } : {}
    // Without --long: sizes would make git read the blobs it does not have.
    const ls = await runGit(dir, ['ls-tree', '-z', `refs/history:${options.dir}`], env)
    if (ls.code !== 0) return { fetches, ...repo } // no such directory yet
    const entries: BranchEntry[] = []
    for (const line of ls.stdout.toString('utf8').split('\0')) {
      const m = /^\d+ (\w+) ([0-9a-f]{40,64})\t(.*)$/s.exec(line)
      if (m) entries.push({ type: m[1], oid: m[2], size: 0, name: m[3] })
    }
    const wanted = [...new Set(options.choose(entries))]
    if (!wanted.length) return { fetches, ...repo }
    await fetch(['--filter=blob:none', '--stdin', 'origin'], wanted.join('\n') + '\n')
    await catBlobs(dir, env, wanted, options.onBlob)
    return { fetches, ...repo }
  } catch (err) {
    kept = undefined
    throw err
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Reads blobs with one `git cat-file --batch`, each into its own buffer as the output streams in
 * and handed to `onBlob` once whole: the whole output is never held twice (execFile gathers it,
 * then joins it), which for 100 records of 10,000 tests was 60 MB more at the peak. Missing blobs
 * are left out. Throws when git fails or `onBlob` throws (git is then stopped).
 */
function catBlobs(cwd: string, env: NodeJS.ProcessEnv, oids: string[], onBlob: (oid: string, content: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let failed: { error: unknown } | undefined
    const take = (oid: string, content: Buffer) => {
      try {
        onBlob(oid, content)
      } catch (error) {
        failed = { error }
        child.stdout.removeAllListeners('data')
        child.kill()
      }
    }
    let header: Buffer[] = []
    let blob: { oid: string; data: Buffer; filled: number } | null = null
    // After a blob's bytes, one newline follows.
    let skip = 0
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      let at = 0
      while (at < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - at)
          skip -= n
          at += n
        } else if (blob) {
          const n = Math.min(blob.data.length - blob.filled, chunk.length - at)
          chunk.copy(blob.data, blob.filled, at, at + n)
          blob.filled += n
          at += n
          if (blob.filled === blob.data.length) {
            const whole = blob
            blob = null
            skip = 1
            take(whole.oid, whole.data)
            if (failed) return
          }
        } else {
          const nl = chunk.indexOf(10, at)
          header.push(chunk.subarray(at, nl < 0 ? chunk.length : nl))
          if (nl < 0) break
          at = nl + 1
          const [oid, type, size] = Buffer.concat(header).toString('utf8').split(' ')
          header = []
          if (type === 'missing' || size === undefined) continue
          blob = { oid, data: Buffer.allocUnsafe(Number(size)), filled: 0 }
          if (blob.data.length === 0) {
            blob = null
            skip = 1
            take(oid, Buffer.alloc(0))
            if (failed) return
          }
        }
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', (err) => reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new GitMissingError('git is not installed (needed to read the history branch with git)') : err))
    child.on('close', (code) => (failed ? reject(failed.error) : code === 0 ? resolve() : reject(new Error(`git cat-file failed (${code}): ${lastLines(stderr)}`))))
    child.stdin.on('error', () => undefined)
    child.stdin.end(oids.join('\n') + '\n')
  })
}
