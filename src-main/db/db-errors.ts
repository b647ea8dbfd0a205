import { AppError } from '@shared/contract/errors'

/**
 * Database driver errors (sqlite3 on a laptop, pg on an agency server) turned into AppErrors: a
 * French message the user can act on, an English line for the log. Used where an unknown error
 * becomes an AppError (the dispatcher, background jobs); anything not recognised stays an
 * internal error. Nothing here retries: a failed write was rolled back whole, which the
 * messages say ("rien n'a été enregistré").
 */

/** What happened, engine-neutral. */
export type DatabaseFailureKind =
  | 'unique'
  | 'foreign-key'
  | 'foreign-key-in-use'
  | 'check'
  | 'not-null'
  | 'busy'
  | 'serialization'
  | 'deadlock'
  | 'connection-lost'
  | 'too-many-connections'
  | 'auth-failed'
  | 'database-missing'

export interface DatabaseFailure {
  kind: DatabaseFailureKind
  /** The constraint (unique index) or column named by the driver, when it names one. */
  constraint: string | null
  /** The driver's code (SQLITE_CONSTRAINT, 23505, ECONNREFUSED…) for the log. */
  driverCode: string
  /** The driver's own message (English) for the log. */
  driverMessage: string
}

const NOTHING_SAVED = 'Rien n’a été enregistré.'
const RETRY = 'Actualisez l’écran et réessayez.'

/**
 * The French sentence for a unique index, by name (src-main/db/migrations: every unique index
 * is named uq_<table>_<columns>).
 */
const UNIQUE_MESSAGES: Record<string, string> = {
  uq_case_reference: 'Ce numéro de dossier existe déjà.',
  uq_client_code: 'Ce code client existe déjà.',
  uq_app_user_login: 'Cet identifiant de connexion est déjà pris.',
  uq_mandate_reference: 'Cette référence de mandat existe déjà.',
  uq_claim_client_invoice: 'Ce numéro de facture existe déjà pour ce client.',
  uq_document_template_code_version: 'Cette version du modèle existe déjà.',
  uq_dunning_action_case_step: 'Cette étape de relance a déjà été préparée pour ce dossier.',
  uq_dunning_scenario_code: 'Ce code de scénario de relance existe déjà.',
  uq_ecb_refinancing_rate_semester: 'Ce semestre est déjà enregistré dans la table des taux BCE.',
  uq_legal_interest_rate_semester: 'Ce semestre est déjà enregistré dans la table du taux légal.',
  uq_installment_plan_sequence: 'Cette échéance existe déjà dans l’échéancier.',
  uq_letter_document: 'Ce document a déjà son courrier.',
  uq_letter_reference: 'Ce numéro de courrier existe déjà.',
  uq_payment_document_job_payment: 'Les documents de ce paiement sont déjà en préparation.',
  uq_remittance_line_payment: 'Ce paiement figure déjà sur un reversement.',
  uq_remittance_reference: 'Ce numéro de reversement existe déjà.',
  uq_search_case_doc_case: 'L’index de recherche de ce dossier existe déjà.'
}

/**
 * SQLite names the columns of a failed unique index ("UNIQUE constraint failed:
 * collection_case.reference"), not the index: the same indexes by their columns.
 */
const UNIQUE_BY_COLUMNS: Record<string, string> = {
  'collection_case.reference': 'uq_case_reference',
  'client.code': 'uq_client_code',
  'app_user.login': 'uq_app_user_login',
  'mandate.reference': 'uq_mandate_reference',
  'claim.client_id, claim.invoice_number': 'uq_claim_client_invoice',
  'document_template.code, document_template.version': 'uq_document_template_code_version',
  'dunning_action.case_id, dunning_action.step_id': 'uq_dunning_action_case_step',
  'dunning_scenario.code': 'uq_dunning_scenario_code',
  'ecb_refinancing_rate.semester': 'uq_ecb_refinancing_rate_semester',
  'legal_interest_rate.semester': 'uq_legal_interest_rate_semester',
  'installment.plan_id, installment.sequence': 'uq_installment_plan_sequence',
  'letter.document_id': 'uq_letter_document',
  'letter.reference': 'uq_letter_reference',
  'payment_document_job.payment_id': 'uq_payment_document_job_payment',
  'remittance_line.payment_id': 'uq_remittance_line_payment',
  'remittance.reference': 'uq_remittance_reference',
  'search_case_doc.case_id': 'uq_search_case_doc_case'
}

/** Node socket errors of a server that cannot be reached. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE'
])

/** pg's own messages (no SQLSTATE) when the socket is gone or cannot be opened in time. */
const LOST_MESSAGES = [
  'connection terminated',
  'connection is not established',
  'client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'cannot use a pool after calling end',
  'client was closed and is not queryable'
]

/** The errors a driver error may be wrapped in (TypeORM's QueryFailedError, causes). */
function layers(error: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = []
  let current: unknown = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const layer = current as Record<string, unknown>
    found.push(layer)
    current = layer.driverError ?? layer.cause
  }
  return found
}

