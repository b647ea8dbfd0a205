import type { DataSource, EntityManager } from 'typeorm'

/**
 * The two SQL dialects the app speaks: SQLite (the embedded file, the default) and PostgreSQL
 * (agency mode, a shared server). Services write their raw SQL once, in SQLite's spelling with
 * `?` placeholders; the PostgreSQL query path rewrites the placeholders (see `toPostgresSql`),
 * and the few functions that differ go through `sqlDialect(manager)`. SQLite's SQL is never
 * rewritten: what was tuned on SQLite stays byte-identical.
 */
export type DialectName = 'sqlite' | 'postgres'

type HasConnection = EntityManager | DataSource

function dataSourceOf(target: HasConnection): DataSource {
  return 'connection' in target ? target.connection : target
}

export function dialectOf(target: HasConnection): DialectName {
  return dataSourceOf(target).options.type === 'postgres' ? 'postgres' : 'sqlite'
}

export function isPostgres(target: HasConnection): boolean {
  return dialectOf(target) === 'postgres'
}

/** Functions and clauses spelled differently by the two engines. Arguments are SQL expressions. */
export interface SqlDialect {
  name: DialectName
  /** Days between two `YYYY-MM-DD` (or ISO instant) text expressions, `to - from`, as a number. */
  daysBetween(from: string, to: string): string
  /** Concatenates the group's values with a separator (a SQL string literal). */
  groupConcat(expression: string, separatorLiteral: string): string
  /** The larger of two values (SQLite's scalar MAX(a, b)). */
  greatest(a: string, b: string): string
  /** The text at a top-level key of a JSON text column. */
  jsonText(column: string, key: string): string
  /** `INSERT OR IGNORE INTO` head and the tail that goes after the VALUES. */
  insertIgnore: { head: string; tail: string }
}

const SQLITE: SqlDialect = {
  name: 'sqlite',
  daysBetween: (from, to) => `(julianday(${to}) - julianday(${from}))`,
  groupConcat: (expression, separator) => `group_concat(${expression}, ${separator})`,
  greatest: (a, b) => `MAX(${a}, ${b})`,
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
  insertIgnore: { head: 'INSERT OR IGNORE INTO', tail: '' }
}

const POSTGRES: SqlDialect = {
  name: 'postgres',
  daysBetween: (from, to) => `(CAST(substr(${to}, 1, 10) AS date) - CAST(substr(${from}, 1, 10) AS date))`,
  groupConcat: (expression, separator) => `string_agg(CAST(${expression} AS text), ${separator})`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  jsonText: (column, key) => `(CAST(${column} AS json) ->> '${key}')`,
  insertIgnore: { head: 'INSERT INTO', tail: ' ON CONFLICT DO NOTHING' }
}

export function sqlDialect(target: HasConnection): SqlDialect {
  return isPostgres(target) ? POSTGRES : SQLITE
}

/**
 * Rewrites SQLite-style `?` placeholders into PostgreSQL's `$1, $2…`, once, in the PostgreSQL
 * query path. A `?` inside a string literal, a quoted identifier or a comment is left alone; a
 * statement that already numbers its parameters (TypeORM's own) is returned unchanged.
 */
export function toPostgresSql(sql: string): string {
  if (!sql.includes('?')) return sql
  let out = ''
  let n = 0
  let i = 0
  const length = sql.length
  while (i < length) {
    const c = sql[i]!
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c)
      out += sql.slice(i, end)
      i = end
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      const stop = end < 0 ? length : end
      out += sql.slice(i, stop)
      i = stop
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      const stop = end < 0 ? length : end + 2
      out += sql.slice(i, stop)
      i = stop
    } else if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      // Already numbered: TypeORM's own statements. Leave the whole statement as it is.
      return sql
    } else if (c === '?') {
      n += 1
      out += `$${n}`
      i += 1
    } else {
      out += c
      i += 1
    }
  }
  return out
}

/** Index just past the quote closing the literal opened at `start` (doubled quotes escape). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2
        continue
      }
      return i + 1
    }
    i += 1
  }
  return sql.length
}
