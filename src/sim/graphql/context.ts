/** What every GraphQL resolver gets: the world, the caller, and per-request memoization. */
import type { GraphQLResolveInfo } from 'graphql'
import type { Simulator } from '../server.js'
import type { Permission, SimEvent, SimRepo, SimState, SimToken } from '../state.js'
import { PERMISSION_ORDER, permissionOf } from '../state.js'
import { emit } from '../events.js'
import { GitRepo } from '../git.js'
import { GhError } from './errors.js'

/** A GraphQL object as the default field resolver reads it: values, or functions of the field's arguments. */
export interface Model {
  __typename: string
  [field: string]: unknown
}

// Field arguments are checked against GitHub's schema before a resolver sees them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Args = Record<string, any>
export type Field<T = unknown> = (args: Args, ctx: GqlContext, info: GraphQLResolveInfo) => T | Promise<T>

export class GqlContext {
  private readonly memo = new Map<string, unknown>()
  private readonly gits = new Map<string, GitRepo>()

  constructor(
    readonly sim: Simulator,
    readonly token: SimToken
  ) {}

  get state(): SimState {
    return this.sim.state
  }

  /** The authenticated login. */
  get viewer(): string {
    return this.token.login
  }

  /** Returns the git repository of a simulated repository. */
  git(repo: SimRepo): GitRepo {
    let git = this.gits.get(repo.gitDir)
    if (!git) this.gits.set(repo.gitDir, (git = new GitRepo(repo.gitDir)))
    return git
  }

  /** Returns `fn()`'s value, computed once per request for `key`. */
  once<T>(key: string, fn: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, fn())
    return this.memo.get(key) as T
  }

  /** Whether the caller can see the repository (a private one needs a grant; app tokens see all). */
  canRead(repo: SimRepo): boolean {
    return !repo.private || this.isAppToken() || permissionOf(this.state, repo, this.viewer) !== 'none'
  }

  /** Returns the repository named `owner/name` when the caller can see it, else null. */
  findRepo(owner: string, name: string): SimRepo | null {
    const repo = this.state.repos.get(`${owner}/${name}`.toLowerCase())
    return repo && this.canRead(repo) ? repo : null
  }

  /** The caller's permission on a repository (app tokens act as admin). */
  permission(repo: SimRepo): Permission | 'none' {
    return this.isAppToken() ? 'admin' : permissionOf(this.state, repo, this.viewer)
  }

  /** Throws GitHub's FORBIDDEN error unless the caller holds at least `needed` on the repository. */
  require(repo: SimRepo, needed: Permission, mutation: string): void {
    const have = this.permission(repo)
    if (have === 'none' || PERMISSION_ORDER.indexOf(have) < PERMISSION_ORDER.indexOf(needed)) {
      throw new GhError('FORBIDDEN', `${this.viewer} does not have the correct permissions to execute \`${mutation}\``)
    }
  }

  /** Emits a webhook event caused by this request. */
  emit(repo: SimRepo, name: string, action: string | null, body: Record<string, unknown>): SimEvent {
    return emit(this.state, repo, name, action, body, this.token.login, this.token.kind)
  }

  private isAppToken(): boolean {
    return this.token.kind === 'github-token' || this.token.kind === 'app'
  }
}

/** Types a field function (for fields whose arguments are not spelled out). */
export const field = <T>(fn: Field<T>): Field<T> => fn
