import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash, randomBytes } from 'node:crypto'
import type { DataSource, EntityManager } from 'typeorm'
import { PERSONAL_COLUMNS, subjectKey } from './personal-columns'
import { isPostgres } from '../../db/dialect'

/**
 * The audit trail's one generic mechanism. SQLite records every change itself: at start-up,
 * TEMP triggers (per connection, never part of the schema, so a table another module adds is
 * covered the next time the app opens) copy each inserted, updated or deleted row, as JSON,
 * into a TEMP staging table. Database.write() then moves the staged changes into
 * `audit_entry` in the same transaction, stamped with who and through which channel (carried
 * from the dispatcher by AsyncLocalStorage) and chained by SHA-256. A rolled-back write leaves
 * nothing, since the staging table rolls back with it.
 *
 * Personal data (personal-columns.ts) never enters the chain: a debtor's identity, contacts and
 * the free texts about them go to `audit_personal` (keyed by the entry's seq and the debtor),
 * replaced in `audit_entry` by PERSONAL_MARK; the entry's hash covers a salted SHA-256 of them
 * (`personal_sha256`). Anonymising the debtor deletes their `audit_personal` rows: the chain
 * still verifies (it never held the values), a changed personal value is still detected (its
 * digest no longer matches), and a removed one is accepted only after a chained `anonymise`
 * entry for that debtor.
 *
 * Bulk inserts (demo portfolio, imports) are audited per table and per write: one
 * `bulk-insert` entry giving the number of rows and the first and last ids, not one entry per
 * row (200,000 cases would write millions of audit rows).
 */

export interface AuditContext {
  userId: string | null
  /** Channel or command name. */
  action: string
}

export const SYSTEM_CONTEXT: AuditContext = { userId: null, action: 'system' }
export const GENESIS_HASH = '0'.repeat(64)

const storage = new AsyncLocalStorage<AuditContext>()

/** Runs `work` with every write it makes attributed to `context` (the dispatcher calls it). */
export function runAudited<T>(context: AuditContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work)
}

export function currentAuditContext(): AuditContext {
  return storage.getStore() ?? SYSTEM_CONTEXT
}

/**
 * Derived or internal tables: the search index and its FTS shadow tables, migrations, the trail,
 * PostgreSQL's write counter.
 */
export function isAuditedTable(name: string): boolean {
  return !/^(sqlite_|schema_migration$|audit_entry$|audit_personal$|case_search|search_|write_counter$|case_flag_set$)/.test(
    name
  )
}

/**
 * PostgreSQL (agency mode): the advisory lock that orders appends to the chain across every
 * process, taken by flushAudit just before it reads the chain's last link and held until the
 * commit: the one point where concurrent writes (Database.write with rowLocks) queue, for a few
 * statements. Always the last lock a write takes, so it cannot close a cycle of waits.
 */
export const PG_AUDIT_CHAIN_LOCK = 0x7265636f + 2

/** Stands in `audit_entry` for a personal value kept in `audit_personal` (or erased). */
export const PERSONAL_MARK = '[donnée personnelle]'

/** The salted commitment to an entry's personal values that its chained hash covers. */
export function personalDigest(salt: string, before: string | null, after: string | null): string {
  return createHash('sha256')
    .update(salt)
    .update('\n')
    .update(JSON.stringify([before, after]))
    .digest('hex')
}

const installed = new WeakSet<object>()

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** json_object over every column; json_patch joins pieces past SQLite's argument limit. */
function rowJson(prefix: 'NEW' | 'OLD', columns: string[]): string {
  const pieces: string[] = []
  for (let i = 0; i < columns.length; i += 40) {
    const args = columns.slice(i, i + 40).map((c) => `${literal(c)}, ${prefix}.${quote(c)}`)
    pieces.push(`json_object(${args.join(', ')})`)
  }
  return pieces.reduce((acc, piece) => `json_patch(${acc}, ${piece})`)
}

