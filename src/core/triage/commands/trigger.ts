/**
 * `/ok-to-test [cancel]` (Prow's trigger plugin): trusted users mark an untrusted author's pull
 * request as safe to test.
 */
import type { OkToTestCommand } from '../../commands/types.js'
import { isTrusted } from '../authz.js'
import { NEEDS_OK_TO_TEST, OK_TO_TEST } from '../pull-request.js'
import type { Handler } from './context.js'

/** `/ok-to-test`: trusted users only; pull requests only. */
export const okToTest: Handler<OkToTestCommand> = (intent, ctx) => {
  if (!ctx.snapshot.item.isPullRequest) return
  const trusted = isTrusted(ctx.snapshot, ctx.actor)
  if (intent.action === 'add') {
    if (!trusted) return ctx.work.reply('Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message.')
    ctx.work.addLabel(OK_TO_TEST)
    ctx.work.removeLabel(NEEDS_OK_TO_TEST)
    return
  }
  if (!trusted) return ctx.work.reply('Only trusted users can revoke `/ok-to-test`.')
  ctx.work.removeLabel(OK_TO_TEST)
  ctx.work.addLabel(NEEDS_OK_TO_TEST)
}
