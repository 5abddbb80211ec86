/** Failing tests' paths as traces name them, matched to repository files by a unique tail. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { resolveSourcePaths, sourcePathResolver } from '../../src/core/test-report/source-paths.js'
import { testId, type Report, type TestResult } from '../../src/core/test-report/model.js'
import { ResultTable } from '../../src/core/junit/result-table.js'

const repo = [
  'pom.xml',
  'service/src/main/java/com/acme/Service.java',
  'service/src/test/java/com/acme/ServiceTest.java',
  'client/src/test/java/com/acme/ClientTest.java',
  'client/src/test/java/com/other/ClientTest.java',
  'a/src/test/java/com/dup/DupTest.java',
  'b/src/test/java/com/dup/DupTest.java',
  'pkg/store/store_test.go'
]

describe('sourcePathResolver', () => {
  const resolve = sourcePathResolver(repo)
  it('keeps a path that is already a repository file', () => expect(resolve('pkg/store/store_test.go')).toBe('pkg/store/store_test.go'))
  it('finds the one file a JVM package path ends', () => {
    expect(resolve('com/acme/ServiceTest.java')).toBe('service/src/test/java/com/acme/ServiceTest.java')
    expect(resolve('com/acme/ClientTest.java')).toBe('client/src/test/java/com/acme/ClientTest.java')
  })
  it('finds a Go file named by its package-relative name only when it is unique', () => expect(resolve('store/store_test.go')).toBe('pkg/store/store_test.go'))
  it('leaves ambiguous and unknown paths alone', () => {
    expect(resolve('com/dup/DupTest.java')).toBeUndefined()
    expect(resolve('com/acme/Missing.java')).toBeUndefined()
  })
  it('matches whole path segments only', () => {
    expect(resolve('acme/ServiceTest.java')).toBe('service/src/test/java/com/acme/ServiceTest.java')
    expect(resolve('me/ServiceTest.java')).toBeUndefined()
  })

  it('returns a repository file that ends with the path, or nothing (property)', () => {
    const segment = fc.constantFrom('a', 'b', 'src', 'test', 'com', 'x.java', 'y.go')
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')), { maxLength: 20 }), fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')), (files, path) => {
        const found = sourcePathResolver(files)(path)
        const candidates = files.filter((f) => f === path || f.endsWith(`/${path}`))
        if (files.includes(path)) expect(found).toBe(path)
        else if (candidates.length === 1) expect(found).toBe(candidates[0])
        else expect(found).toBeUndefined()
      }),
      { seed: 20261122, numRuns: 500 }
    )
  })
})

describe('resolveSourcePaths', () => {
  const result = (name: string, file: string | undefined, failed: boolean): TestResult => ({
    id: testId('com.acme.ServiceTest', name),
    suites: [],
    classname: 'com.acme.ServiceTest',
    name,
    outcome: failed ? 'failed' : 'passed',
    executions: [failed ? 'failed' : 'passed'],
    timeMs: 1,
    ...(file ? { file } : {}),
    ...(failed ? { failure: { message: 'boom' } } : {})
  })
  it('rewrites failing tests only, and counts them', () => {
    const results = [result('a', 'com/acme/ServiceTest.java', true), result('b', 'com/acme/ServiceTest.java', true), result('c', 'com/acme/ServiceTest.java', false), result('d', 'com/dup/DupTest.java', true), result('e', undefined, true)]
    const report = { results: ResultTable.of(results) } as unknown as Report
    expect(resolveSourcePaths(report, repo)).toBe(2)
    expect(report.results.toArray().map((r) => r.file)).toEqual(['service/src/test/java/com/acme/ServiceTest.java', 'service/src/test/java/com/acme/ServiceTest.java', 'com/acme/ServiceTest.java', 'com/dup/DupTest.java', undefined])
  })
})
