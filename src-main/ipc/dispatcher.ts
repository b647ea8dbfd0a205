import type { z } from 'zod'
import {
  AppError,
  contract,
  isChannelName,
  type ChannelName,
  type RpcResponse,
  type ValidationIssue
} from '@shared/contract'
import type { CallContext, Handler, HandlerMap, TransportKind } from './handlers'
import type { SessionUser } from '@shared/contract'
import { log } from '../platform/log'
import { runAudited } from '../modules/audit/audit-trail'
import { PUBLIC_CHANNELS, ROLE_LABELS, mayCall } from '@shared/contract/permissions'

/** Context of a public channel called before signing in (sign-in screen). */
const ANONYMOUS: SessionUser = { id: '', displayName: '', role: 'collector' }

/** Who is calling, and what they may reach (src-main/modules/users). */
export interface AccessControl {
  /** The signed-in user of the session, or null when it must sign in first. */
  resolve(transport: TransportKind, sessionKey: string | null): Promise<SessionUser | null>
  /** Throws FORBIDDEN when the input names a case (or debtor) the user may not work on. */
  checkScope?(user: SessionUser, input: unknown, channel: string): Promise<void>
}
import '@shared/validation/zod-locale'

/**
 * The single entry point of every transport (Electron IPC, loopback HTTP, in-process calls in
 * tests): checks the channel, validates the input against the contract's schema (the renderer
 * is never trusted), runs the handler and wraps the outcome in an `RpcResponse`. Nothing thrown
 * by a handler escapes: an unexpected error is logged in English with its stack and reported
 * to the user in French without internals.
 */
export class Dispatcher {
  constructor(
    private readonly handlers: HandlerMap,
    access: AccessControl | (() => Promise<SessionUser>)
  ) {
    this.access = typeof access === 'function' ? { resolve: () => access() } : access
  }

  private readonly access: AccessControl

  async dispatch(
    channel: unknown,
    rawInput: unknown,
    transport: TransportKind,
    /** The window's session (IPC sender, HTTP session header); none for in-process calls. */
    sessionKey: string | null = null
  ): Promise<RpcResponse<unknown>> {
    if (!isChannelName(channel)) {
      log.warn(`Rejected call to unknown channel ${JSON.stringify(String(channel)).slice(0, 80)} over ${transport}`)
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Opération inconnue.' } }
    }
    let user: SessionUser | null
    try {
      user = await this.access.resolve(transport, sessionKey)
    } catch (error) {
      log.error(`Session lookup failed for ${channel}`, error)
      return { ok: false, error: { code: 'INTERNAL', message: 'Une erreur interne est survenue.' } }
    }
    const isPublic = PUBLIC_CHANNELS.has(channel)
    // In-process calls (CLI, tests, the app's own jobs) are trusted code: the permission table
    // and the collectors' scope apply to windows (IPC, loopback HTTP) and to bound sessions.
    const enforced = !isPublic && (transport !== 'direct' || sessionKey !== null)
    if (!user && !isPublic) {
      return {
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'Session fermée ou verrouillée : connectez-vous pour continuer.' }
      }
    }
    if (user && enforced && !mayCall(user.role, channel)) {
      log.warn(`Refused ${channel} to ${user.id} (${user.role})`)
      return {
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `Votre rôle (${ROLE_LABELS[user.role]}) ne permet pas cette opération.`
        }
      }
    }
    const parsed = contract[channel].input.safeParse(rawInput === undefined ? {} : rawInput)
    if (!parsed.success) {
      const issues = toIssues(parsed.error)
      log.warn(`Invalid input on ${channel}: ${issues.map((i) => `${i.path || '(input)'} ${i.code}`).join('; ')}`)
      return {
        ok: false,
        error: {
          code: 'VALIDATION',
          // Field paths are code names: the French sentence carries the messages only, and the
          // renderer maps `issues[].path` onto its fields.
          message: 'Données invalides : ' + [...new Set(issues.map((i) => i.message))].join(' ; '),
          issues: issues.map(({ path, message }) => ({ path, message }))
        }
      }
    }
    try {
      if (user && enforced) await this.access.checkScope?.(user, parsed.data, channel)
      const ctx: CallContext = { user: user ?? ANONYMOUS, transport, sessionKey }
      const handler = this.handlers[channel] as Handler<ChannelName>
      // Every write the handler makes is attributed to this user and channel in the audit trail.
      const data = await runAudited({ userId: user?.id ?? null, action: channel }, () =>
        handler(parsed.data as never, ctx)
      )
      return { ok: true, data }
    } catch (error) {
      if (error instanceof AppError) {
        log.warn(`${channel} refused (${error.code}): ${error.message}`)
        return { ok: false, error: error.toRpcError() }
      }
      log.error(`${channel} failed`, error)
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Une erreur interne est survenue. L’opération n’a pas été enregistrée.' }
      }
    }
  }
}

function toIssues(error: z.ZodError): Array<ValidationIssue & { code: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code
  }))
}
