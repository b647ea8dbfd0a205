import type { UserRole } from '../domain/enums'

/**
 * Who may call which channel: the one table the main process enforces (the dispatcher refuses
 * anything else with FORBIDDEN), the renderer only reads it to hide what would be refused.
 * A channel missing here is refused to everyone but administrators, and a test lists it.
 */

const ALL: readonly UserRole[] = ['admin', 'manager', 'collector']
const MANAGERS: readonly UserRole[] = ['admin', 'manager']
const ADMINS: readonly UserRole[] = ['admin']

/** Callable without being signed in (the sign-in screen itself). */
export const PUBLIC_CHANNELS: ReadonlySet<string> = new Set([
  'auth:status',
  'auth:setup',
  'auth:sign-in',
  'auth:sign-out'
])

/**
 * Keyed by plain strings so an entry can be added while another module's channel is still being
 * wired; tests/integration/users/roles.test.ts checks every channel of the contract has one.
 */
export const CHANNEL_ROLES: Readonly<Record<string, readonly UserRole[]>> = {
  'app:info': ALL,
  'session:current': ALL,
  'app:daily-checks': ALL,
  'demo:generate': ADMINS,
  'clients:list': ALL,
  'users:list': ALL,
  'cases:list': ALL,
  'cases:page': ALL,
  'cases:totals': ALL,
  'cases:get-summary': ALL,
  'portfolio:list-views': ALL,
  'portfolio:create-view': ALL,
  'portfolio:update-view': ALL,
  'portfolio:delete-view': ALL,
  // Rates, templates, scenarios, mandates, imports and exports: managers only.
  'rates:list': ALL,
  'rates:add-semester': MANAGERS,
  'money:statement': ALL,
  'money:record-payment': ALL,
  'money:reverse-payment': ALL,
  'money:list-payments': ALL,
  'money:retry-payment-documents': ALL,
  'money:record-legal-event': ALL,
  'money:list-legal-events': ALL,
  'remittances:preview': MANAGERS,
  'remittances:create': MANAGERS,
  'remittances:mark-paid': MANAGERS,
  'remittances:list': MANAGERS,
  'plans:simulate': ALL,
  'plans:accept': ALL,
  'plans:list': ALL,
  'plans:detect-defaults': ALL,
  'plans:accelerate': ALL,
  'promises:list': ALL,
  'promises:create': ALL,
  'promises:evaluate': ALL,
  'casefile:get': ALL,
  'journal:list': ALL,
  'journal:correct': ALL,
  'case:add-note': ALL,
  'case:change-phase': ALL,
  'case:assign': MANAGERS,
  'case:suspend': ALL,
  'case:resume': ALL,
  'case:close': ALL,
  'case:set-next-action': ALL,
  'calls:check': ALL,
  'calls:log': ALL,
  'solvency:get': ALL,
  'solvency:add-fact': ALL,
  'solvency:assess': ALL,
  'solvency:capacity': ALL,
  'proceedings:record': ALL,
  'deadlines:complete': ALL,
  'agenda:list': ALL,
  'agenda:counts': ALL,
  'imports:setup': MANAGERS,
  'imports:analyze': MANAGERS,
  'imports:preview': MANAGERS,
  'imports:commit': MANAGERS,
  'imports:error-report': MANAGERS,
  'imports:list': MANAGERS,
  'imports:undo': MANAGERS,
  'documents:agency-get': ALL,
  'documents:agency-save': MANAGERS,
  'documents:logo-upload': MANAGERS,
  'documents:logo-get': ALL,
  'documents:smtp-get': MANAGERS,
  'documents:smtp-save': MANAGERS,
  'templates:list': ALL,
  'templates:get': ALL,
  'templates:save': MANAGERS,
  'templates:restore': MANAGERS,
  'templates:preview': MANAGERS,
  'letters:preview': ALL,
  'letters:generate': ALL,
  'letters:mark-sent': ALL,
  'letters:list': ALL,
  'letters:email': ALL,
  'letters:email-confirm-sent': ALL,
  'letters:sms': ALL,
  'letters:cancel': ALL,
  'documents:list': ALL,
  'documents:open': ALL,
  'documents:injunction-file': ALL,
  'documents:payment-documents': ALL,
  'documents:reversal-notice': ALL,
  'documents:remittance-statement': MANAGERS,
  'reports:dashboard': ALL,
  'reports:export': MANAGERS,
  'backup:list': MANAGERS,
  'backup:create': MANAGERS,
  'backup:restore': ADMINS,
  'backup:upload-begin': ADMINS,
  'backup:upload-chunk': ADMINS,
  'backup:restore-upload': ADMINS,
  'backup:set-retention': ADMINS,
  'database:get-target': MANAGERS,
  'database:set-target': ADMINS,
  'audit:list': MANAGERS,
  'audit:export': MANAGERS,
  'audit:verify': MANAGERS,
  'privacy:settings': MANAGERS,
  'privacy:set-retention': ADMINS,
  'privacy:retention-preview': MANAGERS,
  'privacy:anonymise': MANAGERS,
  'privacy:debtor-export': MANAGERS,
  'dunning:scenarios': ALL,
  'dunning:save-scenario': MANAGERS,
  'dunning:set-mandate-scenario': MANAGERS,
  'dunning:mandates': ALL,
  'dunning:preview': ALL,
  'dunning:pending': ALL,
  'dunning:start': MANAGERS,
  'dunning:job': ALL,
  'dunning:cancel': MANAGERS,
  'dunning:batches': ALL,
  'dunning:batch': ALL,
  'dunning:print-file': ALL,
  'dunning:mark-sent': ALL,
  'dunning:complete-task': ALL,
  // Sending a whole batch (and exporting its SMS) is a manager's act, like confirming it.
  'dunning:outbox': ALL,
  'dunning:send-emails': MANAGERS,
  'dunning:send-job': ALL,
  'dunning:send-cancel': MANAGERS,
  'dunning:eml-archive': MANAGERS,
  'dunning:sms-export': MANAGERS,
  'dunning:sms-mark-sent': MANAGERS,
  // Field work: a collector checks out their own cases (the service narrows them), syncs, resolves.
  'sync:status': ALL,
  'sync:checkouts': ALL,
  'sync:checked-out-cases': ALL,
  'sync:checkout': ALL,
  'sync:run': ALL,
  'sync:resolve': ALL,
  'sync:return': ALL,
  'auth:status': ALL,
  'auth:setup': ALL,
  'auth:sign-in': ALL,
  'auth:sign-out': ALL,
  'users:set-idle-lock': ADMINS,
  'users:security-settings': ADMINS,
  'users:set-portfolio-open': ADMINS,
  'users:accounts': ADMINS,
  'users:create': ADMINS,
  'users:update': ADMINS,
  'users:set-password': ADMINS
}

export const ROLE_LABELS: Record<UserRole, string> = {
  admin: 'administrateur',
  manager: 'responsable',
  collector: 'chargé de recouvrement'
}

export function rolesFor(channel: string): readonly UserRole[] {
  return CHANNEL_ROLES[channel] ?? ADMINS
}

export function mayCall(role: UserRole, channel: string): boolean {
  return rolesFor(channel).includes(role)
}