/** Recognises a driver error of either engine; null for anything else. */
export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  if (error instanceof AppError) return null
  for (const layer of layers(error)) {
    const code = typeof layer.code === 'string' ? layer.code : ''
    const message = typeof layer.message === 'string' ? layer.message : ''
    const failure = (kind: DatabaseFailureKind, constraint: string | null = null): DatabaseFailure => ({
      kind,
      constraint,
      driverCode: code || 'none',
      driverMessage: message
    })
    // SQLite (sqlite3): code SQLITE_CONSTRAINT, SQLITE_BUSY…, the detail in the message.
    if (code.startsWith('SQLITE_')) {
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return failure('busy')
      if (code !== 'SQLITE_CONSTRAINT') continue
      const unique = /UNIQUE constraint failed: (.+)$/.exec(message)
      if (unique) {
        const columns = unique[1]!.trim()
        return failure('unique', UNIQUE_BY_COLUMNS[columns] ?? columns)
      }
      if (message.includes('FOREIGN KEY constraint failed')) return failure('foreign-key')
      const check = /CHECK constraint failed: (.+)$/.exec(message)
      if (check) return failure('check', check[1]!.trim())
      const notNull = /NOT NULL constraint failed: (.+)$/.exec(message)
      if (notNull) return failure('not-null', notNull[1]!.trim())
      // A trigger's RAISE(ABORT, …) (append-only guards, returned copies): not a driver failure.
      continue
    }
    // PostgreSQL (pg): a SQLSTATE in `code`, the constraint in `constraint`.
    const constraint = typeof layer.constraint === 'string' ? layer.constraint : null
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (code === '23505') return failure('unique', constraint)
      if (code === '23503')
        return failure(message.startsWith('update or delete') ? 'foreign-key-in-use' : 'foreign-key', constraint)
      if (code === '23514') return failure('check', constraint)
      if (code === '23502') return failure('not-null', typeof layer.column === 'string' ? layer.column : null)
      if (code === '40001') return failure('serialization')
      if (code === '40P01') return failure('deadlock')
      if (code === '55P03') return failure('busy')
      if (code === '53300') return failure('too-many-connections')
      if (code === '28P01' || code === '28000') return failure('auth-failed')
      if (code === '3D000') return failure('database-missing')
      if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')
        return failure('connection-lost')
      continue
    }
    if (SOCKET_CODES.has(code)) return failure('connection-lost')
    const lower = message.toLowerCase()
    if (LOST_MESSAGES.some((m) => lower.includes(m))) return failure('connection-lost')
  }
  return null
}

/** The French sentence (and code) for a recognised failure. */
function userFacing(failure: DatabaseFailure): { code: AppError['code']; message: string } {
  switch (failure.kind) {
    case 'unique': {
      const what = (failure.constraint && UNIQUE_MESSAGES[failure.constraint]) ?? 'Cet enregistrement existe déjà.'
      return {
        code: 'CONFLICT',
        message: `${what} Un autre poste l’a peut-être enregistré au même moment. ${NOTHING_SAVED} ${RETRY}`
      }
    }
    case 'foreign-key':
      return {
        code: 'CONFLICT',
        message: `Un élément lié (dossier, débiteur, client, utilisateur…) n’existe plus ou pas encore : il a peut-être été modifié depuis un autre poste. ${NOTHING_SAVED} ${RETRY}`
      }
    case 'foreign-key-in-use':
      return {
        code: 'CONFLICT',
        message: `Cet élément est encore utilisé par d’autres enregistrements : il ne peut pas être supprimé. ${NOTHING_SAVED}`
      }
    case 'check':
      return {
        code: 'VALIDATION',
        message: `Une valeur est hors des limites admises par la base de données${failure.constraint ? ` (contrôle « ${failure.constraint} »)` : ''}. ${NOTHING_SAVED}`
      }
    case 'not-null':
      return {
        code: 'VALIDATION',
        message: `Une information obligatoire manque${failure.constraint ? ` (« ${failure.constraint} »)` : ''}. ${NOTHING_SAVED}`
      }
    case 'busy':
      return {
        code: 'UNAVAILABLE',
        message: `La base de données est occupée par une autre opération (sauvegarde, import, autre fenêtre de Recouvra). ${NOTHING_SAVED} Réessayez dans un instant.`
      }
    case 'serialization':
    case 'deadlock':
      return {
        code: 'CONFLICT',
        message: `Un autre poste modifiait les mêmes données au même moment. ${NOTHING_SAVED} Réessayez.`
      }
    case 'connection-lost':
      return {
        code: 'UNAVAILABLE',
        message: `Le serveur de la base de données est injoignable (réseau coupé ou serveur arrêté). ${NOTHING_SAVED} Vérifiez la connexion au réseau du cabinet, puis réessayez.`
      }
    case 'too-many-connections':
      return {
        code: 'UNAVAILABLE',
        message: `Le serveur de la base de données a atteint son nombre maximal de connexions. ${NOTHING_SAVED} Réessayez dans un instant ; si cela se répète, demandez à l’administrateur du serveur d’augmenter max_connections.`
      }
    case 'auth-failed':
      return {
        code: 'UNAVAILABLE',
        message: `Le serveur PostgreSQL a refusé l’utilisateur ou le mot de passe de Recouvra. ${NOTHING_SAVED} Vérifiez-les dans Paramètres › Base de données.`
      }
    case 'database-missing':
      return {
        code: 'UNAVAILABLE',
        message: `La base de données indiquée n’existe pas sur le serveur PostgreSQL. ${NOTHING_SAVED} Vérifiez son nom dans Paramètres › Base de données.`
      }
  }
}

/**
 * The AppError for a database driver error of either engine, or null when `error` is not one
 * (it then stays an internal error). `what` names the operation in the log line.
 */
export function databaseAppError(error: unknown, what = 'Database operation'): AppError | null {
  const failure = classifyDatabaseError(error)
  if (!failure) return null
  const { code, message } = userFacing(failure)
  const constraint = failure.constraint ? ` on ${failure.constraint}` : ''
  return new AppError(
    code,
    message,
    `${what} failed: ${failure.kind}${constraint} (${failure.driverCode}: ${failure.driverMessage.slice(0, 300)})`
  )
}
