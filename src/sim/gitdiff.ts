/**
 * Diffs, tree listings and tree building over a simulator repository, parsed from the git CLI's
 * NUL-separated output (`-z`), so any path is handled.
 */
import { rm } from 'node:fs/promises'
import { GitRepo } from './git.js'

/** git's well-known empty tree, usable as the "before" of a root commit. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

/** One changed file, as GitHub's diff-entry describes it. */
export interface FileChange {
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed'
  filename: string
  previousFilename?: string
  additions: number
  deletions: number
  /** Blob SHA after the change (before it, for a removed file). */
  sha: string
  /** The unified-diff hunks (absent for binary files and pure renames). */
  patch?: string
}

const STATUS: Record<string, FileChange['status']> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' }

/** Returns the files changed between two tree-ishes (`from` null: the empty tree), with rename detection. */
export async function diffFiles(git: GitRepo, from: string | null, to: string, withPatch = true): Promise<FileChange[]> {
  const base = from ?? EMPTY_TREE
  const raw = (await git.git(['diff', '--raw', '-z', '-M', '--no-abbrev', base, to])).split('\0')
  const num = (await git.git(['diff', '--numstat', '-z', '-M', base, to])).split('\0')
  const changes: FileChange[] = []
  for (let i = 0; i < raw.length - 1; ) {
    const [, , oldSha, newSha, code] = raw[i].slice(1).split(' ')
    const letter = code[0]
    const two = letter === 'R' || letter === 'C'
    const change: FileChange = {
      status: STATUS[letter] ?? 'modified',
      filename: two ? raw[i + 2] : raw[i + 1],
      additions: 0,
      deletions: 0,
      sha: letter === 'D' ? oldSha : newSha
    }
    if (two) change.previousFilename = raw[i + 1]
    changes.push(change)
    i += two ? 3 : 2
  }
  let n = 0
  for (const change of changes) {
    const [added, deleted] = num[n].split('\t')
    change.additions = Number(added) || 0
    change.deletions = Number(deleted) || 0
    // A rename's numstat entry is "a\td\t" followed by the two paths as separate fields.
    n += num[n].endsWith('\t') ? 3 : 1
  }
  if (withPatch && changes.length) {
    const text = await git.git(['diff', '-M', '--no-color', base, to])
    const chunks = text.split(/^diff --git /m).slice(1)
    chunks.forEach((chunk, k) => {
      const at = chunk.search(/^@@/m)
      if (at >= 0 && changes[k]) changes[k].patch = chunk.slice(at).replace(/\n$/, '')
    })
  }
  return changes
}

/** One entry of a tree listing. */
export interface TreeEntry {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  size?: number
}

/** Lists a tree (or a commit's tree); `recursive` includes the subtrees and everything in them. */
export async function lsTree(git: GitRepo, treeish: string, recursive: boolean): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), treeish]
  return (await git.git(args))
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t')
      const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/)
      const entry: TreeEntry = { path: line.slice(tab + 1), mode, type: type as TreeEntry['type'], sha }
      if (type === 'blob') entry.size = Number(size)
      return entry
    })
}

/** A change to a tree: set a path to an object (a blob, a subtree or a submodule commit), or delete it. */
export interface TreeOp {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  /** The object, or null to delete the path (and everything under it). */
  sha: string | null
}

/** Returns the SHA of `base` (a tree-ish, or null for empty) with `ops` applied in order. */
export async function buildTree(git: GitRepo, base: string | null, ops: TreeOp[]): Promise<string> {
  const index = `${git.dir}/shepherd-index-${process.pid}-${Math.random().toString(36).slice(2)}`
  const env = { GIT_INDEX_FILE: index, GIT_LITERAL_PATHSPECS: '1' }
  try {
    await git.git(base ? ['read-tree', base] : ['read-tree', '--empty'], undefined, env)
    for (const op of ops) {
      const path = op.path.replace(/^\/+|\/+$/g, '')
      // Whatever was at the path (a file, or a directory's files) is replaced.
      const under = (await git.git(['ls-files', '-z', '--', path], undefined, env)).split('\0').filter((p) => p === path || p.startsWith(`${path}/`))
      const lines = under.map((p) => `0 ${'0'.repeat(40)}\t${p}`)
      if (op.sha && op.type !== 'tree') lines.push(`${op.mode} ${op.sha}\t${path}`)
      if (lines.length) await git.git(['update-index', '--index-info'], lines.join('\n') + '\n', env)
      if (op.sha && op.type === 'tree') await git.git(['read-tree', `--prefix=${path}/`, op.sha], undefined, env)
    }
    return (await git.git(['write-tree'], undefined, env)).trim()
  } finally {
    await rm(index, { force: true })
  }
}
