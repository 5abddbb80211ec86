import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { GitRepo } from '../../src/sim/git.js'
import type { Fixture } from '../../src/sim/fixture.js'

interface GqlError {
  type?: string
  path?: (string | number)[]
  locations?: { line: number; column: number }[]
  message: string
  extensions?: Record<string, unknown>
}
// Response data is checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any
interface GqlResponse {
  data?: Data
  errors?: GqlError[]
}

let sim: Simulator

/** The demo world, plus: a label and a comment on PR #1, a second open PR, and a repository with 150 labels. */
function fixture(): Fixture {
  const f = demoFixture()
  const widgets = f.repos![0]
  widgets.pulls![0].labels = ['lgtm']
  widgets.branches!['feature/docs'] = { files: { 'docs/README.md': '# Docs\n' }, message: 'Add docs' }
  widgets.pulls!.push({ number: 2, title: 'Add docs', user: 'contributor', head: 'feature/docs' })
  widgets.issues = [{ number: 3, title: 'Widgets are slow', user: 'contributor', labels: ['lgtm'] }]
  widgets.comments = [{ issue: 1, user: 'reviewer', body: '/lgtm' }]
  f.repos!.push({
    owner: 'acme',
    name: 'labels',
    labels: Array.from({ length: 150 }, (_, i) => ({ name: `area/${String(i).padStart(3, '0')}`, color: 'ededed' }))
  })
  return f
}

async function post(body: unknown, token: string | null = 'maintainer-token'): Promise<{ status: number; body: GqlResponse & { message?: string } }> {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json()) as GqlResponse & { message?: string } }
}

async function gql(query: string, variables?: Record<string, unknown>, token = 'maintainer-token'): Promise<GqlResponse> {
  const res = await post({ query, variables }, token)
  expect(res.status).toBe(200)
  return res.body
}

beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture() })
})
afterAll(async () => sim.stop())

