import { describe, expect, it } from 'vitest'
import { QueryFailedError } from 'typeorm'
import { AppError } from '../../../src-shared/contract/errors'
import { classifyDatabaseError, databaseAppError } from '../../../src-main/db/db-errors'

/** A driver error as sqlite3 or pg build them: an Error with a code and, for pg, a constraint. */
function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields)
}
const sqlite = (message: string, code = 'SQLITE_CONSTRAINT') => driverError(`${code}: ${message}`, { code, errno: 19 })
const pgError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  driverError(message, { code, severity: 'ERROR', ...extra })
/** As TypeORM rethrows them from a query. */
const wrapped = (error: Error) => new QueryFailedError('INSERT …', [], error)

describe('database driver errors of both engines', () => {
  it('unique violations name the index, by columns (SQLite) or by name (PostgreSQL)', () => {
    const fromSqlite = databaseAppError(wrapped(sqlite('UNIQUE constraint failed: collection_case.reference')))!
    const fromPg = databaseAppError(
      wrapped(
        pgError('23505', 'duplicate key value violates unique constraint "uq_case_reference"', {
          constraint: 'uq_case_reference'
        })
      )
    )!
    for (const error of [fromSqlite, fromPg]) {
      expect(error).toBeInstanceOf(AppError)
      expect(error.code).toBe('CONFLICT')
      expect(error.userMessage).toMatch(/^Ce numéro de dossier existe déjà\. .*Rien n’a été enregistré\./)
      expect(error.message).toMatch(/failed: unique on uq_case_reference \((SQLITE_CONSTRAINT|23505): /)
    }
    const twoColumns = classifyDatabaseError(sqlite('UNIQUE constraint failed: claim.client_id, claim.invoice_number'))
    expect(twoColumns?.constraint).toBe('uq_claim_client_invoice')
    // A primary key or an unknown index: the general sentence.
    expect(databaseAppError(sqlite('UNIQUE constraint failed: journal_entry.id'))!.userMessage).toMatch(
      /^Cet enregistrement existe déjà\./
    )
  })

  it('foreign keys, checks and missing values', () => {
    expect(classifyDatabaseError(sqlite('FOREIGN KEY constraint failed'))?.kind).toBe('foreign-key')
    expect(
      classifyDatabaseError(
        pgError('23503', 'insert or update on table "claim" violates foreign key constraint "FK_x"')
      )?.kind
    ).toBe('foreign-key')
    const inUse = databaseAppError(
      pgError('23503', 'update or delete on table "debtor" violates foreign key constraint "FK_y" on table "case"')
    )!
    expect(inUse.userMessage).toContain('ne peut pas être supprimé')
    expect(databaseAppError(sqlite('CHECK constraint failed: ck_amount'))!.userMessage).toContain('« ck_amount »')
    expect(
      databaseAppError(pgError('23514', 'new row violates check constraint', { constraint: 'ck_amount' }))!.code
    ).toBe('VALIDATION')
    expect(classifyDatabaseError(sqlite('NOT NULL constraint failed: debtor.kind'))).toMatchObject({
      kind: 'not-null',
      constraint: 'debtor.kind'
    })
    expect(classifyDatabaseError(pgError('23502', 'null value', { column: 'kind' }))?.constraint).toBe('kind')
  })

  it('busy files, serialization failures and deadlocks', () => {
    expect(databaseAppError(sqlite('database is locked', 'SQLITE_BUSY'))!.code).toBe('UNAVAILABLE')
    for (const code of ['40001', '40P01']) {
      const error = databaseAppError(wrapped(pgError(code, 'could not serialize access')))!
      expect(error.code).toBe('CONFLICT')
      expect(error.userMessage).toBe(
        'Un autre poste modifiait les mêmes données au même moment. Rien n’a été enregistré. Réessayez.'
      )
    }
  })

  it('the server out of reach, full, refusing the password or without the database', () => {
    const lost = [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('08006', 'connection failure'),
      driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
      driverError('getaddrinfo ENOTFOUND db.cabinet.local', { code: 'ENOTFOUND' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect')
    ]
    for (const error of lost) {
      const mapped = databaseAppError(error)!
      expect(mapped.code).toBe('UNAVAILABLE')
      expect(mapped.userMessage).toContain('Le serveur de la base de données est injoignable')
      expect(mapped.userMessage).toContain('Rien n’a été enregistré.')
    }
    expect(databaseAppError(pgError('53300', 'sorry, too many clients already'))!.userMessage).toContain(
      'nombre maximal de connexions'
    )
    expect(databaseAppError(pgError('28P01', 'password authentication failed for user "x"'))!.userMessage).toContain(
      'refusé l’utilisateur ou le mot de passe'
    )
    expect(databaseAppError(pgError('3D000', 'database "x" does not exist'))!.userMessage).toContain(
      'n’existe pas sur le serveur'
    )
  })

  it('leaves alone what is not a driver failure', () => {
    expect(databaseAppError(new AppError('NOT_FOUND', 'Dossier introuvable.', 'x'))).toBeNull()
    expect(databaseAppError(new TypeError('x is undefined'))).toBeNull()
    // A trigger's refusal (append-only guard) is not a constraint failure.
    expect(databaseAppError(sqlite('journal_entry is append-only'))).toBeNull()
    expect(databaseAppError(pgError('P0001', 'journal_entry is append-only'))).toBeNull()
    expect(databaseAppError(null)).toBeNull()
  })
})
