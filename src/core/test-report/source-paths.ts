/**
 * Test locations as repository paths. A stack trace names where a test is the way its language
 * sees it, not where the file sits in the repository: a JVM frame gives the package path
 * (`com/acme/FooTest.java`, under `src/test/java/` or `module/src/test/kotlin/`), a Go test its
 * package-relative file. GitHub attaches annotations and file links only to repository paths, so
 * each failing test's path that is not a file of the repository is matched by its tail against the
 * repository's files: a unique file ending in `/<path>` replaces it; several candidates or none
 * leave it as it was (a guess would point at the wrong file).
 */
import type { Report } from './model.js'

/** Returns a lookup from a path as a trace names it to the one repository file it can be, if any. */
export function sourcePathResolver(repoFiles: readonly string[]): (path: string) => string | undefined {
  const files = new Set(repoFiles)
  const byBase = new Map<string, string[]>()
  for (const f of repoFiles) {
    const base = f.slice(f.lastIndexOf('/') + 1)
    const list = byBase.get(base)
    if (list) list.push(f)
    else byBase.set(base, [f])
  }
  return (path) => {
    if (files.has(path)) return path
    const clean = path.replace(/^\/+/, '')
    const base = clean.slice(clean.lastIndexOf('/') + 1)
    const tail = `/${clean}`
    const found = (byBase.get(base) ?? []).filter((f) => f === clean || f.endsWith(tail))
    return found.length === 1 ? found[0] : undefined
  }
}

/**
 * Rewrites the `file` of every result with a failure whose path is not a repository file but
 * uniquely ends one (see the module comment). Returns how many were rewritten.
 */
export function resolveSourcePaths(report: Report, repoFiles: readonly string[]): number {
  const resolve = sourcePathResolver(repoFiles)
  const seen = new Map<string, string | undefined>()
  let rewritten = 0
  const results = report.results
  for (let i = 0; i < results.length; i++) {
    const file = results.fileAt(i)
    if (file === undefined || results.failureAt(i) === undefined) continue
    let to = seen.get(file)
    if (!seen.has(file)) seen.set(file, (to = resolve(file)))
    if (to !== undefined && to !== file) {
      results.setLocation(i, to, results.lineAt(i))
      rewritten++
    }
  }
  return rewritten
}
