/**
 * Git reads for GraphQL resolvers. Anything keyed by object ids never changes, so it is cached
 * for the life of the process; refs move, so callers memoize them per request only.
 * User-supplied revision expressions reach git through stdin (`cat-file --batch-check`), never argv.
 */
import type { GitRepo } from '../git.js'

const SHA = /^[0-9a-f]{40}$/

const cache = new Map<string, unknown>()
async function cached<T>(key: string, fn: () => Promise<T>): Promise<T> {
  if (cache.has(key)) return cache.get(key) as T
  const value = await fn()
  if (cache.size > 20_000) cache.clear()
  cache.set(key, value)
  return value
}

export interface GitPerson {
  name: string
  email: string
  /** ISO date. */
  date: string
}

export interface CommitInfo {
  oid: string
  tree: string
  parents: string[]
  author: GitPerson
  committer: GitPerson
  message: string
}

export interface ObjectHeader {
  oid: string
  type: 'commit' | 'tree' | 'blob' | 'tag'
  size: number
}

export interface ChangedFile {
  path: string
  additions: number
  deletions: number
  changeType: 'ADDED' | 'DELETED' | 'MODIFIED' | 'CHANGED'
}

export interface TreeEntryInfo {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  oid: string
  size: number
  name: string
}

const isoDate = (epoch: string) => new Date(Number(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Resolves a revision expression (`main`, `HEAD~1`, `main:OWNERS`, a SHA) to an object, or null. */
export async function lookupObject(git: GitRepo, expression: string): Promise<ObjectHeader | null> {
  if (!expression || /[\n\r\0]/.test(expression)) return null
  const out = (await git.git(['cat-file', '--batch-check'], `${expression}\n`)).trim()
  const m = /^([0-9a-f]{40}) (commit|tree|blob|tag) (\d+)$/.exec(out)
  return m ? { oid: m[1], type: m[2] as ObjectHeader['type'], size: Number(m[3]) } : null
}

/** Returns commits by SHA (unknown ones are left out), from one `git log` for those not cached. */
export async function loadCommits(git: GitRepo, oids: string[]): Promise<Map<string, CommitInfo>> {
  const result = new Map<string, CommitInfo>()
  const missing = oids.filter((o) => SHA.test(o) && !cache.has(`${git.dir}\0commit\0${o}`))
  if (missing.length) {
    const format = ['%H', '%T', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B'].join('%x00') + '%x00%x01'
    let out = ''
    try {
      out = await git.git(['log', '--no-walk=unsorted', `--format=${format}`, ...new Set(missing)])
    } catch {
      out = ''
    }
    for (const record of out.split('\x00\x01')) {
      const f = record.replace(/^\n/, '').split('\x00')
      if (f.length < 10) continue
      const info: CommitInfo = {
        oid: f[0],
        tree: f[1],
        parents: f[2] ? f[2].split(' ') : [],
        author: { name: f[3], email: f[4], date: isoDate(f[5]) },
        committer: { name: f[6], email: f[7], date: isoDate(f[8]) },
        message: f[9].replace(/\n+$/, '')
      }
      cache.set(`${git.dir}\0commit\0${info.oid}`, info)
    }
  }
  for (const o of oids) {
    const info = cache.get(`${git.dir}\0commit\0${o}`) as CommitInfo | undefined
    if (info) result.set(o, info)
  }
  return result
}

/** Returns one commit, or null when it does not exist. */
export async function loadCommit(git: GitRepo, oid: string): Promise<CommitInfo | null> {
  return (await loadCommits(git, [oid])).get(oid) ?? null
}

/** Returns a blob's content as text (binary content keeps its NUL bytes). */
export function blobText(git: GitRepo, oid: string): Promise<string> {
  return cached(`${git.dir}\0blob\0${oid}`, () => git.git(['cat-file', 'blob', oid]))
}

/** Returns the entries of a tree. */
export function treeEntries(git: GitRepo, oid: string): Promise<TreeEntryInfo[]> {
  return cached(`${git.dir}\0tree\0${oid}`, async () => {
    if (!SHA.test(oid)) return []
    const out = await git.git(['ls-tree', '-l', '-z', oid])
    return out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, name] = line.split('\t')
        const [mode, type, sha, size] = meta.split(/\s+/)
        return { mode, type: type as TreeEntryInfo['type'], oid: sha, size: Number(size) || 0, name }
      })
  })
}

