/**
 * The test report's inputs as one typed settings object, validated in one place before anything
 * is read or written. Every error names the input and says what it accepts.
 */
import type { FailOn } from './outputs.js'

export type CommentMode = 'off' | 'always' | 'failures'
export type HistoryKind = 'branch' | 'artifact' | 'off'
export type Mode = 'run' | 'workflow_run'

export interface Settings {
  /** Glob patterns, relative to the workspace; `!` excludes. */
  files: string[]
  name: string
  failOn: FailOn
  checkRun: boolean
  annotations: boolean
  comment: CommentMode
  history: HistoryKind
  historyRuns: number
  dashboard: boolean
  /** Branch to publish the dashboard to; empty: not published. */
  pagesBranch: string
  mode: Mode
  /** `run`: an artifact of this run holding the JUnit files, downloaded first (empty: none). `workflow_run`: ignored. */
  artifact: string
}

/** An input with a bad value: the message names it. */
export class InputError extends Error {}

const oneOf = <T extends string>(name: string, value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(`input ${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
}

const bool = (name: string, value: string): boolean => {
  // The YAML 1.2 core schema's spellings, as @actions/core's getBooleanInput takes them.
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(`input ${name} must be true or false, got ${JSON.stringify(value)}`)
}

/** Returns the patterns of a `files` value: one per line or comma-separated, blanks and `#` comments dropped. */
export function splitPatterns(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'))
}

/** Returns whether `name` is a branch name git accepts (`git check-ref-format --branch`, simplified). */
export function isBranchName(name: string): boolean {
  return (
    /^[^\s~^:?*[\\\x00-\x1f\x7f]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.includes('@{') &&
    !name.split('/').some((part) => part.startsWith('.'))
  )
}

/**
 * Returns the settings from the inputs (`get` returns an input's value, '' when unset; defaults
 * are action.yml's). `job` is the default report name. Throws InputError for the first bad input.
 */
export function parseSettings(get: (name: string) => string, job: string): Settings {
  const value = (name: string, fallback: string) => get(name).trim() || fallback
  const mode = oneOf('mode', value('mode', 'run'), ['run', 'workflow_run'] as const)
  const filesText = get('files')
  const files = splitPatterns(filesText)
  if (!files.length && mode === 'run') throw new InputError('input files must name at least one glob pattern (for example "**/TEST-*.xml"), got nothing')
  for (const p of files) if (p.includes('\0')) throw new InputError(`input files has a pattern with a NUL character: ${JSON.stringify(p)}`)
  const name = value('name', job)
  if (name.length > 100 || /[\r\n\0]/.test(name)) throw new InputError(`input name must be one line of at most 100 characters, got ${JSON.stringify(name.slice(0, 120))}`)
  const runsText = value('history-runs', '100')
  const historyRuns = Number(runsText)
  if (!/^\d+$/.test(runsText) || historyRuns < 1 || historyRuns > 1000) throw new InputError(`input history-runs must be a whole number from 1 to 1000, got ${JSON.stringify(runsText)}`)
  const pagesBranch = get('pages-branch').trim()
  if (pagesBranch && !isBranchName(pagesBranch)) throw new InputError(`input pages-branch must be a branch name (or empty to publish nothing), got ${JSON.stringify(pagesBranch)}`)
  const artifact = get('artifact').trim()
  if (artifact && (/[":<>|*?\\/\r\n]/.test(artifact) || artifact.length > 200)) {
    throw new InputError(`input artifact must be an artifact name (no " : < > | * ? \\ / or line breaks), got ${JSON.stringify(artifact)}`)
  }
  return {
    files: files.length ? files : ['**/*.xml'],
    name,
    failOn: oneOf('fail-on', value('fail-on', 'failures'), ['failures', 'errors', 'nothing'] as const),
    checkRun: bool('check-run', value('check-run', 'true')),
    annotations: bool('annotations', value('annotations', 'true')),
    comment: oneOf('comment', value('comment', 'off'), ['off', 'always', 'failures'] as const),
    history: oneOf('history', value('history', 'branch'), ['branch', 'artifact', 'off'] as const),
    historyRuns,
    dashboard: bool('dashboard', value('dashboard', 'true')),
    pagesBranch,
    mode,
    artifact
  }
}
