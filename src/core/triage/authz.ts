/**
 * Who may do what, from what GitHub says about a user (never from `author_association`, which a
 * webhook payload carries but which can be stale and, for some events, spoofed by context).
 */
import { userOf, type TriageSnapshot } from './snapshot.js'

const WRITE = new Set(['write', 'maintain', 'admin'])

/** Returns whether the user has write permission or more on the repository (Prow's "collaborator"). */
export function isCollaborator(snapshot: TriageSnapshot, login: string): boolean {
  return WRITE.has(userOf(snapshot, login).permission)
}

/** Returns whether the user is an admin of the repository. */
export function isAdmin(snapshot: TriageSnapshot, login: string): boolean {
  return userOf(snapshot, login).permission === 'admin'
}

/** Returns whether the user is a member of the organization that owns the repository. */
export function isOrgMember(snapshot: TriageSnapshot, login: string): boolean {
  return userOf(snapshot, login).orgMember
}

/**
 * Returns whether the user is trusted to have CI run on their code (Prow's trigger.TrustedUser):
 * Shepherd itself, an org member, a collaborator, or a member of a configured trusted org or team.
 */
export function isTrusted(snapshot: TriageSnapshot, login: string): boolean {
  if (login.toLowerCase() === snapshot.bot.toLowerCase()) return true
  const user = userOf(snapshot, login)
  if (user.orgMember || WRITE.has(user.permission)) return true
  const trustedOrgs = new Set(snapshot.config.triage.trusted.orgs.map((o) => o.toLowerCase()))
  if ((user.orgs ?? []).some((o) => trustedOrgs.has(o.toLowerCase()))) return true
  const trustedTeams = new Set(snapshot.config.triage.trusted.teams.map((t) => t.toLowerCase()))
  return user.teams.some((t) => trustedTeams.has(t.toLowerCase()))
}
