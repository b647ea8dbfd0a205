import { describe, expect, it } from 'vitest'
import { toPostgresSql } from '../../../src-main/db/dialect'

describe('the PostgreSQL query path', () => {
  it('numbers ? placeholders, never inside literals, quoted names or comments', () => {
    expect(toPostgresSql('SELECT * FROM t WHERE a = ? AND b = \'?\' AND "c?" = ? -- why?\n AND d IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = \'?\' AND "c?" = $2 -- why?\n AND d IN ($3, $4)'
    )
    expect(toPostgresSql("SELECT 'it''s ?' AS x, ? AS y")).toBe("SELECT 'it''s ?' AS x, $1 AS y")
    expect(toPostgresSql('SELECT a FROM t WHERE b >= ?1 AND c < ?1 AND d = ?2')).toBe(
      'SELECT a FROM t WHERE b >= $1 AND c < $1 AND d = $2'
    )
  })

  it('leaves TypeORM’s numbered statements and dollar-quoted bodies alone', () => {
    const typeorm = 'SELECT "id" FROM "case" WHERE "id" = $1 AND "x" = $2'
    expect(toPostgresSql(typeorm)).toBe(typeorm)
    const body = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1 FROM (SELECT ?) $fn$'
    expect(toPostgresSql(body)).toBe(body)
  })

  it('drops SQLite planner hints and spells SQLite-only syntax the PostgreSQL way', () => {
    expect(
      toPostgresSql(
        'SELECT 1 FROM payment_promise p NOT INDEXED CROSS JOIN collection_case c ON c.id = p.case_id CROSS JOIN x'
      )
    ).toBe('SELECT 1 FROM payment_promise p  JOIN collection_case c ON c.id = p.case_id CROSS JOIN x')
    expect(toPostgresSql('SELECT a || char(31) || b, IFNULL(x, 0), varchar(3) FROM t')).toBe(
      'SELECT a || chr(31) || b, COALESCE(x, 0), varchar(3) FROM t'
    )
    expect(toPostgresSql('SELECT a + b, x +1 FROM t WHERE +c.next_action_on <= ? AND (+c.k = 1) ORDER BY +c.r')).toBe(
      'SELECT a + b, x +1 FROM t WHERE c.next_action_on <= $1 AND (c.k = 1) ORDER BY c.r'
    )
    expect(toPostgresSql('SELECT id FROM t WHERE reference IN (SELECT value FROM json_each(?))')).toBe(
      'SELECT id FROM t WHERE reference IN (SELECT value FROM json_array_elements_text($1))'
    )
    expect(toPostgresSql('INSERT OR IGNORE INTO t (a) VALUES (?)')).toBe(
      'INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING'
    )
  })

  it('names subqueries in FROM that have no alias', () => {
    expect(toPostgresSql('SELECT DISTINCT case_id FROM (SELECT 1 AS case_id) LIMIT 5')).toBe(
      'SELECT DISTINCT case_id FROM (SELECT 1 AS case_id) AS _q1 LIMIT 5'
    )
    expect(
      toPostgresSql('UPDATE c SET a = v.a FROM (SELECT column1 AS id FROM (VALUES (?, ?))) AS v WHERE c.id = v.id')
    ).toBe('UPDATE c SET a = v.a FROM (SELECT column1 AS id FROM (VALUES ($1, $2)) AS _q1) AS v WHERE c.id = v.id')
    expect(toPostgresSql('SELECT "con".x FROM ( SELECT 1 AS x ) "con"')).toBe(
      'SELECT "con".x FROM ( SELECT 1 AS x ) "con"'
    )
    expect(toPostgresSql('SELECT extract(epoch FROM (x)) FROM (SELECT 1) t')).toBe(
      'SELECT extract(epoch FROM (x)) FROM (SELECT 1) t'
    )
  })
})