describe('the GraphQL endpoint answers like GitHub’s', () => {
  it('requires a token', async () => {
    const res = await post({ query: '{ viewer { login } }' }, null)
    expect(res.status).toBe(401)
    expect(res.body).toEqual({
      message: 'This endpoint requires you to be authenticated.',
      documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql'
    })
  })

  it('requires a query string', async () => {
    const res = await post({ variables: {} })
    expect(res.status).toBe(400)
    expect(res.body.errors).toEqual([{ message: 'A query attribute must be specified and must be a string.' }])
  })

  it('names the viewer and reports the rate limit', async () => {
    const res = await gql('{ viewer { login } rateLimit { cost limit remaining used nodeCount resetAt } }')
    expect(res.data.viewer.login).toBe('maintainer')
    expect(res.data.rateLimit).toMatchObject({ cost: 1, limit: 5000, nodeCount: 0 })
    expect(res.data.rateLimit.remaining + res.data.rateLimit.used).toBe(5000)
  })

  it('rejects a field the schema does not have, in GitHub’s wording', async () => {
    const res = await gql('{ repository(owner: "acme", name: "widgets") { nope } }')
    expect(res.data).toBeUndefined()
    expect(res.errors).toEqual([
      {
        path: ['query', 'repository', 'nope'],
        extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'nope' },
        locations: [{ line: 1, column: 48 }],
        message: "Field 'nope' doesn't exist on type 'Repository'"
      }
    ])
  })

  it('rejects a syntax error', async () => {
    const res = await gql('query { viewer { login } ) }')
    expect(res.data).toBeUndefined()
    expect(res.errors).toEqual([{ message: 'Parse error on ")" (RPAREN) at [1, 26]', locations: [{ line: 1, column: 26 }] }])
  })

  it('rejects an argument literal of the wrong type', async () => {
    const res = await gql('{ repository(owner: "acme", name: "widgets") { issue(number: "three") { id } } }')
    expect(res.errors?.[0]).toMatchObject({
      path: ['query', 'repository', 'issue', 'number'],
      extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: 'number' },
      message: `Argument 'number' on Field 'issue' has an invalid value ("three"). Expected type 'Int!'.`
    })
  })

  it('rejects a variable of the wrong type', async () => {
    const res = await gql('query($n: Int!) { repository(owner: "acme", name: "widgets") { issue(number: $n) { id } } }', { n: 'three' })
    expect(res.data).toBeUndefined()
    expect(res.errors).toEqual([
      {
        extensions: { value: 'three', problems: [{ path: [], explanation: 'Could not coerce value "three" to Int' }] },
        locations: [{ line: 1, column: 7 }],
        message: 'Variable $n of type Int! was provided invalid value'
      }
    ])
  })

  it('reads a pull request with its labels, comments and files, and the default branch, in one request', async () => {
    const before = sim.requests.length
    const res = await gql(
      `query($owner: String!, $name: String!, $number: Int!) {
        repository(owner: $owner, name: $name) {
          nameWithOwner
          defaultBranchRef { name target { ... on Commit { oid } } }
          pullRequest(number: $number) {
            number title state isDraft author { login } headRefName headRefOid baseRefName baseRefOid mergeable
            labels(first: 10) { nodes { name } }
            comments(first: 10) { totalCount nodes { databaseId body author { login } } }
            files(first: 10) { totalCount nodes { path additions deletions } }
            commits(last: 1) { nodes { commit { oid statusCheckRollup { state } } } }
          }
        }
      }`,
      { owner: 'acme', name: 'widgets', number: 1 }
    )
    expect(res.errors).toBeUndefined()
    expect(sim.requests.slice(before).map((r) => r.route)).toEqual(['graphql'])
    const repo = res.data.repository
    const git = new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)
    const main = await git.resolve('refs/heads/main')
    const head = await git.resolve('refs/heads/feature/faster-widgets')
    expect(repo.defaultBranchRef).toEqual({ name: 'main', target: { oid: main } })
    expect(repo.pullRequest).toMatchObject({
      number: 1,
      state: 'OPEN',
      isDraft: false,
      author: { login: 'contributor' },
      headRefName: 'feature/faster-widgets',
      headRefOid: head,
      baseRefName: 'main',
      baseRefOid: main,
      mergeable: 'MERGEABLE',
      labels: { nodes: [{ name: 'lgtm' }] },
      comments: { totalCount: 1, nodes: [{ body: '/lgtm', author: { login: 'reviewer' } }] },
      files: { totalCount: 1, nodes: [{ path: 'src/widget.ts', additions: 1, deletions: 1 }] },
      commits: { nodes: [{ commit: { oid: head, statusCheckRollup: null } }] }
    })
  })

  it('pages through 150 labels, 50 at a time, with cursors', async () => {
    const query = `query($after: String) {
      repository(owner: "acme", name: "labels") {
        labels(first: 50, after: $after) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
      }
    }`
    const names: string[] = []
    const pages: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string }[] = []
    let after: string | null = null
    for (let i = 0; i < 3; i++) {
      const res = await gql(query, { after })
      const labels = res.data.repository.labels
      expect(labels.totalCount).toBe(150)
      expect(labels.nodes).toHaveLength(50)
      names.push(...labels.nodes.map((n: { name: string }) => n.name))
      pages.push(labels.pageInfo)
      after = labels.pageInfo.endCursor
    }
    expect(pages.map((p) => [p.hasPreviousPage, p.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, false]
    ])
    expect(new Set(pages.flatMap((p) => [p.startCursor, p.endCursor])).size).toBe(6)
    expect(names).toEqual(Array.from({ length: 150 }, (_, i) => `area/${String(i).padStart(3, '0')}`))

    const back = await gql(`query($before: String) { repository(owner: "acme", name: "labels") { labels(last: 2, before: $before) { nodes { name } } } }`, {
      before: pages[1].startCursor
    })
    expect(back.data.repository.labels.nodes).toEqual([{ name: 'area/048' }, { name: 'area/049' }])
  })

  it('refuses more than 100 records, and a list without first or last', async () => {
    const res = await gql('{ repository(owner: "acme", name: "labels") { name labels(first: 101) { nodes { name } } } }')
    expect(res.data.repository).toEqual({ name: 'labels', labels: null })
    expect(res.errors).toEqual([
      {
        type: 'EXCESSIVE_PAGINATION',
        path: ['repository', 'labels'],
        locations: [{ line: 1, column: 52 }],
        message: 'Requesting 101 records on the `labels` connection exceeds the `first` limit of 100 records.'
      }
    ])
    const missing = await gql('{ repository(owner: "acme", name: "labels") { labels { nodes { name } } } }')
    expect(missing.errors?.[0]).toMatchObject({
      type: 'MISSING_PAGINATION_BOUNDARIES',
      path: ['repository', 'labels'],
      message: 'You must provide a `first` or `last` value to properly paginate the `labels` connection.'
    })
    const count = await gql('{ repository(owner: "acme", name: "labels") { labels { totalCount } } }')
    expect(count).toEqual({ data: { repository: { labels: { totalCount: 150 } } } })
  })

  it('answers an unknown repository with null and NOT_FOUND', async () => {
    const res = await gql('{ viewer { login } repository(owner: "acme", name: "gone") { id } }')
    expect(res.data).toEqual({ viewer: { login: 'maintainer' }, repository: null })
    expect(res.errors).toEqual([
      {
        type: 'NOT_FOUND',
        path: ['repository'],
        locations: [{ line: 1, column: 20 }],
        message: "Could not resolve to a Repository with the name 'acme/gone'."
      }
    ])
  })

  it('searches open pull requests by label, as Tide pools do', async () => {
    const search = async (q: string) =>
      (await gql('query($q: String!) { search(query: $q, type: ISSUE, first: 10) { issueCount nodes { __typename ... on PullRequest { number } ... on Issue { number } } } }', { q }))
        .data.search
    expect(await search('repo:acme/widgets is:pr is:open label:lgtm')).toEqual({ issueCount: 1, nodes: [{ __typename: 'PullRequest', number: 1 }] })
    expect(await search('repo:acme/widgets is:pr is:open -label:lgtm')).toEqual({ issueCount: 1, nodes: [{ __typename: 'PullRequest', number: 2 }] })
    expect(await search('repo:"acme/widgets" label:"lgtm" sort:created-asc')).toEqual({
      issueCount: 2,
      nodes: [
        { __typename: 'PullRequest', number: 1 },
        { __typename: 'Issue', number: 3 }
      ]
    })
    expect((await search('repo:acme/widgets is:pr is:merged')).issueCount).toBe(0)
    expect((await search('repo:acme/widgets is:pr base:main')).issueCount).toBe(2)
  })

  it('resolves the node ids REST hands out', async () => {
    const rest = await fetch(`${sim.url}/repos/acme/widgets/issues/1`, { headers: { authorization: 'token maintainer-token' } })
    const { node_id } = (await rest.json()) as { node_id: string }
    const res = await gql('query($id: ID!) { node(id: $id) { __typename id ... on PullRequest { number } } }', { id: node_id })
    expect(res.data.node).toEqual({ __typename: 'PullRequest', id: node_id, number: 1 })
  })

  it('adds a label with a mutation and emits the pull_request labeled event', async () => {
    const ids = await gql('{ repository(owner: "acme", name: "widgets") { pullRequest(number: 1) { id } label(name: "approved") { id } } }')
    const { pullRequest, label } = ids.data.repository
    const before = sim.state.events.length
    const res = await gql(
      `mutation($input: AddLabelsToLabelableInput!) {
        addLabelsToLabelable(input: $input) { clientMutationId labelable { ... on PullRequest { number labels(first: 10) { nodes { name } } } } }
      }`,
      { input: { labelableId: pullRequest.id, labelIds: [label.id], clientMutationId: 'm1' } },
      'ghs_actions'
    )
    expect(res.errors).toBeUndefined()
    expect(res.data.addLabelsToLabelable).toEqual({ clientMutationId: 'm1', labelable: { number: 1, labels: { nodes: [{ name: 'lgtm' }, { name: 'approved' }] } } })
    const events = sim.state.events.slice(before)
    expect(events.map((e) => `${e.name}.${e.action}`)).toEqual(['pull_request.labeled'])
    expect(events[0].payload).toMatchObject({ action: 'labeled', number: 1, label: { name: 'approved' }, sender: { login: 'github-actions[bot]' } })
    expect(events[0].startsWorkflows).toBe(false)
  })

  it('refuses a label mutation from someone without triage access', async () => {
    const ids = await gql('{ repository(owner: "acme", name: "widgets") { pullRequest(number: 2) { id } label(name: "lgtm") { id } } }')
    const before = sim.state.events.length
    const res = await gql(
      'mutation($p: ID!, $l: ID!) { addLabelsToLabelable(input: { labelableId: $p, labelIds: [$l] }) { clientMutationId } }',
      { p: ids.data.repository.pullRequest.id, l: ids.data.repository.label.id },
      'contributor-token'
    )
    expect(res.data).toEqual({ addLabelsToLabelable: null })
    expect(res.errors?.[0]).toMatchObject({ type: 'FORBIDDEN', path: ['addLabelsToLabelable'] })
    expect(sim.state.events.length).toBe(before)
  })

  it('adds a comment with a mutation and emits issue_comment created', async () => {
    const ids = await gql('{ repository(owner: "acme", name: "widgets") { pullRequest(number: 2) { id } } }')
    const before = sim.state.events.length
    const res = await gql(
      'mutation($id: ID!) { addComment(input: { subjectId: $id, body: "/hold" }) { commentEdge { node { body author { login } } } } }',
      { id: ids.data.repository.pullRequest.id },
      'reviewer-token'
    )
    expect(res.data.addComment.commentEdge.node).toEqual({ body: '/hold', author: { login: 'reviewer' } })
    const events = sim.state.events.slice(before)
    expect(events.map((e) => `${e.name}.${e.action}`)).toEqual(['issue_comment.created'])
    expect(events[0].payload).toMatchObject({ comment: { body: '/hold' }, issue: { number: 2 } })
  })

  it('says which mutations it does not implement, after validating them', async () => {
    const res = await gql('mutation { mergePullRequest(input: { pullRequestId: "x" }) { clientMutationId } }')
    expect(res.data).toEqual({ mergePullRequest: null })
    expect(res.errors?.[0].message).toMatch(/not implemented by the simulator/)
    const invalid = await gql('mutation { mergePullRequest(input: { nope: "x" }) { clientMutationId } }')
    expect(invalid.data).toBeUndefined()
    expect(invalid.errors?.map((e) => e.extensions?.code)).toContain('argumentNotAccepted')
  })
})
