/**
 * Shepherd's own workflow hygiene rules, checked on the YAML text of workflows and action metadata:
 * `injection` (attacker-controlled `${{ … }}` in `run:` or github-script code), `permissions`
 * (a workflow without top-level `permissions`) and `unpinned` (`uses:` not pinned by a full SHA).
 * Pure: no fs, no network.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Scalar, type YAMLMap } from 'yaml'

/** One problem in one file; `line` is 1-based. */
export interface Finding {
  file: string
  line: number
  rule: string
  message: string
}

/** A file to check: repository-relative path and its text. */
export interface SourceFile {
  path: string
  content: string
}

/** What a file is, judged by its path: a workflow, an action metadata file, or neither. */
export type FileKind = 'workflow' | 'action'

/** Classifies a path: `.github/workflows/*.yml` is a workflow, `action.yml` is action metadata. */
export function fileKind(path: string): FileKind | undefined {
  const p = path.replace(/\\/g, '/')
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'workflow'
  if (/(^|\/)action\.ya?ml$/.test(p)) return 'action'
  return undefined
}

// Last segments of a `github.event.*` path that carry text an outsider controls (GitHub Security Lab's
// list, generalised): issue/PR/comment/review bodies and titles, commit messages and author names
// and emails, branch names, label names, wiki page names.
const TAINTED_LEAVES = new Set([
  'body', 'title', 'message', 'head_ref', 'head_branch', 'label', 'name', 'email', 'page_name', 'default_branch'
])
// Objects that contain such text: interpolating them whole (e.g. `toJSON(github.event.comment)`) leaks it too.
const TAINTED_OBJECTS = new Set([
  'event', 'issue', 'pull_request', 'comment', 'review', 'review_comment', 'discussion', 'head_commit', 'commits',
  'pages', 'workflow_run', 'head', 'author', 'committer', 'pusher', '*'
])

/** The attacker-controlled context paths (lower-cased, `[…]` as `.*`) used in one expression body. */
export function taintedPaths(expression: string): string[] {
  const normalised = expression
    .replace(/\[\s*'((?:[^']|'')*)'\s*\]/g, '.$1') // github.event['issue'] -> github.event.issue
    .replace(/'(?:[^']|'')*'/g, "''") // string literals are not context access
    .replace(/\[[^\]]*\]/g, '.*') // commits[0] -> commits.*
  const found: string[] = []
  for (const m of normalised.matchAll(/(?<![\w.-])github\.(head_ref\b|event(?:\.(?:[\w-]+|\*))*)/gi)) {
    const path = m[1]!.toLowerCase()
    const segments = path.split('.')
    const last = segments[segments.length - 1]!
    const tainted =
      path === 'head_ref' ||
      TAINTED_LEAVES.has(last) ||
      TAINTED_OBJECTS.has(last) ||
      (last === 'ref' && segments[segments.length - 2] === 'head')
    if (tainted) found.push(`github.${path}`)
  }
  return found
}

/** Checks one workflow or action metadata file against Shepherd's rules; other files yield nothing. */
export function checkRules(file: SourceFile): Finding[] {
  const kind = fileKind(file.path)
  if (!kind) return []
  const lineCounter = new LineCounter()
  const doc = parseDocument(file.content, { lineCounter })
  const findings: Finding[] = []
  const lineOf = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line)
  const add = (offset: number | undefined, rule: string, message: string): void => {
    findings.push({ file: file.path, line: lineOf(offset), rule, message })
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) add(e.pos[0], 'yaml', e.message)
    return findings
  }
  const root = doc.contents
  if (!isMap(root)) return findings

  if (kind === 'workflow' && !root.has('permissions')) {
    add(root.range?.[0], 'permissions', 'workflow has no top-level `permissions`; start from `permissions: {}` and grant per job')
  }

  const steps: YAMLMap[] = []
  const uses: Scalar[] = []
  const collectSteps = (seq: unknown): void => {
    if (!isSeq(seq)) return
    for (const step of seq.items) if (isMap(step)) steps.push(step)
  }
  if (kind === 'workflow') {
    const jobs = root.get('jobs')
    if (isMap(jobs)) {
      for (const pair of jobs.items) {
        if (!isMap(pair.value)) continue
        const ref = pair.value.get('uses', true)
        if (isScalar(ref)) uses.push(ref)
        collectSteps(pair.value.get('steps'))
      }
    }
  } else {
    const runs = root.get('runs')
    if (isMap(runs)) collectSteps(runs.get('steps'))
  }

  for (const step of steps) {
    const ref = step.get('uses', true)
    if (isScalar(ref)) uses.push(ref)
    const run = step.get('run', true)
    if (isScalar(run)) checkInjection(run, '`run:`')
    const withMap = step.get('with')
    if (isScalar(ref) && /^actions\/github-script(@|$)/i.test(String(ref.value)) && isMap(withMap)) {
      const script = withMap.get('script', true)
      if (isScalar(script)) checkInjection(script, 'github-script `script:`')
    }
  }
  for (const ref of uses) {
    const problem = pinProblem(String(ref.value))
    if (problem) add(ref.range?.[0], 'unpinned', problem)
  }
  return findings

  function checkInjection(node: Scalar, where: string): void {
    const value = String(node.value)
    const expressions = [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)]
    if (expressions.length === 0) return
    // Place each expression on its own source line when the raw text shows the same expressions.
    const start = (node as Node).range?.[0]
    const raw = start === undefined ? '' : file.content.slice(start, (node as Node).range![1])
    const rawOffsets = [...raw.matchAll(/\$\{\{/g)].map((m) => start! + m.index)
    expressions.forEach((m, i) => {
      for (const path of taintedPaths(m[1]!)) {
        const offset = rawOffsets.length === expressions.length ? rawOffsets[i] : start
        add(offset, 'injection', `\`${path}\` is attacker-controlled and must not be interpolated into ${where}; pass it through \`env:\` and quote the variable`)
      }
    })
  }
}

/** Why a `uses:` value is not pinned, or undefined when it is (full SHA, `./` local, `$/` self-repository). */
export function pinProblem(uses: string): string | undefined {
  if (uses.startsWith('./')) return undefined
  if (uses.startsWith('$/')) {
    return uses.includes('@') ? `\`${uses}\`: a \`$/\` self-repository reference must not have an \`@ref\`` : undefined
  }
  if (uses.startsWith('docker://')) {
    return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : `\`${uses}\` is a Docker image not pinned by \`@sha256:\` digest`
  }
  const at = uses.lastIndexOf('@')
  if (at < 0) return `\`${uses}\` has no ref; pin it to a full 40-character commit SHA`
  return /^[0-9a-f]{40}$/.test(uses.slice(at + 1))
    ? undefined
    : `\`${uses}\` is not pinned by a full 40-character commit SHA`
}
