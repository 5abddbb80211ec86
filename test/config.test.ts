import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ConfigInvalidError, parseConfig, shepherdConfigSchema, type ConfigError, type ShepherdConfig } from '../src/core/config/index.js'

const read = (file: string): string => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')

/** The problems `parseConfig` reports for `text`; fails the test if the text is valid. */
function problems(text: string): ConfigError[] {
  try {
    parseConfig(text)
  } catch (e) {
    if (e instanceof ConfigInvalidError) return e.errors
    throw e
  }
  throw new Error('expected the config to be invalid')
}

/** The ```yaml blocks of a Markdown file, in order. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
}

const DEFAULTS: ShepherdConfig = {
  triage: {
    commands: { enabled: ['*'], disabled: [] },
    hold: { label: 'do-not-merge/hold' },
    labels: { lgtm: 'lgtm', approved: 'approved', additional: [] },
    lgtm: { store_tree_hash: true, review_acts_as_lgtm: false },
    needs_labels: [],
    trusted: { orgs: [], teams: [] },
    ok_to_test: { require_ok_to_test_for_untrusted: true },
    size: { generated_files: [] },
    blunderbuss: { reviewer_count: 2 },
    approve: { require_self_approval: false, lgtm_acts_as_approve: false, ignore_review_state: false },
    label_families: ['kind', 'priority', 'area', 'sig', 'triage', 'wg', 'committee', 'language'],
    test_workflows: {},
    milestone: { maintainers_team: '' }
  },
  merge_queue: {
    branches: [],
    labels: ['lgtm', 'approved'],
    missing_labels: ['do-not-merge/*', 'needs-rebase', 'needs-ok-to-test'],
    required_checks: [],
    priority_labels: [],
    batch_size_max: 6,
    first_batch_size: 1,
    in_flight: 5,
    ci: { mode: 'dispatch', workflow: 'ci.yml', timeout_minutes: 60 },
    merge_method: 'fast-forward',
    frozen: false,
    maintainers_team: ''
  },
  test_report: {
    history_runs: 100,
    flake: { flip_rate_threshold: 10, regression_confidence: 0.95, pity: 5, min_failures: 3, new_test_min_runs: 6, new_test_pass_rate: 0.95 },
    fail_on: 'failures'
  },
  release: { branch_cut_at: 'rc.0', release_branch_prefix: 'release-', first_rc_after_final: 0, changelog_dir: 'CHANGELOG', require_green: true }
}

const FULL = `
triage:
  commands: {enabled: [lgtm, hold, approve], disabled: [hold]}
  hold: {label: blocked}
  labels: {lgtm: looks-good, approved: ok, additional: [tide/merge-method-squash]}
  lgtm: {store_tree_hash: false, review_acts_as_lgtm: true}
  needs_labels: [kind, sig]
  trusted: {orgs: [acme], teams: [acme/core]}
  ok_to_test: {require_ok_to_test_for_untrusted: false}
  size: {generated_files: ["**/*.pb.go"]}
  blunderbuss: {reviewer_count: 0}
  approve: {require_self_approval: true, lgtm_acts_as_approve: true, ignore_review_state: true}
  label_families: [kind]
  test_workflows: {unit: unit.yml}
  milestone: {maintainers_team: acme/release-team}
merge_queue:
  branches: [main]
  labels: [ready]
  missing_labels: [wip]
  required_checks: [build]
  priority_labels: [urgent]
  batch_size_max: 100
  first_batch_size: 100
  in_flight: 1
  ci: {mode: push, workflow: queue.yaml, timeout_minutes: 1440}
  merge_method: squash
  frozen: true
  maintainers_team: acme/release-team
test_report:
  history_runs: 1000
  flake: {flip_rate_threshold: 12.5, regression_confidence: 0.99, pity: 0, min_failures: 0, new_test_min_runs: 1, new_test_pass_rate: 1}
  fail_on: nothing
