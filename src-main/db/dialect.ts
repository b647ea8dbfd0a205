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
  /** The Monday (YYYY-MM-DD) of the week of a `YYYY-MM-DD…` text expression. */
  weekStart(expression: string): string
  /** A NULL of a type, where a UNION must know it (PostgreSQL types a bare NULL as text). */
  typedNull(type: 'integer' | 'text'): string
  /** `INSERT OR IGNORE INTO` head and the tail that goes after the VALUES. */
  insertIgnore: { head: string; tail: string }
}

const SQLITE: SqlDialect = {
  name: 'sqlite',
  daysBetween: (from, to) => `(julianday(${to}) - julianday(${from}))`,
  groupConcat: (expression, separator) => `group_concat(${expression}, ${separator})`,
  greatest: (a, b) => `MAX(${a}, ${b})`,
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
  weekStart: (expression) => `date(${expression}, '-6 days', 'weekday 1')`,
  typedNull: () => 'NULL',
  insertIgnore: { head: 'INSERT OR IGNORE INTO', tail: '' }
}

const POSTGRES: SqlDialect = {
  name: 'postgres',
  daysBetween: (from, to) => `(CAST(substr(${to}, 1, 10) AS date) - CAST(substr(${from}, 1, 10) AS date))`,
  groupConcat: (expression, separator) => `string_agg(CAST(${expression} AS text), ${separator})`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  jsonText: (column, key) => `(CAST(${column} AS json) ->> '${key}')`,
  weekStart: (expression) =>
    `to_char(CAST(substr(${expression}, 1, 10) AS date) - (CAST(extract(isodow FROM CAST(substr(${expression}, 1, 10) AS date)) AS integer) - 1), 'YYYY-MM-DD')`,
  typedNull: (type) => `CAST(NULL AS ${type})`,
  insertIgnore: { head: 'INSERT INTO', tail: ' ON CONFLICT DO NOTHING' }
}

export function sqlDialect(target: HasConnection): SqlDialect {
  return isPostgres(target) ? POSTGRES : SQLITE
}

