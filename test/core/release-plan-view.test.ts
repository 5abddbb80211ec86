/** The cut as people read it: the mock plan and the result. */
import { describe, expect, it } from '@jest/globals'
import { renderCut, type CutView } from '../../src/core/release/plan-view.js'
import { versionOf } from '../../src/core/release/version.js'

const view: CutView = {
  mock: true,
  repository: 'acme/widgets',
  version: versionOf('v1.30.0-rc.0'),
  type: 'rc',
  previous: versionOf('v1.30.0-beta.1'),
  sha: 'a'.repeat(40),
  branch: 'release-1.30',
  createBranch: 'release-1.30',
  tags: [
    { tag: 'v1.30.0-rc.0', version: versionOf('v1.30.0-rc.0'), branch: 'release-1.30' },
    { tag: 'v1.31.0-alpha.0', version: versionOf('v1.31.0-alpha.0'), branch: 'main' }
  ],
  gate: { ok: true, checked: 4 },
  notes: { markdown: '## Changes by Kind\n\n### Feature\n\n- Faster widgets (#12)\n', count: 1, skipped: 2, pulls: 3 },
  changelogPath: 'CHANGELOG/CHANGELOG-1.30.md',
  release: { prerelease: true, makeLatest: false },
  assets: [{ name: 'widgets_linux|amd64<x>.tar.gz', size: 123456, sha256: 'b'.repeat(64) }]
}

describe('the cut as Markdown', () => {
  it('shows the mock plan: version, tags, branch, gate, assets and the notes nested under it', () => {
    const text = renderCut(view)
    expect(text.split('\n').slice(0, 4)).toEqual(['## Release plan (mock: nothing was written): v1.30.0-rc.0', '', 'Run again with `nomock: true` to cut it.', ''])
    expect(text).toContain('| Tags | `v1.30.0-rc.0` on `release-1.30`, `v1.31.0-alpha.0` on `main` |')
    expect(text).toContain('| Branch | creates `release-1.30` at the commit |')
    expect(text).toContain('**Gate:** green (4 checks and statuses).')
    // An asset name is user data: it cannot break the table or open HTML.
    expect(text).toContain('| widgets\\_linux\\|amd64\\<x\\>.tar.gz | 123,456 |')
    expect(text).toContain('### Notes (1 from 3 merged pull requests, 2 without a note)\n\n#### Changes by Kind\n\n##### Feature\n\n- Faster widgets (#12)')
  })

  it('lists every reason of a refused gate, and each step of a real cut', () => {
    const text = renderCut({ ...view, mock: false, gate: { ok: false, reasons: ['checks not green: build (failure)', 'the commit is not on release-1.30'] }, steps: [{ step: 'tag v1.30.0-rc.0', outcome: 'created' }], releaseUrl: 'https://github.com/acme/widgets/releases/tag/v1.30.0-rc.0' })
    expect(text.startsWith('## Release cut: v1.30.0-rc.0\n')).toBe(true)
    expect(text).toContain('**Gate: refused**\n\n- checks not green: build \\(failure\\)\n- the commit is not on release\\-1.30')
    expect(text).toContain('| tag v1.30.0\\-rc.0 | created |')
    expect(text).toContain('| Release | https://github.com/acme/widgets/releases/tag/v1.30.0-rc.0 |')
  })
})
