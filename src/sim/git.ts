/**
 * The simulator's git data: a real bare repository per simulated repository, driven by the git
 * CLI. Every argument is passed as an argv element, never through a shell.
 */
import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'

const ENV = {
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
        { env: { ...ENV, ...env }, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
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
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim() || null
    } catch {
      return null
    }
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
      for (const [path, content] of Object.entries(files)) {
        if (content === null) {
          await this.git(['update-index', '--force-remove', '--', path], undefined, env)
        } else {
          const sha = await this.writeBlob(content)
          await this.git(['update-index', '--add', '--cacheinfo', `100644,${sha},${path}`], undefined, env)
        }
      }
      return (await this.git(['write-tree'], undefined, env)).trim()
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(index, { force: true }))
    }
  }

  /** Creates a commit object and returns its SHA. */
  async commitTree(tree: string, parents: string[], message: string, author?: GitIdentity, committer?: GitIdentity): Promise<string> {
    const a = author ?? { name: ENV.GIT_AUTHOR_NAME, email: ENV.GIT_AUTHOR_EMAIL, date: 1767225600 }
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
        execFile('git', ['--git-dir', this.dir, 'cat-file', 'blob', `${rev}:${path}`], { env: ENV, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
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
}