/**
 * Creates the staging tables and the TEMP triggers on every audited table of the connection.
 * Idempotent: drops the previous triggers first (after a restore the schema may differ).
 */
export async function installAuditTriggers(dataSource: DataSource): Promise<void> {
  if (isPostgres(dataSource)) return installPostgresAuditTriggers(dataSource)
  const query: Query = (sql, parameters) => dataSource.query(sql, parameters)
  await query(
    'CREATE TEMP TABLE IF NOT EXISTS audit_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, row_id TEXT, operation TEXT NOT NULL, before_json TEXT, after_json TEXT)'
  )
  await query(
    'CREATE TEMP TABLE IF NOT EXISTS audit_bulk (table_name TEXT PRIMARY KEY, rows INTEGER NOT NULL, first_id TEXT, last_id TEXT)'
  )
  await query(
    'CREATE TEMP TABLE IF NOT EXISTS audit_state (id INTEGER PRIMARY KEY CHECK (id = 1), suspended INTEGER NOT NULL)'
  )
  await query('INSERT OR IGNORE INTO temp.audit_state (id, suspended) VALUES (1, 0)')
  await dropAuditTriggers(dataSource)
  const tables = (await query(
    "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name"
  )) as Array<{ name: string }>
  for (const { name } of tables) {
    if (!isAuditedTable(name)) continue
    const info = (await query(`SELECT name, pk FROM pragma_table_info(${literal(name)})`)) as Array<{
      name: string
      pk: number
    }>
    const columns = info.map((c) => c.name)
    const keys = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name)
    const rowId = (prefix: 'NEW' | 'OLD') =>
      keys.length > 0 ? keys.map((k) => `${prefix}.${quote(k)}`).join(" || '|' || ") : `${prefix}.rowid`
    const when = 'WHEN (SELECT suspended FROM temp.audit_state) = 0'
    const stage = (operation: string, id: string, before: string, after: string) =>
      `INSERT INTO temp.audit_pending (table_name, row_id, operation, before_json, after_json) VALUES (${literal(name)}, ${id}, '${operation}', ${before}, ${after});`
    const t = quote(name)
    await query(
      `CREATE TEMP TRIGGER ${quote(`audit_${name}_insert`)} AFTER INSERT ON main.${t} ${when} BEGIN ${stage('insert', rowId('NEW'), 'NULL', rowJson('NEW', columns))} END`
    )
    await query(
      `CREATE TEMP TRIGGER ${quote(`audit_${name}_update`)} AFTER UPDATE ON main.${t} ${when} BEGIN ${stage('update', rowId('NEW'), rowJson('OLD', columns), rowJson('NEW', columns))} END`
    )
    await query(
      `CREATE TEMP TRIGGER ${quote(`audit_${name}_delete`)} AFTER DELETE ON main.${t} ${when} BEGIN ${stage('delete', rowId('OLD'), rowJson('OLD', columns), 'NULL')} END`
    )
  }
  installed.add(dataSource)
}

/**
 * PostgreSQL (agency mode): one PL/pgSQL row trigger per audited table, calling
 * recouvra_audit_row() (migration PgInitialSchema1763856000001), which stages each change in
 * `temp.audit_pending` under the transaction's id and the actor set by Database.write
 * (set_config('recouvra.actor', …, true)). Run at start-up under the migration lock;
 * CREATE OR REPLACE keeps it idempotent and covers tables added since.
 */
