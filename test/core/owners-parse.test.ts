import { describe, expect, it } from '@jest/globals'
import { generateOwnersRepo } from '../../bench/fixtures/k8s-owners.mjs'
import { parseOwnersAliases, parseOwnersFile, MAX_OWNERS_FILE_LENGTH } from '../../src/core/owners/parse.js'
import { compileFilter, filterMatches } from '../../src/core/owners/regex.js'
import { fastYamlTree } from '../../src/core/owners/fast-yaml.js'
import { slowYamlTree, type YNode } from '../../src/core/owners/yaml-tree.js'
import { seededRandom } from '../../src/core/random.js'

const parse = (text: string, path = 'pkg/OWNERS') => parseOwnersFile(path, text)
const messages = (text: string) => parse(text).errors.map((e) => `${e.line}:${e.column}: ${e.message}`)

describe('parsing an OWNERS file', () => {
  it('reads every key of the simple form, lower-casing logins and dropping a leading @', () => {
    const { config, errors } = parse(
      [
        '# See the OWNERS docs at https://go.k8s.io/owners',
        'approvers:',
        '  - Alice',
        '  - "@bob"',
        'reviewers: [carol, Dave]',
        'required_reviewers:',
        '- erin',
        'labels:',
        '  - sig/node',
        '  - area/kubelet',
        'emeritus_approvers: [OldTimer]',
        'security_contacts: [sec]',
        'options:',
        '  no_parent_owners: true',
        '  auto_approve_unowned_subfolders: false',
        ''
      ].join('\n')
    )
    expect(errors).toEqual([])
    expect(config).toEqual({
      path: 'pkg/OWNERS',
      dir: 'pkg',
      noParentOwners: true,
      autoApproveUnownedSubfolders: false,
      emeritusApprovers: ['oldtimer'],
      filters: [{ pattern: '.*', regex: null, approvers: ['alice', 'bob'], reviewers: ['carol', 'dave'], requiredReviewers: ['erin'], labels: ['sig/node', 'area/kubelet'] }]
    })
  })

  it('reads the full form: filters keyed by regular expression, .* matching everything', () => {
    const { config, errors } = parse('options:\n  no_parent_owners: true\nfilters:\n  ".*":\n    approvers: [alice]\n  "\\\\.md$":\n    reviewers: [docs]\n    labels: [kind/documentation]\n', 'OWNERS')
    expect(errors).toEqual([])
    expect(config?.dir).toBe('')
    expect(config?.noParentOwners).toBe(true)
    expect(config?.filters.map((f) => [f.pattern, f.regex?.source ?? null, f.approvers, f.reviewers, f.labels])).toEqual([
      ['.*', null, ['alice'], [], []],
      ['\\.md$', '\\.md$', [], ['docs'], ['kind/documentation']]
    ])
  })

  it.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing here\n\n'],
    ['a null document', '~\n'],
    ['empty lists', 'approvers: []\nreviewers:\n']
  ])('accepts %s as an OWNERS file naming nobody', (_name, text) => {
    const { config, errors } = parse(text)
    expect(errors).toEqual([])
    expect(config?.filters.flatMap((f) => [...f.approvers, ...f.reviewers])).toEqual([])
  })

  it.each([
    ['an unknown key, with a suggestion', 'approvers: [a]\napprover: [b]\n', ['2:1: unknown key "approver" in an OWNERS file (did you mean "approvers"?)']],
    ['an unknown option', 'options:\n  no_parents: true\n', ['2:3: unknown key "no_parents" in options; known keys are no_parent_owners, auto_approve_unowned_subfolders']],
    ['a string where a list belongs', 'approvers: alice\n', ['1:12: approvers must be a list, got string "alice"']],
    ['a YAML 1.1 boolean as a login, as Prow reads it', 'approvers:\n  - no\n', ['2:5: approvers entries must be strings, got boolean false (quote it)']],
    ['a number as a login', 'reviewers: [1234]\n', ['1:13: reviewers entries must be strings, got number 1234 (quote it)']],
    ['a team', 'approvers: [kubernetes/sig-node]\n', ['1:13: approvers: "kubernetes/sig-node" looks like a team; OWNERS names people, so use an alias from OWNERS_ALIASES']],
    ['a login with spaces', 'approvers: ["alice smith"]\n', ['1:13: approvers: "alice smith" is not a GitHub login or alias name']],
    ['an option that is not a boolean', 'options:\n  no_parent_owners: "yes please"\n', ['2:21: options.no_parent_owners must be true or false, got string "yes please"']],
    ['a label longer than GitHub allows', `labels: [${'x'.repeat(51)}]\n`, [`1:10: labels: "${'x'.repeat(51)}" is not a label name (1 to 50 characters)`]],
    ['a filter regex that does not compile', 'filters:\n  "(":\n    approvers: [a]\n', ['2:3: invalid regular expression "(": Unterminated group']],
    ['a lookbehind filter, which RE2 has not', 'filters:\n  "(?<=a)b":\n    approvers: [a]\n', ['2:3: lookaround assertions in filter "(?<=a)b" are not supported']],
    ['filters mixed with top-level approvers', 'approvers: [a]\nfilters:\n  ".*":\n    approvers: [b]\n', ['2:1: filters cannot be mixed with top-level approvers, reviewers, required_reviewers or labels; the filters are ignored (as in Prow)']],
    ['options inside a filter', 'filters:\n  ".*":\n    options: {}\n', ['3:5: unknown key "options" in filters[".*"]; known keys are approvers, reviewers, required_reviewers, labels, emeritus_approvers']],
    ['a list at the top', '- alice\n', ['1:1: an OWNERS file must be a mapping, got a list']]
  ])('reports %s with its line and column', (_name, text, expected) => {
    expect(messages(text)).toEqual(expected)
  })

  it('keeps the valid parts of a file with errors, as Prow keeps what it can read', () => {
    const { config, errors } = parse('approvers: [alice, "bad login!", bob]\nreviewrs: [x]\nreviewers: [carol]\n')
    expect(errors).toHaveLength(2)
    expect(config?.filters[0]).toMatchObject({ approvers: ['alice', 'bob'], reviewers: ['carol'] })
  })

  it.each([
    ['a YAML syntax error', 'approvers: [alice\nreviewers: x\n', /^invalid YAML/],
    ['two documents', 'approvers: [a]\n---\napprovers: [b]\n', /single YAML document/],
    ['a duplicate key', 'approvers: [a]\napprovers: [b]\n', /^invalid YAML: Map keys must be unique/]
  ])('refuses the whole file on %s', (_name, text, message) => {
    const { config, errors } = parse(text)
    expect(config).toBeNull()
    expect(errors[0].message).toMatch(message)
  })

  it('refuses a file larger than the limit without parsing it', () => {
    const { config, errors } = parse(`approvers: [a]\n${'#'.repeat(MAX_OWNERS_FILE_LENGTH)}`)
    expect(config).toBeNull()
    expect(errors[0].message).toMatch(/larger than/)
  })

  it('never throws, whatever the input', () => {
    const random = seededRandom(2024)
    const alphabet = ['a', 'approvers', 'reviewers', 'filters', 'options', ':', ' ', '  ', '\n', '-', '[', ']', '{', '}', ',', '"', "'", '#', '&x', '*x', '!', '|', '>', '\\', '.*', '(', '?', '\t', '\r', '%', '@', '~', 'yes', '1', '\u0000', '\u00e9']
    for (let n = 0; n < 3000; n++) {
      let text = ''
      const length = Math.floor(random() * 40)
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)]
      expect(() => parseOwnersFile('OWNERS', text)).not.toThrow()
      expect(() => parseOwnersAliases('OWNERS_ALIASES', text)).not.toThrow()
    }
  })

  it('bounds YAML aliases that would expand exponentially', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`), 'approvers: *i', ''].join('\n')
    expect(() => parse(bomb)).not.toThrow()
    expect(parse(bomb).errors.length).toBeGreaterThan(0)
  })
})

describe('parsing OWNERS_ALIASES', () => {
  it('reads aliases, normalizing names and members, tolerating empty groups and flow mappings as Prow does', () => {
    const { aliases, errors } = parseOwnersAliases('OWNERS_ALIASES', 'aliases:\n  Sig-Node-Approvers:\n    - Alice\n    - "@bob"\n  empty-group:\n  flow-group: {carol, dave}\n')
    expect(errors).toEqual([])
    expect(Object.fromEntries(aliases)).toEqual({ 'sig-node-approvers': ['alice', 'bob'], 'empty-group': [], 'flow-group': ['carol', 'dave'] })
  })

  it.each([
    ['a group that is a string', 'aliases:\n  a: alice\n', ['2:6: aliases.a must be a list, got string "alice"']],
    ['an unknown top-level key', 'alias:\n  a: [x]\n', ['1:1: unknown key "alias" in OWNERS_ALIASES (did you mean "aliases"?)']],
    ['the same alias twice in different case', 'aliases:\n  a: [x]\n  A: [y]\n', ['3:3: alias "A" is defined twice (names are case-insensitive)']],
    ['an alias listing another alias (aliases do not nest)', 'aliases:\n  leads: [alice]\n  all: [leads, bob]\n', ['3:3: alias "all" lists "leads", which is an alias; aliases do not nest, so list the people']]
  ])('reports %s', (_name, text, expected) => {
    expect(parseOwnersAliases('OWNERS_ALIASES', text).errors.map((e) => `${e.line}:${e.column}: ${e.message}`)).toEqual(expected)
  })
})

describe('filter regular expressions (Go RE2 read as JavaScript)', () => {
  it.each([
    ['.*', 'anything/at/all.go', true],
    ['\\.md$', 'docs/README.md', true],
    ['\\.md$', 'docs/README.md.go', false],
    ['_test\\.go', 'pkg/a_test.go', true],
    ['^BUILD$', 'BUILD', true],
    ['^BUILD$', 'sub/BUILD', false],
    ['(?i)readme', 'README.md', true],
    ['\\Adocs/', 'docs/x', true],
    ['\\.go\\z', 'a.go', true],
    ['(?P<ext>\\.go)$', 'a.go', true],
    ['[]a]', ']', true]
  ])('%s matches %s: %s', (pattern, path, expected) => {
    const compiled = compileFilter(pattern)
    expect('regex' in compiled && filterMatches(compiled.regex, path)).toBe(expected)
  })

  it.each([
    ['(a+)+$', /nested quantifiers/],
    ['(?=x)', /lookaround/],
    ['(?<!x)y', /lookaround/],
    ['(a)\\1', /backreferences/],
    ['\\p{Greek}', /Unicode classes/],
    ['[[:alpha:]]', /POSIX classes/],
    ['(?U)a+', /flag group/],
    ['a(?i)b', /flags in the middle/],
    ['x'.repeat(1001), /longer than/]
  ])('refuses %s', (pattern, message) => {
    const compiled = compileFilter(pattern)
    expect('error' in compiled && compiled.error).toMatch(message)
  })
})

describe('the fast YAML reader', () => {
  /** Both readers' trees, without the offsets of empty values (the only place they may differ, and never reported). */
  const strip = (node: YNode | null): unknown => {
    if (node === null) return null
    if (node.kind === 'map') return { at: node.at, map: node.pairs.map((p) => [strip(p.key), strip(p.value)]) }
    if (node.kind === 'seq') return { at: node.at, seq: node.items.map(strip) }
    return node.value === null ? null : { at: node.at, value: node.value }
  }

  it('reads every file of the generated Kubernetes-shaped repository, exactly as the yaml package does', () => {
    const repo = generateOwnersRepo(3)
    for (const [path, text] of Object.entries(repo.owners)) {
      const fast = fastYamlTree(text)
      expect([path, fast === undefined]).toEqual([path, false])
      expect(strip(fast as YNode | null)).toEqual(strip(slowYamlTree(text).tree))
    }
  })

  it('agrees with the yaml package whenever it answers, on thousands of mutated files', () => {
    const random = seededRandom(7)
    const repo = generateOwnersRepo(5)
    const texts = Object.values(repo.owners).slice(0, 200)
    const snippets = [' ', '  ', '\n', '- ', ': ', '#', ' #c', '"', "'", '[', ']', ',', '{}', 'yes', '1', 'true', '-', ':', 'x', '\\', '""']
    let answered = 0
    for (let n = 0; n < 4000; n++) {
      let text = texts[n % texts.length]
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(random() * text.length)
        text = random() < 0.5 ? text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1)
      }
      const fast = fastYamlTree(text)
      if (fast === undefined) continue
      answered++
      const slow = slowYamlTree(text)
      expect([text, slow.errors]).toEqual([text, []])
      expect([text, strip(fast)]).toEqual([text, strip(slow.tree)])
    }
    expect(answered).toBeGreaterThan(1000)
  })

  it.each([
    ['an anchor', 'a: &x [b]\n'],
    ['a YAML 1.1 boolean', 'a: yes\n'],
    ['a block scalar', 'a: |\n  b\n'],
    ['a tab', 'a:\n\t- b\n'],
    ['an unknown escape', 'a: "\\.md"\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a duplicate key', 'a: 1\na: 2\n']
  ])('leaves %s to the yaml package', (_name, text) => {
    expect(fastYamlTree(text)).toBeUndefined()
  })
})
