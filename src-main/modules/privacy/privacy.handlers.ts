import type { HandlerGroup } from '../../ipc/handlers'
import type { PrivacyService } from './privacy.service'

export function privacyHandlers(
  privacy: PrivacyService
): HandlerGroup<
  | 'privacy:settings'
  | 'privacy:set-retention'
  | 'privacy:retention-preview'
  | 'privacy:anonymise'
  | 'privacy:debtor-export'
> {
  return {
    'privacy:settings': () => privacy.settings(),
    'privacy:set-retention': (input, ctx) => privacy.setRetention(input.retentionYears, ctx.user.id),
    'privacy:retention-preview': () => privacy.preview(),
    'privacy:anonymise': (input, ctx) => privacy.anonymise(input.debtorIds, ctx.user.id),
    'privacy:debtor-export': (input, ctx) => privacy.exportDebtor(input, ctx.user.id)
  }
}
