/**
 * The JSON Schema of `.github/shepherd.yml` and the TypeScript shape of the defaulted result.
 * The descriptions are the documentation: docs/configuration.md and docs/shepherd.schema.json
 * follow them (test/config.test.ts keeps the JSON copy equal to this object).
 */

/**
 * The JSON Schema (draft-07, for ajv) of `.github/shepherd.yml`. Every key is optional and has a
 * `default`, so validating `{}` with ajv's `useDefaults` yields a complete `ShepherdConfig`.
 */
export const shepherdConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/shepherd/shepherd/docs/shepherd.schema.json',
  title: 'Shepherd configuration (.github/shepherd.yml)',
  description: 'Settings for the Shepherd actions, read from the default branch. Every key is optional.',
  type: 'object',
  additionalProperties: false,
  properties: {
    triage: {
      description: 'Comment commands, OWNERS approval, labels and reviewer assignment (actions/triage).',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        commands: {
          description: 'Which comment commands (`/lgtm`, `/hold`, ...) triage answers.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: {
              description: 'Command names without the slash, e.g. `lgtm`, `cherry-pick`; `*` means every command.',
              type: 'array',
              items: { type: 'string', pattern: '^(\\*|[a-z][a-z0-9-]*)$' },
              uniqueItems: true,
              default: ['*']
            },
            disabled: {
              description: 'Command names to ignore even when `enabled` matches them.',
              type: 'array',
              items: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
              uniqueItems: true,
              default: []
            }
          }
        },
        hold: {
          description: 'The `/hold` command.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            label: { description: 'Label that `/hold` adds and `/hold cancel` removes; it blocks merging.', type: 'string', minLength: 1, default: 'do-not-merge/hold' }
          }
        },
        labels: {
          description: 'Names of the gate labels that triage sets and the merge queue requires.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            lgtm: { description: 'Label set by `/lgtm` from a reviewer.', type: 'string', minLength: 1, default: 'lgtm' },
            approved: { description: 'Label set when OWNERS approvers cover every changed file.', type: 'string', minLength: 1, default: 'approved' },
            additional: {
              description: 'Labels anyone may add or remove with `/label x` and `/remove-label x` (gate labels never).',
              type: 'array',
              items: { type: 'string', minLength: 1, maxLength: 50 },
              uniqueItems: true,
              default: []
            }
          }
        },
        lgtm: {
          description: 'The `/lgtm` command.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            store_tree_hash: {
              description: 'Keep `lgtm` on a push that leaves the git tree unchanged (a reworded or squashed commit); any other push removes it.',
              type: 'boolean',
              default: true
            },
            review_acts_as_lgtm: { description: 'Let a GitHub review Approve from a collaborator add `lgtm`, and Request changes remove it.', type: 'boolean', default: false }
          }
        },
        needs_labels: {
          description: 'Label families a PR must carry, e.g. `[kind, sig]`: a PR without a `kind/*` label gets `needs-kind` until it has one.',
          type: 'array',
          items: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
          uniqueItems: true,
          default: []
        },
        trusted: {
          description: 'Who counts as trusted besides repository collaborators (asked of GitHub, never from author_association).',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            orgs: {
              description: 'Organizations whose members are trusted.',
              type: 'array',
              items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$' },
              uniqueItems: true,
              default: []
            },
            teams: {
              description: 'Teams, as `org/team-slug`, whose members are trusted.',
              type: 'array',
              items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+$' },
              uniqueItems: true,
              default: []
            }
          }
        },
        ok_to_test: {
          description: 'The `needs-ok-to-test` gate for pull requests from untrusted authors.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            require_ok_to_test_for_untrusted: {
              description: 'Label untrusted authors\' PRs `needs-ok-to-test` until a trusted member comments `/ok-to-test`.',
              type: 'boolean',
              default: true
            }
          }
        },
        size: {
          description: 'The `size/*` label computed from the lines a PR changes.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            generated_files: {
              description: 'Globs of generated files whose changes do not count toward the size.',
              type: 'array',
              items: { type: 'string', minLength: 1 },
              default: []
            }
          }
        },
        blunderbuss: {
          description: 'Automatic reviewer assignment from OWNERS.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            reviewer_count: { description: 'Reviewers to request on a new PR; 0 turns assignment off.', type: 'integer', minimum: 0, maximum: 20, default: 2 }
          }
        },
        approve: {
          description: 'The `/approve` command and the `approved` label.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            require_self_approval: {
              description: 'When false, a PR author who is an approver approves their own PR implicitly.',
              type: 'boolean',
              default: false
            },
            lgtm_acts_as_approve: { description: 'Let `/lgtm` from an approver also count as `/approve`.', type: 'boolean', default: false },
            ignore_review_state: {
              description: 'When true, GitHub review states (Approve, Request changes) are ignored and only `/approve` comments count; by default, as in Prow, they count.',
              type: 'boolean',
              default: false
            }
          }
        },
        label_families: {
          description: 'Prefixes that label commands accept, e.g. `kind` for `/kind bug` -> `kind/bug`.',
          type: 'array',
          items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          uniqueItems: true,
          default: ['kind', 'priority', 'area', 'sig', 'triage', 'wg', 'committee', 'language']
        },
        test_workflows: {
          description: 'Test names for `/test <name>` mapped to the workflow file that runs them, e.g. `unit: unit.yml`.',
          type: 'object',
          additionalProperties: { type: 'string', pattern: '^[^/]+\\.ya?ml$' },
          default: {}
        },
        milestone: {
          description: 'The `/milestone` command.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            maintainers_team: {
              description:
                'Team, as `org/team-slug` of the organization that owns the repository, whose members may set milestones (Prow\'s milestone maintainers team); empty lets collaborators (write permission or more) set them.',
              type: 'string',
              pattern: '^([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+)?$',
              default: ''
            }
          }
        }
      }
    },
    merge_queue: {
      description: 'The batched merge queue (actions/merge-queue).',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        branches: {
          description: 'Base branches the queue merges into; empty means the default branch.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: []
        },
        labels: {
          description: 'Labels a PR must have to enter the pool.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: ['lgtm', 'approved']
        },
        missing_labels: {
          description: 'Labels (or globs such as `do-not-merge/*`) a PR must not have to enter the pool.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: ['do-not-merge/*', 'needs-rebase', 'needs-ok-to-test']
        },
        required_checks: {
          description: 'Check runs or commit statuses that must succeed on a PR head before it enters the pool.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: []
        },
        priority_labels: {
          description: 'Labels that move a PR ahead in the pool, highest priority first.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: []
        },
        batch_size_max: { description: 'Most PRs tested together in one batch.', type: 'integer', minimum: 1, maximum: 100, default: 6 },
        first_batch_size: {
          description:
            'PRs in the batch at the front of the speculative chain; batches behind it grow in a straight line to `batch_size_max` at the `in_flight`-th (a break is likeliest at the front, where a small batch fails and splits cheaply). Equal to `batch_size_max`: every batch the same size.',
          type: 'integer',
          minimum: 1,
          maximum: 100,
          default: 1
        },
        in_flight: { description: 'Most batches tested at the same time (speculatively, each on top of the previous).', type: 'integer', minimum: 1, maximum: 10, default: 5 },
        ci: {
          description: 'How the queue starts CI on a batch and how long it waits.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            mode: {
              description: '`dispatch` starts `workflow` with workflow_dispatch on the batch ref; `push` relies on a push-triggered workflow (needs an App token).',
              enum: ['dispatch', 'push'],
              default: 'dispatch'
            },
            workflow: { description: 'Workflow file in .github/workflows that tests a batch.', type: 'string', pattern: '^[^/]+\\.ya?ml$', default: 'ci.yml' },
            timeout_minutes: { description: 'Minutes to wait for a batch\'s checks before treating it as failed.', type: 'integer', minimum: 1, maximum: 1440, default: 60 }
          }
        },
        merge_method: {
          description: 'How a tested batch lands: `fast-forward` moves the base to the exact tested commit.',
          enum: ['fast-forward', 'merge', 'squash', 'rebase'],
          default: 'fast-forward'
        },
        frozen: { description: 'Stop merging (the pool is still computed and shown).', type: 'boolean', default: false },
        maintainers_team: {
          description:
            'Team, as `org/team-slug` of the organization that owns the repository, whose members may `/shepherd freeze` and `/shepherd unfreeze` a branch; empty lets collaborators (write permission or more) do it.',
          type: 'string',
          pattern: '^([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+)?$',
          default: ''
        }
      }
    },
    test_report: {
      description: 'JUnit reports, test history, flakes and regressions (actions/test-report).',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        history_runs: { description: 'Past runs of the default branch kept and compared against.', type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        flake: {
          description: 'Flake and regression detection.',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            flip_rate_threshold: {
              description: 'TestGrid flip score (percent of runs that flip pass -> fail, failure streaks of 3+ ignored) at which a test is flaky.',
              type: 'number',
              minimum: 0,
              maximum: 100,
              default: 10
            },
            regression_confidence: {
              description: 'Confidence for the Fisher exact test that calls a failure rise a regression (1 - alpha).',
              type: 'number',
              minimum: 0,
              maximum: 1,
              default: 0.95
            },
            pity: { description: 'Pass-rate drop in percentage points tolerated before testing for a regression (Sippy\'s pity factor).', type: 'number', minimum: 0, maximum: 100, default: 5 },
            min_failures: { description: 'Fewest failures in the sample before a regression can be reported.', type: 'integer', minimum: 0, default: 3 },
            new_test_min_runs: { description: 'Runs a test without history needs before its pass rate is judged.', type: 'integer', minimum: 1, default: 6 },
            new_test_pass_rate: { description: 'Pass rate a test without history must reach.', type: 'number', minimum: 0, maximum: 1, default: 0.95 }
          }
        },
        fail_on: {
          description: 'What fails the step: `failures` (failed or errored tests), `errors` (errored only), or `nothing`.',
          enum: ['failures', 'errors', 'nothing'],
          default: 'failures'
        }
      }
    },
    release: {
      description: 'Release cuts, branches and notes (actions/release-cut).',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        branch_cut_at: {
          description: 'The pre-release whose tag cuts the release branch (krel cuts at `rc.0`).',
          enum: ['rc.0', 'beta.0'],
          default: 'rc.0'
        },
        release_branch_prefix: { description: 'Release branches are named `<prefix><major>.<minor>`.', type: 'string', pattern: '^[A-Za-z0-9._/-]*$', default: 'release-' },
        first_rc_after_final: { description: 'Number of the first release candidate after a final release (`vX.Y.1-rc.0`; krel makes it `rc.1`).', enum: [0, 1], default: 0 },
        changelog_dir: { description: 'Directory for CHANGELOG-<major>.<minor>.md files.', type: 'string', minLength: 1, default: 'CHANGELOG' },
        require_green: { description: 'Refuse to cut unless CI is green on the commit being released.', type: 'boolean', default: true }
      }
    }
  }
} as const

/** `triage` after defaults. */
export interface TriageConfig {
  commands: { enabled: string[]; disabled: string[] }
  hold: { label: string }
  labels: { lgtm: string; approved: string; additional: string[] }
  lgtm: { store_tree_hash: boolean; review_acts_as_lgtm: boolean }
  needs_labels: string[]
  trusted: { orgs: string[]; teams: string[] }
  ok_to_test: { require_ok_to_test_for_untrusted: boolean }
  size: { generated_files: string[] }
  blunderbuss: { reviewer_count: number }
  approve: { require_self_approval: boolean; lgtm_acts_as_approve: boolean; ignore_review_state: boolean }
  label_families: string[]
  test_workflows: Record<string, string>
  milestone: { maintainers_team: string }
}

/** `merge_queue` after defaults. */
export interface MergeQueueConfig {
  branches: string[]
  labels: string[]
  missing_labels: string[]
  required_checks: string[]
  priority_labels: string[]
  batch_size_max: number
  first_batch_size: number
  in_flight: number
  ci: { mode: 'dispatch' | 'push'; workflow: string; timeout_minutes: number }
  merge_method: 'fast-forward' | 'merge' | 'squash' | 'rebase'
  frozen: boolean
  /** `org/slug` whose members may freeze and unfreeze; empty: collaborators. */
  maintainers_team: string
}

/** `test_report` after defaults. */
export interface TestReportConfig {
  history_runs: number
  flake: {
    flip_rate_threshold: number
    regression_confidence: number
    pity: number
    min_failures: number
    new_test_min_runs: number
    new_test_pass_rate: number
  }
  fail_on: 'failures' | 'errors' | 'nothing'
}

/** `release` after defaults. */
export interface ReleaseConfig {
  branch_cut_at: 'rc.0' | 'beta.0'
  release_branch_prefix: string
  first_rc_after_final: 0 | 1
  changelog_dir: string
  require_green: boolean
}

/** `.github/shepherd.yml` with every default filled in, as returned by `parseConfig`. */
export interface ShepherdConfig {
  triage: TriageConfig
  merge_queue: MergeQueueConfig
  test_report: TestReportConfig
  release: ReleaseConfig
}
