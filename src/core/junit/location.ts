/**
 * Where a failing test is in the source, when the `<testcase>` has no `file`/`line` attributes:
 * found in its stack trace. Heuristics, in order (the first that matches wins):
 * 1. a JVM frame of the test's own class: `at com.acme.FooTest.bar(FooTest.java:18)` gives
 *    `com/acme/FooTest.java` line 18 (nested classes `FooTest$Inner` count as FooTest);
 * 2. pytest's location line `tests/test_x.py:12: AssertionError`, else the last Python frame
 *    `File "…", line N` that is not inside site-packages or the standard library;
 * 3. a .NET frame `in C:\src\FooTests.cs:line 42`;
 * 4. the first JavaScript/TypeScript frame `(src/foo.test.ts:12:5)` outside node_modules and
 *    `node:` internals;
 * 5. the first `path/file.ext:LINE` whose extension is a source file's (Go `foo_test.go:12:`,
 *    C/C++ `main.cpp:72:`, Rust, PHP, Ruby, Swift, …).
 * When the element gives `file` but no `line`, the line is the first `file:LINE` of that file's
 * name in the trace. Paths are made repository-relative by removing `sourceRoot` and `./`.
 */

export interface Location {
  file: string
  line?: number
}

/** What follows the class name in a JVM frame: nested classes, the method, the file and line. */
const JVM_FRAME_TAIL = /(?:\$\w+)*\.[\w$<>-]+\(([\w$-]+\.(?:java|kt|scala|groovy|clj)):(\d+)\)/y
const PYTEST_LOCATION = /^([^\s:"']+\.py):(\d+): /m
const PYTHON_FRAME = /File "([^"]+\.py)", line (\d+)/g
const DOTNET_FRAME = / in ((?:[A-Za-z]:)?[^:\n]{1,260}?\.(?:cs|fs|vb)):line (\d+)/
const JS_HINT = /\.(?:[cm]?[jt]sx?|vue|svelte):\d/
const JS_FRAME = /(?:\(|at |^|\s)((?:file:\/\/)?(?:[A-Za-z]:)?[^\s():'"]*\.(?:[cm]?[jt]sx?|vue|svelte)):(\d+)(?::\d+)?/gm
// Each pattern starts only at a token boundary and bounds its repeats, so a hostile 10,000-character trace costs linear time.
const SOURCE_LOCATION = /(?<![\w.\/\\@+:-])((?:[A-Za-z]:)?[\w.\/\\@+-]*\.(?:go|c|cc|cpp|cxx|h|hh|hpp|rs|php|phpt|rb|swift|m|mm|kt|java|py|cs|ex|exs|erl|hs|ml|pl|pm|t|lua|dart|zig|nim|scala)):(\d+)/g

/** The last classname's package directory: the failing tests of one class come together. */
let lastClassname = ''
let lastDirectory = ''

/** Returns the directory of a JVM class's package (`com.acme.FooTest` gives `com/acme/`). */
function packageDirectory(classname: string): string {
  if (classname !== lastClassname) {
    const dot = classname.lastIndexOf('.')
    lastDirectory = dot < 0 ? '' : classname.slice(0, dot).replaceAll('.', '/') + '/'
    lastClassname = classname
  }
  return lastDirectory
}

/** Returns the path of a JVM frame's file: `FooTest.java` of `com.acme.FooTest` is `com/acme/FooTest.java`. */
export function jvmFile(classname: string, file: string): string {
  return packageDirectory(classname) + file
}

/** Returns the location found in `trace` for a test of `classname`, or undefined. */
export function locationFromTrace(trace: string, classname: string): Location | undefined {
  if (!trace) return undefined
  // Cheap tests first: most traces name one language, and each pattern runs only where it can match.
  if (classname && (trace.includes('.java:') || trace.includes('.kt:') || trace.includes('.scala:') || trace.includes('.groovy:') || trace.includes('.clj:'))) {
    // Look for the class's own name, then read the rest of the frame after it.
    for (let at = trace.indexOf(classname); at >= 0; at = trace.indexOf(classname, at + 1)) {
      const before = at === 0 ? 32 : trace.charCodeAt(at - 1)
      if (before !== 32 && before !== 9 && before !== 10) continue
      JVM_FRAME_TAIL.lastIndex = at + classname.length
      const m = JVM_FRAME_TAIL.exec(trace)
      if (m) return { file: jvmFile(classname, m[1]), line: Number(m[2]) }
    }
  }
  if (trace.includes('.py')) {
    const pytest = PYTEST_LOCATION.exec(trace)
    if (pytest) return { file: pytest[1], line: Number(pytest[2]) }
    let python: Location | undefined
    for (const m of trace.matchAll(PYTHON_FRAME)) {
      if (!/site-packages|dist-packages|[\\/]lib[\\/]python\d/.test(m[1])) python = { file: m[1], line: Number(m[2]) }
    }
    if (python) return python
  }
  if (trace.includes(':line ')) {
    const dotnet = DOTNET_FRAME.exec(trace)
    if (dotnet) return { file: dotnet[1], line: Number(dotnet[2]) }
  }
  if (JS_HINT.test(trace)) {
    for (const m of trace.matchAll(JS_FRAME)) {
      if (!/node_modules|^node:|internal\//.test(m[1])) return { file: m[1].replace(/^file:\/\//, ''), line: Number(m[2]) }
    }
  }
  for (const m of trace.matchAll(SOURCE_LOCATION)) {
    if (!/node_modules|site-packages/.test(m[1])) return { file: m[1], line: Number(m[2]) }
  }
  return undefined
}

/** Returns the first line number given for `file` (matched by its base name) in `trace`. */
export function lineOfFile(trace: string, file: string): number | undefined {
  const base = file.split(/[\\/]/).pop()
  if (!base) return undefined
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`${escaped}:(?:line )?(\\d+)`).exec(trace)
  return m ? Number(m[1]) : undefined
}

/** Returns `file` relative to `sourceRoot` (when under it), with `\` made `/` and a leading `./` removed. */
export function relativePath(file: string, sourceRoot?: string): string {
  // Nearly every path needs nothing done: tested first, without a regular expression.
  if (!sourceRoot && !file.includes('\\') && !file.startsWith('./')) return file
  let path = file.replace(/\\/g, '/')
  if (sourceRoot) {
    const root = sourceRoot.replace(/\\/g, '/').replace(/\/+$/, '') + '/'
    if (path.startsWith(root)) path = path.slice(root.length)
  }
  return path.replace(/^(\.\/)+/, '')
}
