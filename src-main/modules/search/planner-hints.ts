import type { EntityManager } from 'typeorm'

/**
 * Engine-specific helpers for the portfolio's queries (see CasesService.list), which choose
 * their plan themselves: they know the size of the filtered set before asking for a page, which
 * the planner can only guess from statistics that may be stale or missing.
 */
export interface PlannerHints {
  /** The same expression, written so that the planner cannot read it from an index. */
  unindexed(expression: string): string
  /**
   * A number that changes whenever anything was written (SQLite: through the app's one
   * connection; PostgreSQL: by any workstation): cached totals are valid while it stays the same.
   * Read in the same unit of work (snapshot) as the figures it stamps.
   */
  writeMark(manager: EntityManager): Promise<number>
  /** An aggregate joining the values (ids, never containing a comma) with commas. */
  listOf(expression: string): string
}

export const sqlitePlannerHints: PlannerHints = {
  // A unary + keeps the value (of any type) and disqualifies the term from index use.
  unindexed: (expression) => `+${expression}`,
  // Rows inserted, updated or deleted since the connection opened, rolled back ones included.
  writeMark: async (manager) => {
    const [row] = await manager.query('SELECT total_changes() AS n')
    return Number(row.n)
  },
  listOf: (expression) => `group_concat(${expression}, ',')`
}

/**
 * PostgreSQL (agency mode): the planner keeps its own counsel (no hint needed); every write
 * transaction of every workstation bumps `write_counter` before it commits (Database.write), so
 * the counter in a read's snapshot says whether the data changed since figures were cached.
 */
export const pgPlannerHints: PlannerHints = {
  unindexed: (expression) => expression,
  writeMark: async (manager) => {
    const [row] = await manager.query('SELECT n FROM write_counter WHERE id = 1')
    return Number(row.n)
  },
  listOf: (expression) => `string_agg(CAST(${expression} AS text), ',')`
}

/** The hints of the engine a manager runs on. */
export function plannerHintsFor(manager: EntityManager): PlannerHints {
  return manager.connection.options.type === 'postgres' ? pgPlannerHints : sqlitePlannerHints
}
