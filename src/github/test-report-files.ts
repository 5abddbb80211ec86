/**
 * The JUnit files a run reports on: glob patterns matched over the workspace (minimatch, walking
 * only directories a pattern can reach), then each file streamed through the JUnit reader.
 */
import * as core from '@actions/core'
import { execFile } from 'node:child_process'
import { lstat, readdir } from 'node:fs/promises'
import { promisify } from 'node:util'
import { posix, relative, sep } from 'node:path'
import { Minimatch } from 'minimatch'
import { mergeReports } from '../core/junit/index.js'
import { readJUnitFile } from '../junit/files.js'
import type { FileReport, Report } from '../core/test-report/model.js'
import { resolveSourcePaths } from '../core/test-report/source-paths.js'
import { groupDigits } from '../core/numbers.js'

const execFileAsync = promisify(execFile)

const MAGIC = /[*?[\]{}()!+@]/

/**
 * Returns the files under `root` that match `patterns` (relative to `root`, or absolute; a
 * leading `!` excludes), sorted. `.git` is never entered, nor `node_modules` unless a pattern
 * names it; symbolic links are not followed. Matching follows minimatch: `**` does not enter
 * directories whose names start with a dot unless the pattern spells the dot.
 */
export async function findFiles(patterns: string[], root: string): Promise<string[]> {
  const toAbs = (p: string) => posix.resolve(root.split(sep).join('/'), p.replace(/\\/g, '/'))
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => new Minimatch(toAbs(p)))
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => new Minimatch(toAbs(p.slice(1))))
  const nodeModules = patterns.some((p) => p.includes('node_modules'))
  const found = new Set<string>()
  const visited = new Set<string>()
  for (const m of include) {
    const parts = m.pattern.split('/')
    let i = 0
    while (i < parts.length && !MAGIC.test(parts[i])) i++
    const base = parts.slice(0, i).join('/') || '/'
    await walk(base, m, found, visited, nodeModules, i === parts.length)
  }
  return [...found].filter((f) => !exclude.some((m) => m.match(f))).sort()
}

async function walk(dir: string, m: Minimatch, found: Set<string>, visited: Set<string>, nodeModules: boolean, literal: boolean): Promise<void> {
  // A pattern without magic names one file.
  if (literal) {
    const st = await lstat(dir).catch(() => null)
    if (st?.isFile()) found.add(dir)
    return
  }
  const key = `${m.pattern}\0${dir}`
  if (visited.has(key)) return
  visited.add(key)
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const e of entries) {
    const path = dir === '/' ? `/${e.name}` : `${dir}/${e.name}`
    if (e.isDirectory()) {
      if (e.name === '.git' || (e.name === 'node_modules' && !nodeModules)) continue
      if (m.match(path, true)) await walk(path, m, found, visited, nodeModules, false)
    } else if (e.isFile() && m.match(path)) {
      found.add(path)
    }
  }
}

/**
 * Reads every file into one report. Files are named relative to `root` (where they were found);
 * test locations are made relative to `sourceRoot` (the checkout). A file that cannot be opened is
 * reported as unreadable, like a malformed one; the others are still read.
 */
export async function readReport(paths: string[], root: string, sourceRoot: string): Promise<Report> {
  const files: FileReport[] = []
  const started = performance.now()
  // One line per file, folded: a build can leave hundreds (one per test class).
  core.startGroup(`Reading ${paths.length} JUnit file(s)`)
  try {
    for (const path of paths) {
      const name = relative(root, path).split(sep).join('/') || path
      const t = performance.now()
      files.push(await readJUnitFile(path, { sourceRoot }, name))
      core.info(fileLine(files[files.length - 1], performance.now() - t))
    }
  } finally {
    core.endGroup()
  }
  const report = mergeReports(files)
  const unreadable = files.filter((f) => f.error).length
  core.info(`Read ${files.length} file(s) in ${Math.round(performance.now() - started)} ms: ${countsLine(report)}${unreadable ? `; ${unreadable} file(s) with an error` : ''}`)
  return report
}

/** `100,000 test case(s), 99,000 test(s): 93,000 passed, 5,000 failed, …` */
function countsLine(r: Pick<FileReport, 'runs' | 'tests'>): string {
  const n = groupDigits
  const t = r.tests
  return `${n(r.runs.total)} test case(s), ${n(t.total)} test(s): ${n(t.passed)} passed, ${n(t.failed)} failed, ${n(t.errored)} errored, ${n(t.skipped)} skipped, ${n(t.flaky)} flaky`
}

function fileLine(f: FileReport, ms: number): string {
  const e = f.error
  const where = e ? ` (${e.line !== undefined ? `stopped at ${e.line}:${e.column}: ` : ''}${e.message})` : ''
  return `${f.file}: ${countsLine(f)}, ${Math.round(ms)} ms${where}`
}

/**
 * Makes failing tests' paths repository paths (see core/test-report/source-paths.ts), matched
 * against the checkout's tracked files (`git ls-files`, real git). Only run when a failing test
 * names a file; a workspace that is not a git checkout is left as is. `tracked`: the listing
 * (`trackedFiles`) when it was started earlier. Returns how many paths changed.
 */
export async function resolveWorkspacePaths(report: Report, workspace: string, tracked?: Promise<string[] | undefined>): Promise<number> {
  const results = report.results
  let located = false
  for (let i = 0; i < results.length && !located; i++) located = results.fileAt(i) !== undefined && results.failureAt(i) !== undefined
  if (!located) return 0
  const files = await (tracked ?? trackedFiles(workspace))
  return files ? resolveSourcePaths(report, files) : 0
}

/**
 * The checkout's tracked files, or undefined when `dir` is not inside a git work tree (never
 * rejects). The action starts it before reading the JUnit files, so that git lists a large
 * checkout on another core while they are read (`resolveWorkspacePaths` takes the promise).
 */
export async function trackedFiles(dir: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['-c', 'core.quotePath=false', 'ls-files', '-z', '--full-name'], { cwd: dir, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })
    return stdout.split('\0').filter(Boolean)
  } catch {
    return undefined
  }
}
