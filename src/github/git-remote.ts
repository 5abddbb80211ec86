/**
 * Git over smart HTTP with a token, as the history store and the merge queue run it: the remote's
 * URL, the config that makes it a blob-less partial clone, and an environment that ignores the
 * machine's and the user's git config. The token travels in a config header through
 * `GIT_CONFIG_*`, never in a URL or an argument (where `ps` or an error message would show it).
 */
import type { RepoRef } from './apply.js'

/** The repository's URL and the config of a promisor remote fetching commits and trees only. */
export function partialCloneRemote(serverUrl: string, where: RepoRef, token: string): { url: string; config: Array<[string, string]> } {
  const url = `${serverUrl.replace(/\/+$/, '')}/${where.owner}/${where.repo}.git`
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
  return {
    url,
    config: [
      ['http.extraHeader', header],
      ['remote.origin.url', url],
      ['remote.origin.promisor', 'true'],
      ['remote.origin.partialclonefilter', 'blob:none'],
      ['protocol.version', '2']
    ]
  }
}

/** An environment for git with only `config` (plus `extra`): no system or global config, no prompts. */
export function isolatedGitEnv(config: ReadonlyArray<readonly [string, string]>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...extra,
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(config.flatMap(([k, v], i) => [[`GIT_CONFIG_KEY_${i}`, k], [`GIT_CONFIG_VALUE_${i}`, v]]))
  }
}
