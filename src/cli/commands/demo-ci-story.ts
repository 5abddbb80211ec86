/**
 * The demo's CI story as data: what each run of the test job on acme/widgets produced. A jest
 * suite (jest-junit's XML, absolute paths in stack traces as jest prints them) and a Maven
 * Failsafe suite (Surefire's XML, with `flakyFailure` for a test that passed on a rerun). One
 * test flips between runs (flaky), one needs a rerun now and then (Surefire flaky), one breaks
 * at a commit and stays broken (a regression), the pull request adds a test that fails; the rest
 * pass or are skipped. Pure: no I/O; durations come from a seeded generator, so the files are the
 * same on every run of the demo.
 */
import { seededRandom } from '../../core/random.js'

/** What one test did in one run: passed, failed, failed then passed on a rerun, or skipped. */
export type DemoOutcome = 'pass' | 'fail' | 'rerun' | 'skip'

/** One run of the test job: on a push to main (with the commit that triggered it) or on the pull request. */
export interface DemoCiRun {
  /** GITHUB_RUN_ID of the run. */
  runId: number
  /** Test outcomes by DemoTest key; a test missing here did not exist at that commit. */
  outcomes: Record<string, DemoOutcome>
}

/** A test of the demo's suites, and how it fails when it does. */
export interface DemoTest {
  key: string
  /** `jest` (web/*.test.ts) or `failsafe` (e2e, JUnit 5 under Maven). */
  runner: 'jest' | 'failsafe'
  /** jest: the describe block; failsafe: the class. */
  suite: string
  name: string
  /** Repository path of the test file, and the line a failure points at. */
  file: string
  line: number
  failure: string
}

/** The tests of the story, by key. */
export const DEMO_TESTS: readonly DemoTest[] = [
  { key: 'renders', runner: 'jest', suite: 'widget', name: 'renders its label', file: 'web/widget.test.ts', line: 6, failure: '' },
  {
    key: 'animates',
    runner: 'jest',
    suite: 'widget',
    name: 'animates on hover',
    file: 'web/widget.test.ts',
    line: 14,
    failure: 'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: "idle"\nReceived: "animating"'
  },
  {
    key: 'resizes',
    runner: 'jest',
    suite: 'widget',
    name: 'resizes with its container',
    file: 'web/widget.test.ts',
    line: 23,
    failure: 'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 320\nReceived: 0'
  },
  { key: 'sums', runner: 'jest', suite: 'cart', name: 'total sums the prices', file: 'web/cart.test.ts', line: 6, failure: '' },
  {
    key: 'cents',
    runner: 'jest',
    suite: 'cart',
    name: 'total rounds to cents',
    file: 'web/cart.test.ts',
    line: 10,
    failure: 'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 0.3\nReceived: 0.30000000000000004'
  },
  { key: 'lists', runner: 'failsafe', suite: 'com.acme.e2e.CheckoutIT', name: 'listsCartItems', file: 'e2e/src/test/java/com/acme/e2e/CheckoutIT.java', line: 21, failure: '' },
  {
    key: 'checkout',
    runner: 'failsafe',
    suite: 'com.acme.e2e.CheckoutIT',
    name: 'checksOutWithCard',
    file: 'e2e/src/test/java/com/acme/e2e/CheckoutIT.java',
    line: 34,
    failure: 'org.opentest4j.AssertionFailedError: payment page did not load within 5000 ms ==> expected: <true> but was: <false>'
  },
  { key: 'search', runner: 'failsafe', suite: 'com.acme.e2e.CheckoutIT', name: 'searchesTheCatalog', file: 'e2e/src/test/java/com/acme/e2e/CheckoutIT.java', line: 39, failure: '' }
]

/** A commit to main in the story, and what the test job's run on it produced. */
export interface DemoMainCommit {
  author: string
  message: string
  /** Files the commit writes (path → content); `merge` instead merges that pull request. */
  files?: Record<string, string>
  merge?: number
  outcomes: Record<string, DemoOutcome>
}

const P = 'pass'
const F = 'fail'
const R = 'rerun'
const S = 'skip'
const base = { renders: P, animates: P, resizes: P, lists: P, checkout: P, search: S } as const