release: {branch_cut_at: beta.0, release_branch_prefix: "", changelog_dir: docs/changes, require_green: false}
`

describe('parseConfig: valid files', () => {
  const cases: { name: string; text: string | null; expected: ShepherdConfig }[] = [
    { name: 'an empty file gives every default', text: '', expected: DEFAULTS },
    { name: 'no file (null) gives every default', text: null, expected: DEFAULTS },
    { name: 'a file of comments gives every default', text: '# nothing yet\n\n', expected: DEFAULTS },
    {
      name: 'a key with no value keeps its default',
      text: 'merge_queue:\n  # batch_size_max: 4\nrelease:\n  changelog_dir: ~\n',
      expected: DEFAULTS
    },
    {
      name: 'one key set keeps the defaults of its neighbours',
      text: 'merge_queue:\n  batch_size_max: 4\n',
      expected: { ...DEFAULTS, merge_queue: { ...DEFAULTS.merge_queue, batch_size_max: 4 } }
    },
    {
      name: 'a full example with every key set',
      text: FULL,
      expected: {
        triage: {
          commands: { enabled: ['lgtm', 'hold', 'approve'], disabled: ['hold'] },
          hold: { label: 'blocked' },
          labels: { lgtm: 'looks-good', approved: 'ok', additional: ['tide/merge-method-squash'] },
          lgtm: { store_tree_hash: false, review_acts_as_lgtm: true },
          needs_labels: ['kind', 'sig'],
          trusted: { orgs: ['acme'], teams: ['acme/core'] },
          ok_to_test: { require_ok_to_test_for_untrusted: false },
          size: { generated_files: ['**/*.pb.go'] },
          blunderbuss: { reviewer_count: 0 },
          approve: { require_self_approval: true, lgtm_acts_as_approve: true, ignore_review_state: true },
          label_families: ['kind'],
          test_workflows: { unit: 'unit.yml' },
          milestone: { maintainers_team: 'acme/release-team' }
        },
        merge_queue: {
          branches: ['main'],
          labels: ['ready'],
          missing_labels: ['wip'],
          required_checks: ['build'],
          priority_labels: ['urgent'],
          batch_size_max: 100,
          first_batch_size: 100,
          in_flight: 1,
          ci: { mode: 'push', workflow: 'queue.yaml', timeout_minutes: 1440 },
          merge_method: 'squash',
          frozen: true,
          maintainers_team: 'acme/release-team'
        },
        test_report: {
          history_runs: 1000,
          flake: { flip_rate_threshold: 12.5, regression_confidence: 0.99, pity: 0, min_failures: 0, new_test_min_runs: 1, new_test_pass_rate: 1 },
          fail_on: 'nothing'
        },
        release: { branch_cut_at: 'beta.0', release_branch_prefix: '', first_rc_after_final: 0, changelog_dir: 'docs/changes', require_green: false }
      }
    }
  ]
  it.each(cases)('$name', ({ text, expected }) => {
    expect(parseConfig(text)).toEqual(expected)
  })

  it('the full example in docs/configuration.md is valid', () => {
    const config = parseConfig(yamlBlocks(read('docs/configuration.md'))[0])
    expect(config.triage.commands.disabled).toEqual(['cherry-pick'])
    expect(config.merge_queue.branches).toEqual(['main', 'release-1.30'])
    expect(config.release).toEqual(DEFAULTS.release)
  })

  it('defaults are fresh objects on every call', () => {
    parseConfig(null).merge_queue.labels.push('mutated')
    expect(parseConfig(null).merge_queue.labels).toEqual(['lgtm', 'approved'])
  })
})

describe('parseConfig: invalid files', () => {
  const cases: { name: string; text: string; expected: ConfigError[] }[] = [
    {
      name: 'unknown top-level key is named, with the closest known key',
      text: 'triage: {}\nmerge-queue:\n  frozen: true\n',
      expected: [{ path: 'merge-queue', line: 2, column: 1, message: 'unknown key "merge-queue" (did you mean "merge_queue"?)' }]
    },
    {
      name: 'unknown nested key points at the key itself',
      text: 'merge_queue:\n  frozen: false\n  batch_size: 4\n',
      expected: [{ path: 'merge_queue.batch_size', line: 3, column: 3, message: 'unknown key "batch_size" (did you mean "batch_size_max"?)' }]
    },
    {
      name: 'unknown key with no close match lists the known keys',
      text: 'release:\n  notes: true\n',
      expected: [
        {
          path: 'release.notes',
          line: 2,
          column: 3,
          message: 'unknown key "notes"; known keys are branch_cut_at, release_branch_prefix, first_rc_after_final, changelog_dir, require_green'
        }
      ]
    },
    {
      name: 'wrong type in a nested section points at the value',
      text: 'test_report:\n  flake:\n    min_failures: ten\n',
      expected: [{ path: 'test_report.flake.min_failures', line: 3, column: 19, message: 'must be integer, got string "ten"' }]
    },
    {
      name: 'a fraction where an integer is expected',
      text: 'merge_queue: {in_flight: 1.5}\n',
      expected: [{ path: 'merge_queue.in_flight', line: 1, column: 26, message: 'must be integer, got number 1.5' }]
    },
    {
      name: 'a string where a list is expected',
      text: 'merge_queue:\n  branches: main\n',
      expected: [{ path: 'merge_queue.branches', line: 2, column: 13, message: 'must be list, got string "main"' }]
    },
    {
      name: 'a YAML 1.1 boolean is a string',
      text: 'merge_queue:\n  frozen: yes\n',
      expected: [{ path: 'merge_queue.frozen', line: 2, column: 11, message: 'must be boolean, got string "yes"' }]
    },
    {
      name: 'number out of range',
      text: 'merge_queue:\n  batch_size_max: 0\n',
      expected: [{ path: 'merge_queue.batch_size_max', line: 2, column: 19, message: 'must be >= 1, got number 0' }]
    },
    {
      name: 'a ramp that starts at no PR',
      text: 'merge_queue:\n  first_batch_size: 0\n',
      expected: [{ path: 'merge_queue.first_batch_size', line: 2, column: 21, message: 'must be >= 1, got number 0' }]
    },
    {
      name: 'enum violation lists the allowed values',
      text: 'merge_queue:\n  merge_method: ff\n',
      expected: [{ path: 'merge_queue.merge_method', line: 2, column: 17, message: 'must be one of fast-forward, merge, squash, rebase, got string "ff"' }]
    },
    {
      name: 'a list item with the wrong shape names its index',
      text: 'triage:\n  trusted:\n    teams:\n      - acme/core\n      - maintainers\n',
      expected: [{ path: 'triage.trusted.teams[1]', line: 5, column: 9, message: 'must be a team as org/team-slug, got string "maintainers"' }]
    },
    {
      name: 'a list item given twice',
      text: 'merge_queue:\n  labels: [lgtm, approved, lgtm]\n',
      expected: [{ path: 'merge_queue.labels[2]', line: 2, column: 28, message: '"lgtm" is listed twice' }]
    },
    {
      name: 'an empty string where a name is needed',
      text: 'triage:\n  hold:\n    label: ""\n',
      expected: [{ path: 'triage.hold.label', line: 3, column: 12, message: 'must not be empty' }]
    },
    {
      name: 'YAML syntax error at the line where parsing failed',
      text: 'triage:\n  hold: {label: x\nrelease: {}\n',
      expected: [{ path: '', line: 3, column: 1, message: 'invalid YAML: Flow map in block collection must be sufficiently indented and end with a }' }]
    },
    {
      name: 'root is a list',
      text: '- triage\n- merge_queue\n',
      expected: [
        { path: '', line: 1, column: 1, message: 'the file must be a mapping of sections (triage, merge_queue, test_report, release), got list' }
      ]
    },
    {
      name: 'root is a plain string',
      text: 'hello\n',
      expected: [
        {
          path: '',
          line: 1,
          column: 1,
          message: 'the file must be a mapping of sections (triage, merge_queue, test_report, release), got string "hello"'
        }
      ]
    },
    {
      name: 'duplicate key points at the second one',
      text: 'merge_queue:\n  frozen: true\n  in_flight: 2\n  frozen: false\n',
      expected: [{ path: 'merge_queue.frozen', line: 4, column: 3, message: 'duplicate key "frozen" (first set on line 2)' }]
    },
    {
      name: 'an alias to a missing anchor',
      text: 'merge_queue:\n  labels: *gate\n',
      expected: [{ path: 'merge_queue.labels', line: 2, column: 11, message: 'unknown alias *gate' }]
    },
    {
      name: 'two YAML documents in one file',
      text: 'triage: {}\n---\nrelease: {}\n',
      expected: [{ path: '', line: 2, column: 1, message: 'invalid YAML: the file must hold a single document (remove the second `---`)' }]
    },
    {
      name: 'multiple errors are reported together in file order',
      text: [
        'release:',
        '  branch_cut_at: rc.1',
        'merge_queue:',
        '  ci:',
        '    timeout_minutes: "60"',
        '    mode: pull',
        '  batch_size: 4',
        'test_report:',
        '  flake:',
        '    regression_confidence: 95',
        ''
      ].join('\n'),
      expected: [
        { path: 'release.branch_cut_at', line: 2, column: 18, message: 'must be one of rc.0, beta.0, got string "rc.1"' },
        { path: 'merge_queue.ci.timeout_minutes', line: 5, column: 22, message: 'must be integer, got string "60"' },
        { path: 'merge_queue.ci.mode', line: 6, column: 11, message: 'must be one of dispatch, push, got string "pull"' },
        { path: 'merge_queue.batch_size', line: 7, column: 3, message: 'unknown key "batch_size" (did you mean "batch_size_max"?)' },
        { path: 'test_report.flake.regression_confidence', line: 10, column: 28, message: 'must be <= 1, got number 95' }
      ]
    }
  ]
  it.each(cases)('$name', ({ text, expected }) => {
    expect(problems(text)).toEqual(expected)
  })

  it('the error message lists every problem as file:line:column: path: message', () => {
    let error: unknown
    try {
      parseConfig('merge_queue:\n  batch_size: 4\n  merge_method: fast\n', 'config/shepherd.yml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigInvalidError)
    expect((error as ConfigInvalidError).file).toBe('config/shepherd.yml')
    expect((error as Error).message).toBe(
      [
        'config/shepherd.yml is invalid (2 problems); nothing was changed.',
        'config/shepherd.yml:2:3: merge_queue.batch_size: unknown key "batch_size" (did you mean "batch_size_max"?)',
        'config/shepherd.yml:3:17: merge_queue.merge_method: must be one of fast-forward, merge, squash, rebase, got string "fast"'
      ].join('\n')
    )
  })

  it('the invalid-file example in docs/configuration.md is what parseConfig says', () => {
    const doc = read('docs/configuration.md')
    const shown = /```text\n([\s\S]*?)\n```/.exec(doc)?.[1]
    let message: string | undefined
    try {
      parseConfig(yamlBlocks(doc)[1])
    } catch (e) {
      message = (e as Error).message
    }
    expect(shown).toBeDefined()
    expect(message).toBe(shown)
  })
})

type SchemaNode = { type?: string; description?: string; default?: unknown; properties?: Record<string, SchemaNode>; additionalProperties?: unknown }

/** Every property in the schema with its dotted path, depth first. */
function properties(node: SchemaNode, prefix = ''): [string, SchemaNode][] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]): [string, SchemaNode][] => [
    [prefix + key, child],
    ...properties(child, `${prefix}${key}.`)
  ])
}

describe('shepherdConfigSchema', () => {
  const schema = shepherdConfigSchema as unknown as SchemaNode

  it('docs/shepherd.schema.json equals the TS schema (regenerate with the command in docs/configuration.md)', () => {
    expect(JSON.parse(read('docs/shepherd.schema.json'))).toEqual(shepherdConfigSchema)
  })

  it.each(properties(schema))('%s has a description and a default', (_path, node) => {
    expect(typeof node.description).toBe('string')
    expect(node.description?.length).toBeGreaterThan(10)
    expect(node.default).toBeDefined()
  })

  it.each([['(root)', schema] as [string, SchemaNode], ...properties(schema).filter(([, n]) => n.properties)])(
    '%s allows no unknown keys',
    (_path, node) => {
      expect(node.additionalProperties).toBe(false)
    }
  )

  it.each(properties(schema).filter(([, n]) => !n.properties))('docs/configuration.md documents %s with its description', (path, node) => {
    const [section, ...rest] = path.split('.')
    const doc = read('docs/configuration.md')
    const sectionText = doc.slice(doc.indexOf(`## \`${section}\``)).split('\n## ')[0]
    const row = sectionText.split('\n').find((line) => line.startsWith(`| \`${rest.join('.')}\` |`))
    expect(row).toContain(`| ${node.description} |`)
  })
})
