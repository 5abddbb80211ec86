/**
 * The runner's side of the action contract: workflow commands an action prints on stdout
 * (`::error file=a.ts,line=3::message`) and the key/value files it writes (GITHUB_OUTPUT, …).
 */

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  file?: string
  line?: number
  endLine?: number
  col?: number
  endColumn?: number
  title?: string
}

export interface ParsedLog {
  annotations: Annotation[]
  /** Values passed to ::add-mask::. */
  masks: string[]
  /** The log with workflow commands removed and masks applied, as a reader would see it. */
  text: string
}

// The escaping @actions/core applies (command.ts): data escapes %, CR, LF; properties also : and ,.
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','))

/** Returns the annotations, masks and readable text of an action's stdout. */
export function parseWorkflowCommands(stdout: string): ParsedLog {
  const annotations: Annotation[] = []
  const masks: string[] = []
  const text: string[] = []
  for (const line of stdout.split('\n')) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!m) {
      text.push(line)
      continue
    }
    const [, command, props = '', data] = m
    if (command === 'add-mask') masks.push(unescapeData(data))
    else if (command === 'error' || command === 'warning' || command === 'notice') {
      const a: Annotation = { level: command, message: unescapeData(data) }
      for (const pair of props.split(',').filter(Boolean)) {
        const eq = pair.indexOf('=')
        const key = pair.slice(0, eq).trim()
        const value = unescapeProperty(pair.slice(eq + 1))
        if (key === 'file' || key === 'title') a[key] = value
        else if (['line', 'endLine', 'col', 'endColumn'].includes(key)) (a as unknown as Record<string, number>)[key] = Number(value)
      }
      annotations.push(a)
      text.push(`${command.toUpperCase()}: ${a.message}`)
    } else if (command === 'group') text.push(`▸ ${unescapeData(data)}`)
    else if (command !== 'endgroup' && command !== 'debug') text.push(line)
  }
  let joined = text.join('\n')
  for (const m of masks) if (m) joined = joined.split(m).join('***')
  return { annotations, masks, text: joined }
}

/**
 * Returns the key/value pairs of a file command file (`name=value` lines and
 * `name<<DELIM` … `DELIM` blocks). Throws on a block with no closing delimiter.
 */
export function parseKeyValueFile(content: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = content.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!line) continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, key, delim] = heredoc
      const end = lines.indexOf(delim, i + 1)
      if (end < 0) throw new Error(`file command value for "${key}" has no closing delimiter ${delim}`)
      out[key] = lines.slice(i + 1, end).join('\n')
      i = end
    } else {
      const eq = line.indexOf('=')
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return out
}