/**
 * Seven pushes to main, one run each: `animates` fails in runs 2 and 5 (flips: flaky by flip
 * rate), `checkout` passes on a rerun in runs 3 and 6 (Surefire flakyFailure), `resizes` breaks at
 * commit 5 and stays broken (a regression: three failures in a row are a breakage, not flips).
 */
export function demoMainCommits(): DemoMainCommit[] {
  return [
    { author: 'maintainer', message: 'Add the web and e2e tests, and CI with the test report', files: DEMO_TEST_SOURCES, outcomes: { ...base } },
    { author: 'maintainer', message: 'Merge pull request #2 from contributor/cart-totals', merge: 2, outcomes: { ...base, animates: F } },
    { author: 'dev', message: 'Widgets: cache the theme', files: { 'src/widget.ts': 'export const widget = 3\n' }, outcomes: { ...base, checkout: R } },
    { author: 'dev', message: 'Widgets: smoother hover', files: { 'src/widget.ts': 'export const widget = 4\n' }, outcomes: { ...base } },
    { author: 'dev', message: 'Widgets: measure the container once', files: { 'src/widget.ts': 'export const widget = 5\n' }, outcomes: { ...base, animates: F, resizes: F } },
    { author: 'maintainer', message: 'Docs: widget sizing', files: { 'docs/widgets.md': '# Widgets\n\nA widget takes the width of its container.\n' }, outcomes: { ...base, resizes: F, checkout: R } },
    { author: 'dev', message: 'Widgets: lighter bundle', files: { 'src/widget.ts': 'export const widget = 7\n' }, outcomes: { ...base, resizes: F } }
  ]
}

/** The pull request of the story: a new test that fails (the cart's float sum), on a branch where `animates` flakes again. */
export const DEMO_PULL = {
  author: 'dev',
  branch: 'dev/cart-cents',
  title: 'Cart: test totals to the cent',
  body: 'Adds a test for totals of prices with cents.',
  files: {
    'web/cart.test.ts': [
      "import { describe, expect, it } from '@jest/globals'",
      "import { total } from './cart'",
      '',
      "describe('cart', () => {",
      "  it('total sums the prices', () => {",
      '    expect(total([1, 2, 3])).toBe(6)',
      '  })',
      '',
      "  it('total rounds to cents', () => {",
      '    expect(total([0.1, 0.2])).toBe(0.3)',
      '  })',
      '})',
      ''
    ].join('\n')
  },
  outcomes: { ...base, animates: F, resizes: F, sums: P, cents: F } as Record<string, DemoOutcome>
}

