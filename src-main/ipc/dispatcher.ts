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
    private readonly currentUser: () => Promise<SessionUser>
  ) {}

  async dispatch(channel: unknown, rawInput: unknown, transport: TransportKind): Promise<RpcResponse<unknown>> {
    if (!isChannelName(channel)) {
      log.warn(`Rejected call to unknown channel ${JSON.stringify(String(channel)).slice(0, 80)} over ${transport}`)
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Opération inconnue.' } }
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
      const ctx: CallContext = { user: await this.currentUser(), transport }
      const handler = this.handlers[channel] as Handler<ChannelName>
      // Every write the handler makes is attributed to this user and channel in the audit trail.
      const data = await runAudited({ userId: ctx.user.id, action: channel }, () => handler(parsed.data as never, ctx))
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
