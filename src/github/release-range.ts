/**
 * The exact range of a release in a local checkout (the action runs in one): the commits
 * reachable from the target and not from the previous tag, from one `git rev-list FROM..TO`.
 * gatherReleasePulls keeps a PR only when its merge commit (or head) is among them.
 */
import { execFile } from 'node:child_process'
import { isolatedGitEnv } from './git-remote.js'

/**
 * Returns a predicate telling whether a commit is in `from..to` of the repository at `dir` (a
 * work tree or a bare repository). `from` is a tag name, `to` a tag, branch or SHA. Throws when
 * either cannot be resolved there (a shallow clone lacks the history: fetch with depth 0).
 */
export async function ancestryFilter(dir: string, from: string, to: string): Promise<(oid: string) => boolean> {
  for (const [name, value] of [['from', from], ['to', to]]) {
    if (!value || value.startsWith('-') || /[\s\0]|\.\./.test(value)) throw new Error(`${name} "${value}" is not a revision`)
  }
  const git = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile('git', ['-C', dir, ...args], { env: isolatedGitEnv([]), maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
        err ? reject(new Error(`git ${args[0]} ${args.at(-1)} in ${dir} failed: ${stderr.trim().split('\n').slice(-2).join(' ')}`)) : resolve(stdout)
      )
    )
  const fromOid = (await git(['rev-parse', '--verify', '--quiet', `refs/tags/${from}^{commit}`]).catch(() => '')).trim()
  if (!fromOid) throw new Error(`tag "${from}" is not in the checkout at ${dir} (fetch tags and full history)`)
  const toOid = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${to}^{commit}`]).catch(() => '')).trim()
  if (!toOid) throw new Error(`"${to}" is not a commit in the checkout at ${dir}`)
  const commits = new Set((await git(['rev-list', `${fromOid}..${toOid}`])).split('\n').filter(Boolean))
  return (oid) => commits.has(oid)
}
