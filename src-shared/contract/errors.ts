/**
 * Errors that cross the main/renderer boundary. Electron only forwards `message` of a thrown
 * error, so handlers never let an exception escape: the dispatcher turns every failure into an
 * `RpcFailure` with a stable code, a French message for the user and, in logs only, English.
 */

export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'BUSINESS_RULE',
  'FORBIDDEN',
  'UNAUTHORIZED',
  /** The database cannot be reached or is busy (server down, network cut): nothing was saved. */
  'UNAVAILABLE',
  'INTERNAL'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ValidationIssue {
  /** Dotted path of the offending field, empty for the input itself. */
  path: string
  /** French, shown next to the field. */
  message: string
}

export interface RpcError {
  code: ErrorCode
  /** French, shown to the user as is. */
  message: string
  issues?: ValidationIssue[]
}

export type RpcResponse<T> = { ok: true; data: T } | { ok: false; error: RpcError }

/**
 * A failure the user can understand and act on. `message` is French for the UI, `logMessage`
 * English for the log file.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly userMessage: string
  readonly issues: ValidationIssue[] | undefined

  constructor(code: ErrorCode, userMessage: string, logMessage: string, issues?: ValidationIssue[]) {
    super(logMessage)
    this.name = 'AppError'
    this.code = code
    this.userMessage = userMessage
    this.issues = issues
  }

  toRpcError(): RpcError {
    return this.issues
      ? { code: this.code, message: this.userMessage, issues: this.issues }
      : { code: this.code, message: this.userMessage }
  }
}

export function notFound(what: string, id: string, frenchWhat: string): AppError {
  return new AppError('NOT_FOUND', `${frenchWhat} introuvable.`, `${what} ${id} not found`)
}

/** Raised by the renderer's client when a call fails, carrying the main process's error. */
export class RpcCallError extends Error {
  readonly code: ErrorCode
  readonly issues: ValidationIssue[] | undefined

  constructor(
    readonly channel: string,
    error: RpcError
  ) {
    super(error.message)
    this.name = 'RpcCallError'
    this.code = error.code
    this.issues = error.issues
  }
}