/** The test sources the first commit adds; the lines DEMO_TESTS point at are theirs. */
export const DEMO_TEST_SOURCES: Record<string, string> = {
  'web/widget.test.ts': [
    "import { describe, expect, it } from '@jest/globals'",
    "import { mount } from './widget-harness'",
    '',
    "describe('widget', () => {",
    "  it('renders its label', () => {",
    "    expect(mount({ label: 'Buy' }).text()).toBe('Buy')",
    '  })',
    '',
    "  it('animates on hover', async () => {",
    "    const w = mount({ label: 'Buy' })",
    '    w.hover()',
    '    await w.frame()',
    '    // One frame is not always enough on a busy machine: the animation may still run.',
    "    expect(w.animation()).toBe('idle')",
    '  })',
    '',
    "  it('resizes with its container', () => {",
    "    const w = mount({ label: 'Buy' })",
    '    w.container.width = 640',
    '    w.container.resize()',
    '    w.container.width = 320',
    '    w.container.resize()',
    '    expect(w.width()).toBe(320)',
    '  })',
    '})',
    ''
  ].join('\n'),
  'e2e/src/test/java/com/acme/e2e/CheckoutIT.java': [
    'package com.acme.e2e;',
    '',
    'import static org.junit.jupiter.api.Assertions.assertEquals;',
    'import static org.junit.jupiter.api.Assertions.assertTrue;',
    '',
    'import org.junit.jupiter.api.Disabled;',
    'import org.junit.jupiter.api.Test;',
    '',
    '/** Checkout through the browser against the staging stack. */',
    'class CheckoutIT {',
    '  private final Shop shop = Shop.open();',
    '',
    '  // Run with -Dfailsafe.rerunFailingTestsCount=2: a test that passes on a rerun is reported flaky.',
    '',
    '  @Test',
    '  void listsCartItems() {',
    '    shop.addToCart("widget");',
    '    shop.addToCart("gadget");',
    '',
    '    var cart = shop.cart();',
    '    assertEquals(2, cart.items().size());',
    '  }',
    '',
    '  @Test',
    '  void checksOutWithCard() {',
    '    shop.addToCart("widget");',
    '    shop.checkout();',
    '',
    '    var payment = shop.paymentPage();',
    '    payment.card("4242 4242 4242 4242");',
    '    payment.expiry("12/30");',
    '',
    '    // The payment provider\'s sandbox sometimes takes longer than five seconds.',
    '    assertTrue(payment.loaded(5000), "payment page did not load within 5000 ms");',
    '  }',
    '',
    '  @Test',
    '  @Disabled("search index is not part of the e2e stack yet")',
    '  void searchesTheCatalog() {',
    '    shop.search("widget");',
    '',
    '    var results = shop.results();',
    '',
    '    assertTrue(results.size() > 0);',
    '',
    '    assertEquals("widget", results.get(0).name());',
    '  }',
    '}',
    ''
  ].join('\n'),
  '.github/workflows/ci.yml': [
    'name: ci',
    'on:',
    '  push: {branches: [main]}',
    '  pull_request:',
    'permissions: {}',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    permissions: {contents: write, checks: write, pull-requests: write, actions: read}',
    '    steps:',
    '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
    '        with:',
    '          persist-credentials: false',
    '      - run: npm ci && npx jest --ci --reporters=default --reporters=jest-junit',
    '        env: {JEST_JUNIT_OUTPUT_DIR: reports/jest, JEST_JUNIT_ADD_FILE_ATTRIBUTE: "true"}',
    '      - run: mvn -B -f e2e verify -Dfailsafe.rerunFailingTestsCount=2',
    '        if: ${{ !cancelled() }}',
    '      - uses: OWNER/shepherd/actions/test-report@<full commit SHA> # v0.1.0',
    '        if: ${{ !cancelled() }}',
    '        with:',
    '          files: |',
    '            reports/**/*.xml',
    '            e2e/target/failsafe-reports/*.xml',
    '          name: test',
    '          comment: failures',
    ''
  ].join('\n')
}

/** The `files` input of the story's test-report step (as in its ci.yml). */
export const DEMO_REPORT_FILES = 'reports/**/*.xml\ne2e/target/failsafe-reports/*.xml'

/** Seed of the durations: the same on every run of the demo. */
const SEED = 20261122

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The checkout's path on GitHub's hosted runner, which jest writes into its stack traces. */
export const DEMO_RUNNER_CHECKOUT = '/home/runner/work/widgets/widgets'

/**
 * Returns the JUnit files one run leaves in its workspace, by path relative to the workspace:
 * `reports/jest/junit.xml` and `e2e/target/failsafe-reports/TEST-<class>.xml`. `workspace` is the
 * checkout's absolute path as jest would print it (default: the hosted runner's, so the files are
 * the same wherever the demo runs; the report finds locations from jest's `file` attribute).
 */
export function demoJUnitFiles(run: DemoCiRun, workspace = DEMO_RUNNER_CHECKOUT): Record<string, string> {
  const random = seededRandom(SEED + run.runId)
  const ms = (base: number) => Math.round(base * (0.8 + random() * 0.6))
  const ran = DEMO_TESTS.filter((t) => run.outcomes[t.key])
  const files: Record<string, string> = {}
  const jest = ran.filter((t) => t.runner === 'jest')
  if (jest.length) files['reports/jest/junit.xml'] = jestJUnit(jest, run, workspace, ms)
  const failsafe = ran.filter((t) => t.runner === 'failsafe')
  for (const suite of [...new Set(failsafe.map((t) => t.suite))]) {
    files[`e2e/target/failsafe-reports/TEST-${suite}.xml`] = surefireJUnit(
      failsafe.filter((t) => t.suite === suite),
      run,
      ms
    )
  }
  return files
}