/** Returns the files a pull request changes: the diff from the merge base of `base` and `head` to `head`. */
export function changedFiles(git: GitRepo, base: string, head: string): Promise<ChangedFile[]> {
  return cached(`${git.dir}\0diff\0${base}\0${head}`, async () => {
    if (!SHA.test(base) || !SHA.test(head)) return []
    const out = await git.git(['diff', '--raw', '--numstat', '-z', '--no-renames', `${base}...${head}`])
    const tokens = out.split('\0')
    const status = new Map<string, string>()
    const files: ChangedFile[] = []
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]
      if (t.startsWith(':')) {
        status.set(tokens[++i], t.split(' ').pop() ?? 'M')
        continue
      }
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(t.replace(/^\n/, ''))
      if (!m) continue
      const s = status.get(m[3]) ?? 'M'
      files.push({
        path: m[3],
        additions: Number(m[1]) || 0,
        deletions: Number(m[2]) || 0,
        changeType: s === 'A' ? 'ADDED' : s === 'D' ? 'DELETED' : s === 'M' ? 'MODIFIED' : 'CHANGED'
      })
    }
    return files
  })
}

/** Returns the commits reachable from `head` but not from `base`, oldest first. */
export function commitsBetween(git: GitRepo, base: string, head: string): Promise<string[]> {
  return cached(`${git.dir}\0revs\0${base}\0${head}`, async () => {
    if (!SHA.test(base) || !SHA.test(head)) return []
    return (await git.git(['rev-list', '--reverse', `${base}..${head}`])).split('\n').filter(Boolean)
  })
}

/** Returns whether `head` merges into `base` without conflicts (a real `git merge-tree`). */
export function mergesCleanly(git: GitRepo, base: string, head: string): Promise<boolean | null> {
  return cached(`${git.dir}\0merge\0${base}\0${head}`, async () => {
    if (!SHA.test(base) || !SHA.test(head)) return null
    try {
      await git.git(['merge-tree', '--write-tree', '--no-messages', base, head])
      return true
    } catch (err) {
      return (err as { code?: number }).code === 1 ? false : null
    }
  })
}

/** Returns the commits of `oid`'s history, newest first (optionally only those touching `path`). */
export function history(git: GitRepo, oid: string, path?: string | null): Promise<string[]> {
  return cached(`${git.dir}\0history\0${oid}\0${path ?? ''}`, async () => {
    if (!SHA.test(oid)) return []
    const args = ['rev-list', oid]
    if (path) args.push('--', path)
    return (await git.git(args)).split('\n').filter(Boolean)
  })
}

/** Lists all refs with the SHA and type of the object each points to. */
export async function listRefs(git: GitRepo): Promise<Map<string, { oid: string; type: string }>> {
  const out = await git.git(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(objecttype)', 'refs/'])
  const refs = new Map<string, { oid: string; type: string }>()
  for (const line of out.split('\n')) {
    const [name, oid, type] = line.split('\0')
    if (name && oid) refs.set(name, { oid, type })
  }
  return refs
}

/** Returns the tree entry at `path` in commit or tree `oid`, or null. */
export async function entryAt(git: GitRepo, oid: string, path: string): Promise<TreeEntryInfo | null> {
  const clean = path.replace(/^\/+|\/+$/g, '')
  if (!SHA.test(oid) || !clean) return null
  return cached(`${git.dir}\0entry\0${oid}\0${clean}`, async () => {
    const out = await git.git(['ls-tree', '-l', '-z', oid, '--', clean])
    const line = out.split('\0').find((l) => l.endsWith(`\t${clean}`))
    if (!line) return null
    const [meta] = line.split('\t')
    const [mode, type, sha, size] = meta.split(/\s+/)
    return { mode, type: type as TreeEntryInfo['type'], oid: sha, size: Number(size) || 0, name: clean.split('/').pop()! }
  })
}