/** Anything the PostgreSQL query path may have to rewrite (cheap test before the real work). */
const REWRITABLE = /[?+]|json_each|NOT\s+INDEXED|INDEXED\s+BY|CROSS\s+JOIN|char\(|IFNULL|OR\s+IGNORE|(FROM|JOIN)\s*\(/i
/** What may follow a subquery in FROM that is not its alias. */
const NOT_AN_ALIAS =
  /^(LIMIT|WHERE|ORDER|GROUP|UNION|JOIN|LEFT|RIGHT|INNER|CROSS|FULL|NATURAL|ON|USING|EXCEPT|INTERSECT|HAVING|WINDOW|OFFSET|RETURNING)\b/i

/**
 * The PostgreSQL query path (see data-source.ts): SQL written for SQLite, rewritten once on its
 * way to the server, outside string literals, quoted identifiers, dollar-quoted bodies and
 * comments (masked first):
 * - `?` placeholders become `$1, $2…` (a statement that already numbers them, TypeORM's own,
 *   keeps its numbering);
 * - `?NNN` becomes `$NNN`;
 * - SQLite's planner hints go: `NOT INDEXED`, `INDEXED BY x`, a unary `+` before a column, and
 *   `CROSS JOIN t ON …` (SQLite's way to fix the join order) becomes a plain `JOIN t ON …`;
 * - `INSERT OR IGNORE INTO …` becomes `INSERT INTO … ON CONFLICT DO NOTHING`;
 * - `char(n)` becomes `chr(n)`, `IFNULL(` `COALESCE(`, `json_each(` (over an array of values)
 *   `json_array_elements_text(`;
 * - a subquery in FROM without an alias gets one (PostgreSQL before 16 requires it).
 * Functions both engines spell differently but can share a name (julianday, json_extract,
 * group_concat) are defined on PostgreSQL by the migration PgSqliteCompat1763858412002; new code
 * uses `sqlDialect()` instead. SQLite's own SQL is never touched.
 */
export function toPostgresSql(sql: string): string {
  if (!REWRITABLE.test(sql)) return sql
  const saved: string[] = []
  let text = mask(sql, saved)
  const numbered = /\$\d/.test(text)
  text = text
    .replace(/\bNOT\s+INDEXED\b/gi, '')
    .replace(/\bINDEXED\s+BY\s+\w+/gi, '')
    .replace(/\bCROSS\s+JOIN(\s+\w+(?:\s+(?:AS\s+)?(?!ON\b)\w+)?\s+ON\b)/gi, 'JOIN$1')
    .replace(/\bchar\(/gi, 'chr(')
    .replace(/\bIFNULL\(/gi, 'COALESCE(')
    // SQLite's json_each over a JSON array of values (`IN (SELECT value FROM json_each(?))`).
    .replace(/\bjson_each\(/gi, 'json_array_elements_text(')
    // SQLite's unary + on a column (keeps the planner off its index): after a keyword or an operator.
    .replace(/(\b(?:SELECT|WHERE|AND|OR|ON|BY|WHEN|THEN|ELSE|NOT|IN|IS)\s+|[(,=<>]\s*)\+(?=[A-Za-z_])/gi, '$1')
  if (/^\s*INSERT\s+OR\s+IGNORE\s+INTO\b/i.test(text)) {
    text = text
      .replace(/^(\s*)INSERT\s+OR\s+IGNORE\s+INTO\b/i, '$1INSERT INTO')
      .replace(/\s*;?\s*$/, ' ON CONFLICT DO NOTHING')
  }
  text = aliasSubqueries(text)
  if (!numbered && text.includes('?')) {
    let n = 0
    // ?NNN (SQLite's numbered form) keeps its number; a bare ? takes the next one.
    text = text.replace(/\?(\d*)/g, (_, digits: string) => (digits ? `$${digits}` : `$${++n}`))
  }
  return unmask(text, saved)
}

/** Literals, quoted identifiers, dollar-quoted bodies and comments → \uE000index\uE001. */
function mask(sql: string, saved: string[]): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\w*)\$[\s\S]*?\$\1\$|--[^\n]*|\/\*[\s\S]*?\*\//g, (match) => {
    saved.push(match)
    return `\uE000${saved.length - 1}\uE001`
  })
}

function unmask(text: string, saved: string[]): string {
  return text.replace(/\uE000(\d+)\uE001/g, (_, index: string) => saved[Number(index)]!)
}

function aliasSubqueries(text: string): string {
  let out = text
  let n = 0
  const pattern = /\b(?:FROM|JOIN)\s*\((?=\s*(?:SELECT|VALUES|WITH)\b)/gi
  for (let match = pattern.exec(out); match; match = pattern.exec(out)) {
    let depth = 0
    let close = -1
    for (let i = match.index + match[0].length - 1; i < out.length; i += 1) {
      if (out[i] === '(') depth += 1
      else if (out[i] === ')' && --depth === 0) {
        close = i
        break
      }
    }
    if (close < 0) break
    const rest = out.slice(close + 1).trimStart()
    // A quoted alias is masked: \uE000 starts it.
    const word = /^(?:[A-Za-z_]\w*|\uE000)/.exec(rest)?.[0]
    if (!word || NOT_AN_ALIAS.test(word)) {
      n += 1
      out = `${out.slice(0, close + 1)} AS _q${n}${out.slice(close + 1)}`
    }
  }
  return out
}

/** The schema's own tables (not SQLite's internal ones), by name. */
export async function schemaTables(manager: EntityManager): Promise<string[]> {
  const rows = (await manager.query(
    isPostgres(manager)
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
      : "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name"
  )) as Array<{ name: string }>
  return rows.map((r) => r.name)
}

/** A table's columns, in order. */
export async function schemaColumns(manager: EntityManager, table: string): Promise<string[]> {
  const rows = (await manager.query(
    isPostgres(manager)
      ? 'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position'
      : 'SELECT name FROM pragma_table_info(?)',
    [table]
  )) as Array<{ name: string }>
  return rows.map((r) => r.name)
}

/** A table's foreign keys: its column, the table it refers to and that table's column. */
export async function schemaForeignKeys(
  manager: EntityManager,
  table: string
): Promise<Array<{ column: string; target: string; ref: string | null }>> {
  const rows = (await manager.query(
    isPostgres(manager)
      ? `SELECT a.attname AS col, c.confrelid::regclass::text AS target, r.attname AS ref
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
          WHERE c.contype = 'f' AND c.conrelid = to_regclass($1)`
      : `SELECT "table" AS target, "from" AS col, "to" AS ref FROM pragma_foreign_key_list(?)`,
    [table]
  )) as Array<{ col: string; target: string; ref: string | null }>
  return rows.map((r) => ({ column: r.col, target: r.target.replace(/^"|"$/g, ''), ref: r.ref }))
}
