/**
 * The simulator's git data: a real bare repository per simulated repository, driven by the git
 * CLI. Every argument is passed as an argv element, never through a shell.
 */
import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'

/** The environment every simulator git process runs with: no user or system config, fixed identity. */
export const GIT_ENV: Record<string, string | undefined> = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Shepherd Simulator',
  GIT_AUTHOR_EMAIL: 'sim@shepherd.invalid',
  GIT_COMMITTER_NAME: 'Shepherd Simulator',
  GIT_COMMITTER_EMAIL: 'sim@shepherd.invalid'
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string
  ) {
    super(`git ${args.join(' ')} failed (${code}): ${stderr.trim()}`)
  }
}

export interface GitIdentity {
  name: string
  email: string
  /** Seconds since the epoch. */
  date: number
}

/** A bare repository on disk. */
export class GitRepo {
  constructor(readonly dir: string) {}

  /** Creates (or reuses) a bare repository at `dir` with `defaultBranch` as HEAD. */
  static async init(dir: string, defaultBranch: string): Promise<GitRepo> {
    await mkdir(dir, { recursive: true })
    const repo = new GitRepo(dir)
    await repo.git(['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`])
    return repo
  }

  /** Runs git in the repository and returns stdout. Throws GitError on a non-zero exit. */
  git(args: string[], input?: string | Buffer, env: Record<string, string> = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        ['--git-dir', this.dir, ...args],
        { env: { ...GIT_ENV, ...env }, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
        (err, stdout, stderr) => {
          if (err) reject(new GitError(args, typeof err.code === 'number' ? err.code : null, stderr.toString()))
          else resolve(stdout.toString())
        }
      )
      if (input !== undefined) child.stdin!.end(input)
    })
  }

  /** Returns the SHA a ref or revision resolves to, or null when it does not exist. */
  async resolve(rev: string): Promise<string | null> {
    return this.resolveTo(rev, 'commit')
  }