async function installPostgresAuditTriggers(dataSource: DataSource): Promise<void> {
  const tables = (await dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
  )) as Array<{ name: string }>
  // Triggers already in place as they should be are left alone: CREATE OR REPLACE TRIGGER locks
  // its table against writes, and every workstation runs this when it opens the app.
  const existing = new Map(
    (
      (await dataSource.query(
        `SELECT c.relname AS table_name, pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal AND t.tgname = 'audit_' || c.relname`
      )) as Array<{ table_name: string; definition: string }>
    ).map((t) => [t.table_name, t.definition] as const)
  )
  for (const { name } of tables) {
    // stored_file: documents' bytes on PostgreSQL (the document rows are audited, not the PDFs).
    if (!isAuditedTable(name) || name === 'stored_file') continue
    const keys = (await dataSource.query(
      `SELECT a.attname AS name FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      [quote(name)]
    )) as Array<{ name: string }>
    const args = keys.map((k) => literal(k.name)).join(', ')
    const current = existing.get(name)
    if (current?.endsWith(`FOR EACH ROW EXECUTE FUNCTION recouvra_audit_row(${args})`)) continue
    await dataSource.query(
      `CREATE OR REPLACE TRIGGER ${quote(`audit_${name}`)} AFTER INSERT OR UPDATE OR DELETE ON ${quote(name)} FOR EACH ROW EXECUTE FUNCTION recouvra_audit_row(${args})`
    )
  }
  installed.add(dataSource)
}

/** Before a restore replaces the schema under them. */
export async function dropAuditTriggers(dataSource: DataSource): Promise<void> {
  if (isPostgres(dataSource)) {
    installed.delete(dataSource)
    return
  }
  const triggers = (await dataSource.query(
    "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'"
  )) as Array<{ name: string }>
  for (const { name } of triggers) await dataSource.query(`DROP TRIGGER temp.${quote(name)}`)
  installed.delete(dataSource)
}

export function isAuditInstalled(manager: EntityManager): boolean {
  return installed.has(manager.connection)
}

/** Row triggers off (bulk writes) or back on; nests. */
export async function suspendRowAudit(manager: EntityManager, delta: 1 | -1): Promise<void> {
  if (!isAuditInstalled(manager)) return
  if (isPostgres(manager)) {
    await manager.query(
      `SELECT set_config('recouvra.audit_suspended', GREATEST(0, coalesce(nullif(current_setting('recouvra.audit_suspended', true), ''), '0')::int + ${delta})::text, true)`
    )
    return
  }
  await manager.query(`UPDATE temp.audit_state SET suspended = MAX(0, suspended + ${delta})`)
}

/** Called by bulkInsert after its rows: adds them to the per-table summary of this write. */
export async function recordBulkInsert(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>
): Promise<void> {
  if (!isAuditInstalled(manager) || !isAuditedTable(table) || rows.length === 0) return
  const idIndex = columns.indexOf('id')
  const firstId = idIndex >= 0 ? String(rows[0]![idIndex]) : null
  const lastId = idIndex >= 0 ? String(rows[rows.length - 1]![idIndex]) : null
  if (isPostgres(manager)) {
    await manager.query(
      `INSERT INTO temp.audit_bulk (table_name, rows, first_id, last_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (txid, table_name) DO UPDATE SET rows = audit_bulk.rows + excluded.rows, last_id = excluded.last_id`,
      [table, rows.length, firstId, lastId]
    )
    return
  }
  await manager.query(
    `INSERT INTO temp.audit_bulk (table_name, rows, first_id, last_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (table_name) DO UPDATE SET rows = rows + excluded.rows, last_id = excluded.last_id`,
    [table, rows.length, firstId, lastId]
  )
}

/** Where the staged changes of a transaction start (those before belong to the system). */
export async function auditMark(manager: EntityManager): Promise<number> {
  if (!isAuditInstalled(manager)) return 0
  // PostgreSQL stages per transaction: nothing staged before this one belongs to it.
  if (isPostgres(manager)) return 0
  const rows = (await manager.query('SELECT COALESCE(MAX(seq), 0) AS mark FROM temp.audit_pending')) as Array<{
    mark: number
  }>
  return Number(rows[0]?.mark ?? 0)
}

export interface AuditRowContent {
  seq: number
  at: string
  userId: string | null
  action: string
  tableName: string
  rowId: string | null
  operation: string
  beforeJson: string | null
  afterJson: string | null
  /** The debtor whose personal values this entry set aside, if any. */
  subjectId?: string | null
  /** personalDigest() of the values set aside in `audit_personal`, if any. */
  personalSha256?: string | null
}

export function auditHash(previousHash: string, row: AuditRowContent): string {
  const content = JSON.stringify([
    row.seq,
    row.at,
    row.userId,
    row.action,
    row.tableName,
    row.rowId,
    row.operation,
    row.beforeJson,
    row.afterJson,
    row.subjectId ?? null,
    row.personalSha256 ?? null
  ])
  return createHash('sha256').update(previousHash).update('\n').update(content).digest('hex')
}

interface Pending {
  seq: number
  table_name: string
  row_id: string | null
  operation: string
  before_json: string | null
  after_json: string | null
}

/**
 * Defence in depth: secrets live outside the database (platform/secret-store.ts), but a setting
 * whose JSON value still carries a non-empty `password` is recorded with it replaced.
 */
export function redactSecrets(table: string, json: string | null): string | null {
  if (json === null || table !== 'app_setting' || !json.includes('password')) return json
  try {
    const row = JSON.parse(json) as Record<string, unknown>
    if (typeof row.value !== 'string') return json
    const value = JSON.parse(row.value) as unknown
    if (!value || typeof value !== 'object' || !(value as { password?: unknown }).password) return json
    return JSON.stringify({ ...row, value: JSON.stringify({ ...value, password: '[secret retiré]' }) })
  } catch {
    return json
  }
}

/**
 * Sets a row's personal values (personal-columns.ts) apart: the public JSON keeps the column
 * with PERSONAL_MARK, the personal JSON holds the value. Null values reveal nothing and stay.
 * Null when the row has no personal value.
 */
export function splitPersonal(
  table: string,
  before: string | null,
  after: string | null
): { before: string | null; after: string | null; personalBefore: string | null; personalAfter: string | null } | null {
  const spec = PERSONAL_COLUMNS[table]
  if (!spec) return null
  let found = false
  const split = (json: string | null) => {
    if (json === null) return { open: null, personal: null }
    const row = JSON.parse(json) as Record<string, unknown>
    const personal: Record<string, unknown> = {}
    for (const column of spec.columns) {
      if (row[column] === undefined || row[column] === null) continue
      personal[column] = row[column]
      row[column] = PERSONAL_MARK
      found = true
    }
    return {
      open: JSON.stringify(row),
      personal: Object.keys(personal).length > 0 ? JSON.stringify(personal) : null
    }
  }
  const b = split(before)
  const a = split(after)
  return found ? { before: b.open, after: a.open, personalBefore: b.personal, personalAfter: a.personal } : null
}

/** The debtor of each staged row that has personal columns ("link:id" → debtor id). */
async function resolveSubjects(manager: EntityManager, keys: Array<{ link: string; id: string }>) {
  const debtors = new Map<string, string>()
  const byLink = new Map<string, Set<string>>()
  for (const k of keys) {
    if (k.link === 'self' || k.link === 'debtor_id') debtors.set(`${k.link}:${k.id}`, k.id)
    else byLink.set(k.link, (byLink.get(k.link) ?? new Set()).add(k.id))
  }
  const sql: Record<string, string> = {
    case_id: 'SELECT id, debtor_id FROM collection_case WHERE id IN',
    payment_id: 'SELECT p.id, c.debtor_id FROM payment p JOIN collection_case c ON c.id = p.case_id WHERE p.id IN'
  }
  for (const [link, idSet] of byLink) {
    const ids = [...idSet]
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const rows = (await manager.query(`${sql[link]} (${chunk.map(() => '?').join(', ')})`, chunk)) as Array<{
        id: string
        debtor_id: string
      }>
      for (const r of rows) debtors.set(`${link}:${r.id}`, r.debtor_id)
    }
  }
  return debtors
}

/** Keeps, for an update, only the columns that changed (before and after). */
function changedColumns(before: string, after: string): { before: string; after: string } | null {
  const b = JSON.parse(before) as Record<string, unknown>
  const a = JSON.parse(after) as Record<string, unknown>
  const keys = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
  if (keys.length === 0) return null
  return {
    before: JSON.stringify(Object.fromEntries(keys.map((k) => [k, b[k]]))),
    after: JSON.stringify(Object.fromEntries(keys.map((k) => [k, a[k]])))
  }
}

/**
 * Moves the staged changes into the trail, in the current transaction: those staged up to
 * `mark` as the system's, the rest as `context`'s. Also adds an explicit entry (a restore).
 */
export async function flushAudit(
  manager: EntityManager,
  options: {
    context: AuditContext
    mark: number
    at: string
    extra?: Array<Omit<AuditRowContent, 'seq' | 'at' | 'userId' | 'action'>>
    /**
     * PostgreSQL: bump `write_counter` in the same statement as the entries (Database.write),
     * one round trip less under the chain's lock. Only when entries were written (the result > 0).
     */
    countWrite?: boolean
  }
): Promise<number> {
  if (!isAuditInstalled(manager)) return 0
  const pg = isPostgres(manager)
  const pending = (await manager.query(
    pg
      ? 'SELECT seq, table_name, row_id, operation, before_json, after_json FROM temp.audit_pending WHERE txid = txid_current() ORDER BY seq'
      : 'SELECT seq, table_name, row_id, operation, before_json, after_json FROM temp.audit_pending ORDER BY seq'
  )) as Pending[]
  const bulk = (await manager.query(
    pg
      ? 'SELECT table_name, rows, first_id, last_id FROM temp.audit_bulk WHERE txid = txid_current() ORDER BY pos'
      : 'SELECT table_name, rows, first_id, last_id FROM temp.audit_bulk ORDER BY rowid'
  )) as Array<{
    table_name: string
    rows: number
    first_id: string | null
    last_id: string | null
  }>
  const extra = options.extra ?? []
  if (pending.length === 0 && bulk.length === 0 && extra.length === 0) return 0
  // The entries are prepared first; their place in the chain (seq, hash) is given at the end,
  // under the chain's lock on PostgreSQL, where concurrent writes take turns.
  const entries: Array<{ row: Omit<AuditRowContent, 'seq'>; personal: unknown[] | null }> = []
  const keyOf = (p: Pending) => {
    if (!PERSONAL_COLUMNS[p.table_name]) return null
    const full = p.after_json ?? p.before_json
    return full === null ? null : subjectKey(p.table_name, JSON.parse(full) as Record<string, unknown>)
  }
  const subjects = await resolveSubjects(
    manager,
    pending.map(keyOf).filter((k): k is NonNullable<typeof k> => k !== null)
  )
  const add = (row: Omit<AuditRowContent, 'seq'>, personal: unknown[] | null = null) => {
    entries.push({ row, personal })
  }
  for (const p of pending) {
    const who = p.seq <= options.mark ? SYSTEM_CONTEXT : options.context
    let before = redactSecrets(p.table_name, p.before_json)
    let after = redactSecrets(p.table_name, p.after_json)
    if (p.operation === 'update' && before !== null && after !== null) {
      const changed = changedColumns(before, after)
      if (!changed) continue
      before = changed.before
      after = changed.after
    }
    const key = keyOf(p)
    const subjectId = key ? (subjects.get(`${key.link}:${key.id}`) ?? null) : null
    const split = subjectId ? splitPersonal(p.table_name, before, after) : null
    const salt = split ? randomBytes(16).toString('hex') : null
    add(
      {
        at: options.at,
        userId: who.userId,
        action: who.action,
        tableName: p.table_name,
        rowId: p.row_id === null ? null : String(p.row_id),
        operation: p.operation,
        beforeJson: split ? split.before : before,
        afterJson: split ? split.after : after,
        subjectId: split ? subjectId : null,
        personalSha256: split ? personalDigest(salt!, split.personalBefore, split.personalAfter) : null
      },
      split ? [subjectId, salt, split.personalBefore, split.personalAfter] : null
    )
  }
  for (const b of bulk) {
    add({
      at: options.at,
      userId: options.context.userId,
      action: options.context.action,
      tableName: b.table_name,
      rowId: null,
      operation: 'bulk-insert',
      beforeJson: null,
      afterJson: JSON.stringify({ rows: Number(b.rows), firstId: b.first_id, lastId: b.last_id })
    })
  }
  for (const e of extra) add({ ...e, at: options.at, userId: options.context.userId, action: options.context.action })
  const columns = [
    'seq',
    'at',
    'user_id',
    'action',
    'table_name',
    'row_id',
    'operation',
    'before_json',
    'after_json',
    'subject_id',
    'personal_sha256',
    'hash'
  ]
  const insert = async (table: string, names: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200)
      await manager.query(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES ${chunk.map(() => `(${names.map(() => '?').join(', ')})`).join(', ')}`,
        chunk.flat()
      )
    }
  }
  if (pg) {
    if (pending.length > 0) await manager.query('DELETE FROM temp.audit_pending WHERE txid = txid_current()')
    if (bulk.length > 0) await manager.query('DELETE FROM temp.audit_bulk WHERE txid = txid_current()')
  } else {
    if (pending.length > 0) await manager.query('DELETE FROM temp.audit_pending')
    if (bulk.length > 0) await manager.query('DELETE FROM temp.audit_bulk')
  }
  if (entries.length === 0) return 0
  // The chain's last link, read after the lock: under READ COMMITTED each statement sees what
  // was committed before it began, so the previous holder's entries are there.
  // PostgreSQL: the lock and the read in one round trip, through a volatile function whose
  // query takes its snapshot after the lock (migration PgAuditChainHead1763861520002).
  const [last] = (await manager.query(
    pg
      ? 'SELECT seq, hash FROM recouvra_audit_chain_head($1)'
      : 'SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1',
    pg ? [PG_AUDIT_CHAIN_LOCK] : []
  )) as Array<{
    seq: number
    hash: string
  }>
  let seq = last ? Number(last.seq) : 0
  let previous = last ? last.hash : GENESIS_HASH
  const values: unknown[][] = []
  const personalRows: unknown[][] = []
  for (const { row, personal } of entries) {
    seq += 1
    const content: AuditRowContent = { seq, ...row }
    previous = auditHash(previous, content)
    values.push([
      seq,
      content.at,
      content.userId,
      content.action,
      content.tableName,
      content.rowId,
      content.operation,
      content.beforeJson,
      content.afterJson,
      content.subjectId ?? null,
      content.personalSha256 ?? null,
      previous
    ])
    if (personal) personalRows.push([seq, ...personal])
  }
  const personalColumns = ['seq', 'subject_id', 'salt', 'before_json', 'after_json']
  if (pg && values.length <= 200) {
    // The usual write: its entries, their personal values and the write counter, one statement.
    const parameters: unknown[] = []
    const tuples = (rows: unknown[][]) =>
      rows
        .map((row) => `(${row.map((value) => (parameters.push(value), `$${parameters.length}`)).join(', ')})`)
        .join(', ')
    const parts = [`e AS (INSERT INTO audit_entry (${columns.join(', ')}) VALUES ${tuples(values)})`]
    if (personalRows.length > 0) {
      parts.push(`p AS (INSERT INTO audit_personal (${personalColumns.join(', ')}) VALUES ${tuples(personalRows)})`)
    }
    if (options.countWrite) parts.push('c AS (UPDATE write_counter SET n = n + 1 WHERE id = 1)')
    await manager.query(`WITH ${parts.join(', ')} SELECT 1`, parameters)
    return values.length
  }
  await insert('audit_entry', columns, values)
  await insert('audit_personal', personalColumns, personalRows)
  if (pg && options.countWrite) await manager.query('UPDATE write_counter SET n = n + 1 WHERE id = 1')
  return values.length
}

export interface ChainCheck {
  ok: boolean
  checked: number
  /**
   * The first row whose hash or position does not follow from the one before, or whose personal
   * values were changed, or removed without an anonymisation of their debtor.
   */
  firstBroken: { seq: number; expectedSeq: number; reason: 'hash' | 'gap' | 'personal' } | null
}

/** Recomputes the whole chain, in pages, and each entry's commitment to its personal values. */
export async function verifyChain(query: Query): Promise<ChainCheck> {
  // Debtors anonymised, with the seq of their (chained, hence checked below) anonymise entry.
  const erased = new Map<string, number>()
  const anonymised = (await query(
    "SELECT seq, row_id FROM audit_entry WHERE operation = 'anonymise' AND table_name = 'debtor'"
  )) as Array<{ seq: number; row_id: string }>
  for (const a of anonymised) erased.set(a.row_id, Math.max(erased.get(a.row_id) ?? 0, Number(a.seq)))
  let previous = GENESIS_HASH
  let expectedSeq = 1
  let checked = 0
  for (;;) {
    const rows = (await query(
      `SELECT a.seq, a.at, a.user_id, a.action, a.table_name, a.row_id, a.operation, a.before_json, a.after_json,
              a.subject_id, a.personal_sha256, a.hash, p.seq AS p_seq, p.salt AS p_salt,
              p.before_json AS p_before, p.after_json AS p_after
       FROM audit_entry a LEFT JOIN audit_personal p ON p.seq = a.seq
       WHERE a.seq >= ? ORDER BY a.seq LIMIT 5000`,
      [expectedSeq]
    )) as Array<Record<string, unknown>>
    if (rows.length === 0) break
    for (const r of rows) {
      const seq = Number(r.seq)
      if (seq !== expectedSeq) return { ok: false, checked, firstBroken: { seq, expectedSeq, reason: 'gap' } }
      const subjectId = (r.subject_id as string | null) ?? null
      const personalSha256 = (r.personal_sha256 as string | null) ?? null
      const hash = auditHash(previous, {
        seq,
        at: r.at as string,
        userId: (r.user_id as string | null) ?? null,
        action: r.action as string,
        tableName: r.table_name as string,
        rowId: (r.row_id as string | null) ?? null,
        operation: r.operation as string,
        beforeJson: (r.before_json as string | null) ?? null,
        afterJson: (r.after_json as string | null) ?? null,
        subjectId,
        personalSha256
      })
      if (hash !== r.hash) return { ok: false, checked, firstBroken: { seq, expectedSeq, reason: 'hash' } }
      if (personalSha256 !== null) {
        const kept =
          r.p_seq !== null && r.p_seq !== undefined
            ? personalDigest(
                r.p_salt as string,
                (r.p_before as string | null) ?? null,
                (r.p_after as string | null) ?? null
              ) === personalSha256
            : subjectId !== null && (erased.get(subjectId) ?? 0) > seq
        if (!kept) return { ok: false, checked, firstBroken: { seq, expectedSeq, reason: 'personal' } }
      }
      previous = hash
      expectedSeq += 1
      checked += 1
    }
  }
  // A row removed at the very end leaves no gap: it is caught by the count of entries only if
  // the max seq disagrees, which a table rewrite would hide; the triggers forbid that in the app.
  return { ok: true, checked, firstBroken: null }
}

/**
 * Erases the personal values the trail keeps on these debtors (anonymisation). The caller
 * stages, in the same transaction, the chained `anonymise` entry of each debtor that makes the
 * erasure legitimate for `verifyChain`.
 */
export async function erasePersonalAudit(manager: EntityManager, debtorIds: readonly string[]): Promise<number> {
  let erased = 0
  for (let i = 0; i < debtorIds.length; i += 500) {
    const chunk = debtorIds.slice(i, i + 500)
    const marks = chunk.map(() => '?').join(', ')
    const [count] = (await manager.query(
      `SELECT COUNT(*) AS n FROM audit_personal WHERE subject_id IN (${marks})`,
      chunk
    )) as Array<{ n: number }>
    await manager.query(`DELETE FROM audit_personal WHERE subject_id IN (${marks})`, chunk)
    erased += Number(count?.n ?? 0)
  }
  return erased
}
