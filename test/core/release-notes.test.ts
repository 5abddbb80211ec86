/** Release notes from PR bodies, krel's rules (reference/release.md §1.8), and the changelog file. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { changelogMarker, changelogWithRelease, noteOf, releaseBody, releaseNotes, type NotePullRequest } from '../../src/core/release/notes.js'

let n = 100
function pr(body: string, labels: string[] = [], extra: Partial<NotePullRequest> = {}): NotePullRequest {
  n++
  return { number: n, title: `PR ${n}`, body, url: `https://github.com/acme/widgets/pull/${n}`, author: 'alice', labels, ...extra }
}

const block = (text: string, fence = 'release-note', eol = '\n') => `Fixes a thing.${eol}${eol}\`\`\`${fence}${eol}${text}${eol}\`\`\`${eol}`

describe('the note of one PR', () => {
  const cases: [string, NotePullRequest, string | { skipped: string }, boolean?][] = [
    ['takes the release-note block', pr(block('Widgets now spin faster.')), 'Widgets now spin faster.'],
    ['takes the plural fence and CRLF bodies', pr(block('CRLF note', 'release-notes', '\r\n')), 'CRLF note'],
    ['takes a dev-release-note block', pr(block('For developers', 'dev-release-note')), 'For developers'],
    ['skips NONE in any case and quoting', pr('```release-note\n"None"\n```'), { skipped: 'release note NONE' }],
    ['skips n/a', pr(block('N/A')), { skipped: 'release note NONE' }],
    ['skips the release-note-none label', pr(block('Something'), ['release-note-none']), { skipped: 'labelled release-note-none' }],
    ['skips a body without a block', pr('Just a fix.'), { skipped: 'no release-note block' }],
    ['skips an empty block', pr('```release-note\n \n```'), { skipped: 'empty release note' }],
    ['strips an action-required marker and marks the note', pr(block('ACTION REQUIRED: The --foo flag is gone.')), 'The --foo flag is gone.', true],
    ['marks a note action-required by label', pr(block('Config moved.'), ['release-note-action-required']), 'Config moved.', true],
    ['turns * bullets into - and drops the bullet of a one-line list', pr(block('* Single item')), 'Single item'],
    ['keeps a list of several', pr(block('* one\n* two')), '- one\n- two'],
    ['makes a heading in a note plain text', pr(block('# Big news\nmore')), 'Big news\nmore']
  ]
  it.each(cases)('%s', (_name, input, expected, urgent = false) => {
    const r = noteOf(input)
    if (typeof expected === 'string') {
      expect('note' in r && r.note.text).toBe(expected)
      expect('note' in r && r.note.actionRequired).toBe(urgent)
    } else expect(r).toEqual(expected)
  })
})

describe('the notes of a release', () => {
  it('puts action-required notes first, then each PR once under its most important kind in krel order, sorted, with links, authors and SIGs', () => {
    const prs = [
      pr(block('Zebra feature'), ['kind/feature', 'sig/node']),
      pr(block('Apple feature'), ['kind/feature', 'kind/bug', 'sig/api-machinery', 'sig/node']),
      pr(block('A bug fixed'), ['kind/bug']),
      pr(block('Regression fixed'), ['kind/regression']),
      pr(block('Removed the v1beta1 API'), ['kind/api-change', 'kind/deprecation', 'release-note-action-required']),
      pr(block('No kind at all')),
      pr(block('Picked fix'), ['kind/bug'], { author: 'cherry-bot', originAuthor: 'bob' }),
      pr(block('NONE'), ['kind/cleanup'])
    ]
    const doc = releaseNotes(prs)
    expect(doc.markdown).toBe(
      [
        '## Urgent Upgrade Notes',
        '',
        '### (No, really, you MUST read this before you upgrade)',
        '',
        `- Removed the v1beta1 API ([#${prs[4].number}](${prs[4].url}), [@alice](https://github.com/alice))`,
        '',
        '## Changes by Kind',
        '',
        '### Feature',
        '',
        `- Apple feature ([#${prs[1].number}](${prs[1].url}), [@alice](https://github.com/alice)) [SIG Api Machinery and Node]`,
        `- Zebra feature ([#${prs[0].number}](${prs[0].url}), [@alice](https://github.com/alice)) [SIG Node]`,
        '',
        '### Bug or Regression',
        '',
        `- A bug fixed ([#${prs[2].number}](${prs[2].url}), [@alice](https://github.com/alice))`,
        `- Picked fix ([#${prs[6].number}](${prs[6].url}), [@bob](https://github.com/bob))`,
        `- Regression fixed ([#${prs[3].number}](${prs[3].url}), [@alice](https://github.com/alice))`,
        '',
        '### Uncategorized',
        '',
        `- No kind at all ([#${prs[5].number}](${prs[5].url}), [@alice](https://github.com/alice))`,
        ''
      ].join('\n')
    )
    expect(doc.skipped).toEqual([{ number: prs[7].number, reason: 'release note NONE' }])
  })

  it('says so when nothing is user-facing, and lists each PR once', () => {
    const one = pr(block('NONE'))
    expect(releaseNotes([one, one])).toEqual({ markdown: 'No user-facing changes.\n', notes: [], skipped: [{ number: one.number, reason: 'release note NONE' }] })
  })

  it('keeps any body text as one bullet: no note can start a heading or a section of its own', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const doc = releaseNotes([pr(block(text), ['kind/bug'])])
        for (const line of doc.markdown.split('\n')) {
          if (line.startsWith('#')) expect(['## Changes by Kind', '### Bug or Regression', '## Urgent Upgrade Notes', '### (No, really, you MUST read this before you upgrade)']).toContain(line)
        }
      }),
      { seed: 20261122, numRuns: 500 }
    )
  })
})

describe('release body and changelog', () => {
  it('keeps the notes whole when they fit, else cuts at a line and links the changelog', () => {
    const url = 'https://github.com/acme/widgets/blob/main/CHANGELOG/CHANGELOG-1.30.md'
    expect(releaseBody('- a\n', url)).toBe(`- a\n\nThe full notes are in [the changelog](${url}).`)
    const long = Array.from({ length: 5000 }, (_, i) => `- note number ${i} with some text`).join('\n')
    const body = releaseBody(long, url, 10_000)
    expect(body.length).toBeLessThanOrEqual(10_000)
    expect(body).toContain('The notes are cut short here')
    expect(body.endsWith(`[the changelog](${url}).`)).toBe(true)
    expect(body.split('\n')[0]).toBe('- note number 0 with some text')
  })

  it('puts the newest release on top, once: a re-run finds the marker and writes nothing', () => {
    const first = changelogWithRelease(undefined, { tag: 'v1.30.0-rc.0', previous: 'v1.30.0-beta.0', notes: '## Changes by Kind\n\n### Feature\n\n- x\n', date: '2026-11-22', line: '1.30' }) as string
    expect(first).toBe(
      ['# Changelog of 1.30', '', changelogMarker('v1.30.0-rc.0'), '# v1.30.0-rc.0', '', 'Released 2026-11-22.', '', '## Changelog since v1.30.0-beta.0', '', '### Changes by Kind', '', '#### Feature', '', '- x', '', ''].join('\n')
    )
    const second = changelogWithRelease(first, { tag: 'v1.30.0-rc.1', previous: 'v1.30.0-rc.0', notes: 'No user-facing changes.\n', date: '2026-11-23', line: '1.30' }) as string
    expect(second.indexOf('# v1.30.0-rc.1')).toBeLessThan(second.indexOf('# v1.30.0-rc.0'))
    expect(second.startsWith('# Changelog of 1.30\n')).toBe(true)
    expect(changelogWithRelease(second, { tag: 'v1.30.0-rc.1', notes: 'again', date: 'x', line: '1.30' })).toBeUndefined()
  })

  it('adds above sections another tool wrote', () => {
    const krel = '<!-- BEGIN MUNGE: GENERATED_TOC -->\n- toc\n\n# v1.29.1\n\nold notes\n'
    const next = changelogWithRelease(krel, { tag: 'v1.29.2', previous: 'v1.29.1', notes: 'No user-facing changes.\n', date: '2026-11-22', line: '1.29' }) as string
    expect(next.startsWith('<!-- BEGIN MUNGE: GENERATED_TOC -->\n- toc\n\n<!-- shepherd:release v1.29.2 -->\n# v1.29.2')).toBe(true)
    expect(next.endsWith('# v1.29.1\n\nold notes\n')).toBe(true)
  })
})
