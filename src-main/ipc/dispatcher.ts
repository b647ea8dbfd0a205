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
import { SCREENED_BY_DISPATCHER } from '@shared/contract/free-text'
import { assertScreened } from '../modules/journal/screen-comments'
import { isReturnedCopyWrite, returnedCopy } from '../modules/sync/returned-copy'
import { databaseAppError } from '../db/db-errors'

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
      const mapped = databaseAppError(error, `Session lookup for ${channel}`)
      if (mapped) {
        log.warn(mapped.message)
        return { ok: false, error: mapped.toRpcError() }
      }
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
      // CNIL screening of the free-text fields no service screens itself (src-shared/contract/free-text.ts).
      const screened = SCREENED_BY_DISPATCHER[channel]
      if (screened) assertScreened(textsAt(parsed.data, screened))
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
      // A write on a laptop copy handed back to the office (its read-only triggers).
      if (isReturnedCopyWrite(error)) return { ok: false, error: returnedCopy().toRpcError() }
      // A database driver error of either engine (duplicate key, server unreachable…).
      const mapped = databaseAppError(error, channel)
      if (mapped) {
        log.warn(`${channel} refused (${mapped.code}): ${mapped.message}`)
        return { ok: false, error: mapped.toRpcError() }
      }
      log.error(`${channel} failed`, error)
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Une erreur interne est survenue. L’opération n’a pas été enregistrée.' }
      }
    }
  }
}

/** The strings found at dotted paths (`a.b`, `items[].note`) of a parsed input, by path. */
function textsAt(input: unknown, paths: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {}
  const visit = (value: unknown, parts: string[], path: string) => {
    if (parts.length === 0) {
      if (typeof value === 'string') found[path] = value
      return
    }
    const [head, ...rest] = parts as [string, ...string[]]
    if (value === null || typeof value !== 'object') return
    if (head.endsWith('{}')) {
      // A record: every value, keyed by its key (sync:resolve's new values, column by column).
      const record = (value as Record<string, unknown>)[head.slice(0, -2)]
      if (record && typeof record === 'object')
        for (const [key, item] of Object.entries(record)) visit(item, rest, `${path}${head.slice(0, -2)}.${key}`)
      return
    }
    if (head.endsWith('[]')) {
      const items = (value as Record<string, unknown>)[head.slice(0, -2)]
      if (Array.isArray(items)) items.forEach((item, i) => visit(item, rest, `${path}${head.slice(0, -2)}.${i}.`))
      return
    }
    visit((value as Record<string, unknown>)[head], rest, rest.length ? `${path}${head}.` : `${path}${head}`)
  }
  for (const path of paths) visit(input, path.split('.'), '')
  return found
}

function toIssues(error: z.ZodError): Array<ValidationIssue & { code: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code
  }))
}