  /**
   * Returns the commit the first of `revs` that resolves to one peels to, or null: `resolve` of
   * each in turn, asked of one `git cat-file --batch-check` (a branch, then a tag, then a SHA is
   * one process, not three).
   */
  async resolveFirst(revs: string[]): Promise<string | null> {
    const asked = revs.filter((rev) => rev && !rev.startsWith('-') && !/[\0\n\r]/.test(rev))
    if (!asked.length) return null
    const r = await this.run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], asked.map((rev) => `${rev}^{commit}\n`).join(''))
    if (r.code !== 0) return null
    for (const line of r.stdout.toString().split('\n')) {
      const [sha, type] = line.split(' ')
      if (type === 'commit' && /^[0-9a-f]{40,64}$/.test(sha)) return sha
    }
    return null
  }

  /**
   * Returns the SHA of the object of `type` a revision peels to (`tree` of a commit, …), or null.
   * A revision that could pass for an option (leading `-`) resolves to nothing.
   */
  async resolveTo(rev: string, type: 'commit' | 'tree' | 'blob' | 'tag'): Promise<string | null> {
    if (!rev || rev.startsWith('-') || /[\0\n\r]/.test(rev)) return null
    const r = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{${type}}`])
    return r.code === 0 ? r.stdout.toString().trim() || null : null
  }

  /** Writes a blob and returns its SHA. */
  async writeBlob(content: string | Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], content)).trim()
  }

  /**
   * Returns the tree SHA of `base` (a tree-ish, or null for empty) with `files` applied:
   * a string or Buffer sets a file's content, null deletes it.
   */
  async writeTree(base: string | null, files: Record<string, string | Buffer | null>): Promise<string> {
    const index = `${this.dir}/shepherd-index-${process.pid}-${Math.random().toString(36).slice(2)}`
    const env = { GIT_INDEX_FILE: index }
    try {
      if (base) await this.git(['read-tree', base], undefined, env)
      else await this.git(['read-tree', '--empty'], undefined, env)
      // `--index-info` also removes (mode 0) without the work tree a bare repository lacks.
      const lines: string[] = []
      for (const [path, content] of Object.entries(files)) {
        lines.push(content === null ? `0 ${'0'.repeat(40)}\t${path}` : `100644 ${await this.writeBlob(content)}\t${path}`)
      }
      if (lines.length) await this.git(['update-index', '--index-info'], lines.join('\n') + '\n', env)
      return (await this.git(['write-tree'], undefined, env)).trim()
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(index, { force: true }))
    }
  }

  /** Creates a commit object and returns its SHA. */
  async commitTree(tree: string, parents: string[], message: string, author?: GitIdentity, committer?: GitIdentity): Promise<string> {
    const a = author ?? { name: GIT_ENV.GIT_AUTHOR_NAME!, email: GIT_ENV.GIT_AUTHOR_EMAIL!, date: 1767225600 }
    const c = committer ?? a
    const env = {
      GIT_AUTHOR_NAME: a.name,
      GIT_AUTHOR_EMAIL: a.email,
      GIT_AUTHOR_DATE: `${a.date} +0000`,
      GIT_COMMITTER_NAME: c.name,
      GIT_COMMITTER_EMAIL: c.email,
      GIT_COMMITTER_DATE: `${c.date} +0000`
    }
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])]
    return (await this.git(args, message, env)).trim()
  }

  /**
   * Moves `ref` to `sha`. With `expected` (a SHA, or null for "must not exist") the update is
   * atomic and fails when the ref moved meanwhile.
   */
  async updateRef(ref: string, sha: string, expected?: string | null): Promise<void> {
    const args = ['update-ref', ref, sha]
    if (expected !== undefined) args.push(expected ?? '0'.repeat(40))
    await this.git(args)
  }

  /** Deletes a ref. */
  async deleteRef(ref: string): Promise<void> {
    await this.git(['update-ref', '-d', ref])
  }

  /** Returns the content of a file at a revision, or null when it does not exist. */
  async readFile(rev: string, path: string): Promise<Buffer | null> {
    try {
      const out = await new Promise<Buffer>((resolve, reject) =>
        execFile('git', ['--git-dir', this.dir, 'cat-file', 'blob', `${rev}:${path}`], { env: GIT_ENV, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
          err ? reject(new GitError(['cat-file'], null, stderr.toString())) : resolve(stdout)
        )
      )
      return out
    } catch {
      return null
    }
  }

  /** Lists the refs under a prefix (e.g. `refs/heads/`) as name → SHA. */
  async listRefs(prefix = 'refs/'): Promise<Map<string, string>> {
    const out = await this.git(['for-each-ref', '--format=%(refname) %(objectname)', prefix])
    const refs = new Map<string, string>()
    for (const line of out.split('\n')) {
      const [name, sha] = line.split(' ')
      if (name && sha) refs.set(name, sha)
    }
    return refs
  }

  /** Returns the object type of a SHA (`commit`, `tree`, `blob`, `tag`) or null. */
  async typeOf(sha: string): Promise<string | null> {
    try {
      return (await this.git(['cat-file', '-t', sha])).trim()
    } catch {
      return null
    }
  }
  /** Runs git and returns its exit code and output; never throws for a non-zero exit. */
  run(args: string[], input?: string | Buffer, env: Record<string, string> = {}): Promise<{ code: number; stdout: Buffer; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        'git',
        ['--git-dir', this.dir, ...args],
        { env: { ...GIT_ENV, ...env }, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 128) : 0
          resolve({ code, stdout, stderr: stderr.toString() })
        }
      )
      if (input !== undefined) child.stdin!.end(input)
    })
  }

  /** Returns a commit's parsed header and message, or null when `rev` names no commit. */
  async readCommit(rev: string): Promise<CommitInfo | null> {
    const sha = await this.resolve(rev)
    if (!sha) return null
    const text = await this.git(['cat-file', 'commit', sha])
    const split = text.indexOf('\n\n')
    const header = split < 0 ? text : text.slice(0, split)
    const info: CommitInfo = { sha, tree: '', parents: [], author: NOBODY, committer: NOBODY, message: split < 0 ? '' : text.slice(split + 2) }
    for (const line of header.split('\n')) {
      const [key, ...rest] = line.split(' ')
      const value = rest.join(' ')
      if (key === 'tree') info.tree = value
      else if (key === 'parent') info.parents.push(value)
      else if (key === 'author') info.author = parseIdentity(value)
      else if (key === 'committer') info.committer = parseIdentity(value)
    }
    return info
  }

  /**
   * Merges two commits with `git merge-tree --write-tree` (nothing is checked out or moved) and
   * returns the resulting tree and any conflicted paths.
   */
  async mergeTree(ours: string, theirs: string): Promise<MergeResult> {
    const r = await this.run(['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', ours, theirs])
    if (r.code !== 0 && r.code !== 1) throw new GitError(['merge-tree', ours, theirs], r.code, r.stderr)
    const [tree, ...paths] = r.stdout.toString().split('\0').filter(Boolean)
    return { clean: r.code === 0, tree, conflicts: [...new Set(paths)] }
  }

  /**
   * Applies the change `commit` made to its first parent onto `onto` (a cherry-pick) and returns the
   * resulting tree. git 2.39 has no `merge-tree --merge-base`, so two throwaway commits whose only
   * common ancestor is the parent stand in for it.
   */
  async pickTree(commit: CommitInfo, onto: string): Promise<MergeResult> {
    const base = commit.parents[0]
    const ontoTree = (await this.git(['rev-parse', `${onto}^{tree}`])).trim()
    if (!base) return { clean: true, tree: commit.tree, conflicts: [] }
    const ours = await this.commitTree(ontoTree, [base], 'pick: onto')
    const theirs = await this.commitTree(commit.tree, [base], 'pick: change')
    return this.mergeTree(ours, theirs)
  }

  /** Returns the best common ancestor of two commits, or null for unrelated histories. */
  async mergeBase(a: string, b: string): Promise<string | null> {
    const r = await this.run(['merge-base', a, b])
    return r.code === 0 ? r.stdout.toString().trim() : null
  }

  /** Returns whether commit `a` is an ancestor of (or equal to) commit `b`. */
  async isAncestor(a: string, b: string): Promise<boolean> {
    return (await this.run(['merge-base', '--is-ancestor', a, b])).code === 0
  }

  /** Returns the SHAs `git rev-list` prints for these arguments. */
  async revList(args: string[]): Promise<string[]> {
    return (await this.git(['rev-list', ...args])).split('\n').filter(Boolean)
  }

  /** Writes an annotated tag object and returns its SHA. */
  async writeTag(object: string, type: string, tag: string, message: string, tagger: GitIdentity): Promise<string> {
    const text = `object ${object}\ntype ${type}\ntag ${tag}\ntagger ${tagger.name} <${tagger.email}> ${tagger.date} +0000\n\n${message}`
    return (await this.git(['mktag'], text)).trim()
  }

  /** Returns the raw content of an object, or null when it does not exist. */
  async readObject(sha: string, type: string): Promise<Buffer | null> {
    const r = await this.run(['cat-file', type, sha])
    return r.code === 0 ? r.stdout : null
  }
}

/** A commit's header and message. */
export interface CommitInfo {
  sha: string
  tree: string
  parents: string[]
  author: GitIdentity
  committer: GitIdentity
  message: string
}

/** The outcome of a merge computed without a work tree. */
export interface MergeResult {
  clean: boolean
  /** The merged tree (with conflict markers in conflicted files when not clean). */
  tree: string
  conflicts: string[]
}

const NOBODY: GitIdentity = { name: '', email: '', date: 0 }

function parseIdentity(value: string): GitIdentity {
  const m = /^(.*) <([^>]*)> (\d+)/.exec(value)
  return m ? { name: m[1], email: m[2], date: Number(m[3]) } : NOBODY
}