/** jest-junit's layout: one <testsuite> per test file, a <testcase> per test with its file, failures as escaped text. */
function jestJUnit(tests: DemoTest[], run: DemoCiRun, workspace: string, ms: (base: number) => number): string {
  const byFile = [...new Set(tests.map((t) => t.file))]
  let total = 0
  let failures = 0
  const suites = byFile.map((file) => {
    const mine = tests.filter((t) => t.file === file)
    const cases = mine.map((t) => {
      const outcome = run.outcomes[t.key]
      const time = (ms(t.key === 'animates' ? 300 : 12) / 1000).toFixed(3)
      // jest-junit with classNameTemplate "{classname}" and titleTemplate "{title}": the describe block and the test's own title.
      const open = `    <testcase classname="${esc(t.suite)}" name="${esc(t.name)}" time="${time}" file="${esc(t.file)}">`
      if (outcome === 'fail') {
        const trace = `${t.failure}\n    at Object.<anonymous> (${workspace}/${t.file}:${t.line}:${t.key === 'cents' ? 28 : 31})\n    at Promise.then.completed (${workspace}/node_modules/jest-circus/build/utils.js:298:28)`
        return `${open}\n      <failure>${esc(trace)}</failure>\n    </testcase>`
      }
      if (outcome === 'skip') return `${open}\n      <skipped/>\n    </testcase>`
      return `${open}\n    </testcase>`
    })
    const failed = mine.filter((t) => run.outcomes[t.key] === 'fail').length
    total += mine.length
    failures += failed
    return [`  <testsuite name="${esc(file.split('/').pop()!)}" errors="0" failures="${failed}" skipped="0" timestamp="2026-01-01T00:00:00" time="0.500" tests="${mine.length}">`, ...cases, '  </testsuite>'].join('\n')
  })
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="jest tests" tests="${total}" failures="${failures}" errors="0" time="1.000">`, ...suites, '</testsuites>', ''].join('\n')
}

/** Surefire/Failsafe's layout: one file per class; a rerun that passed keeps the first failure as <flakyFailure>. */
function surefireJUnit(tests: DemoTest[], run: DemoCiRun, ms: (base: number) => number): string {
  const suite = tests[0].suite
  const simple = suite.split('.').pop()!
  const frame = (t: DemoTest) => `${t.failure}\n\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)\n\tat org.junit.jupiter.api.AssertTrue.assertTrue(AssertTrue.java:40)\n\tat ${suite}.${t.name}(${simple}.java:${t.line})`
  const message = (t: DemoTest) => esc(t.failure.replace(/^[\w.]+: /, ''))
  let failures = 0
  let skipped = 0
  const cases = tests.map((t) => {
    const outcome = run.outcomes[t.key]
    const open = `  <testcase name="${esc(t.name)}" classname="${esc(suite)}" time="${(ms(t.key === 'checkout' ? 4200 : 800) / 1000).toFixed(3)}">`
    if (outcome === 'skip') {
      skipped++
      return `${open}\n    <skipped message="search index is not part of the e2e stack yet"/>\n  </testcase>`
    }
    if (outcome === 'fail') {
      failures++
      return `${open}\n    <failure message="${message(t)}" type="org.opentest4j.AssertionFailedError"><![CDATA[${frame(t)}]]></failure>\n  </testcase>`
    }
    if (outcome === 'rerun') return `${open}\n    <flakyFailure message="${message(t)}" type="org.opentest4j.AssertionFailedError">\n      <stackTrace><![CDATA[${frame(t)}]]></stackTrace>\n    </flakyFailure>\n  </testcase>`
    return `${open.slice(0, -1)}/>`
  })
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0.2" name="${esc(suite)}" time="9.120" tests="${tests.length}" errors="0" skipped="${skipped}" failures="${failures}">`,
    '  <properties>\n    <property name="java.version" value="21.0.5"/>\n  </properties>',
    ...cases,
    '</testsuite>',
    ''
  ].join('\n')
}
