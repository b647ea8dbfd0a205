import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The portfolio's set filters (broken promise, plan in default) read from a kept set rather than
 * recomputed from every promise and plan at each query: case_flag_set holds one row per case and
 * flag, kept current by triggers in the same transaction as the promise, plan or installment
 * change, and backfilled here. Derived data: field sync never copies nor merges it (each database
 * keeps its own, see DERIVED_TABLES in modules/sync/sync-tables.ts).
 * See tests/bench/README.md, "Session 4".
 */
export class CaseFlagSet1763861600000 implements MigrationInterface {
  name = 'CaseFlagSet1763861600000'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of CASE_FLAG_SET_UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await queryRunner.query(`DROP TRIGGER "${trigger}"`)
    await queryRunner.query(`DROP TABLE "case_flag_set"`)
  }
}

/** A broken promise not followed by a kept or pending one made later (by day, then by record). */
const brokenPromise = (caseId: string) => `EXISTS (SELECT 1 FROM payment_promise p WHERE p.case_id = ${caseId}
  AND p.status = 'broken' AND NOT EXISTS (SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id
    AND q.status IN ('kept', 'pending')
    AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at))))`

/** The last plan was declared in default, or an active plan has a missed installment. */
const planInDefault = (caseId: string) => `EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = ${caseId}
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))))`

const refresh = (flag: string, test: (caseId: string) => string, caseId: string) => `
  DELETE FROM "case_flag_set" WHERE "flag" = '${flag}' AND "case_id" = ${caseId};
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT ${caseId}, '${flag}' WHERE ${caseId} IS NOT NULL AND ${test(caseId)};`

const planCase = (planId: string) => `(SELECT case_id FROM payment_plan WHERE id = ${planId})`

const TRIGGERS = [
  'trg_case_flag_promise_insert',
  'trg_case_flag_promise_update',
  'trg_case_flag_promise_delete',
  'trg_case_flag_plan_insert',
  'trg_case_flag_plan_update',
  'trg_case_flag_plan_delete',
  'trg_case_flag_installment_insert',
  'trg_case_flag_installment_update',
  'trg_case_flag_installment_delete'
]

const CASE_FLAG_SET_UP = [
  `CREATE TABLE "case_flag_set" ("flag" varchar(32) NOT NULL, "case_id" varchar(36) NOT NULL, PRIMARY KEY ("flag", "case_id"))`,
  `INSERT INTO "case_flag_set" ("case_id", "flag") SELECT c.id, 'broken_promise' FROM collection_case c WHERE ${brokenPromise('c.id')}`,
  `INSERT INTO "case_flag_set" ("case_id", "flag") SELECT c.id, 'plan_in_default' FROM collection_case c WHERE ${planInDefault('c.id')}`,
  `CREATE TRIGGER "trg_case_flag_promise_insert" AFTER INSERT ON "payment_promise" BEGIN
    ${refresh('broken_promise', brokenPromise, 'NEW.case_id')}
  END`,
  `CREATE TRIGGER "trg_case_flag_promise_update" AFTER UPDATE OF "status", "case_id", "made_on", "created_at" ON "payment_promise" BEGIN
    ${refresh('broken_promise', brokenPromise, 'OLD.case_id')}
    ${refresh('broken_promise', brokenPromise, 'NEW.case_id')}
  END`,
  `CREATE TRIGGER "trg_case_flag_promise_delete" AFTER DELETE ON "payment_promise" BEGIN
    ${refresh('broken_promise', brokenPromise, 'OLD.case_id')}
  END`,
  `CREATE TRIGGER "trg_case_flag_plan_insert" AFTER INSERT ON "payment_plan" BEGIN
    ${refresh('plan_in_default', planInDefault, 'NEW.case_id')}
  END`,
  `CREATE TRIGGER "trg_case_flag_plan_update" AFTER UPDATE OF "status", "case_id", "created_at" ON "payment_plan" BEGIN
    ${refresh('plan_in_default', planInDefault, 'OLD.case_id')}
    ${refresh('plan_in_default', planInDefault, 'NEW.case_id')}
  END`,
  `CREATE TRIGGER "trg_case_flag_plan_delete" AFTER DELETE ON "payment_plan" BEGIN
    ${refresh('plan_in_default', planInDefault, 'OLD.case_id')}
  END`,
  `CREATE TRIGGER "trg_case_flag_installment_insert" AFTER INSERT ON "installment" WHEN NEW.status = 'missed' BEGIN
    ${refresh('plan_in_default', planInDefault, planCase('NEW.plan_id'))}
  END`,
  `CREATE TRIGGER "trg_case_flag_installment_update" AFTER UPDATE OF "status", "plan_id" ON "installment"
    WHEN OLD.status IS NOT NEW.status OR OLD.plan_id IS NOT NEW.plan_id BEGIN
    ${refresh('plan_in_default', planInDefault, planCase('OLD.plan_id'))}
    ${refresh('plan_in_default', planInDefault, planCase('NEW.plan_id'))}
  END`,
  `CREATE TRIGGER "trg_case_flag_installment_delete" AFTER DELETE ON "installment" WHEN OLD.status = 'missed' BEGIN
    ${refresh('plan_in_default', planInDefault, planCase('OLD.plan_id'))}
  END`
]
