import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * PostgreSQL twin of 1763861600000-case-flag-set: the kept set of cases with a broken promise or
 * a plan in default, kept current by trigger functions in the same transaction as the promise,
 * plan or installment change, and backfilled here. Derived data: never synced nor audited.
 */
export class PgCaseFlagSet1763861600001 implements MigrationInterface {
  name = 'PgCaseFlagSet1763861600001'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "trg_case_flag_promise" ON "payment_promise"')
    await queryRunner.query('DROP TRIGGER "trg_case_flag_plan" ON "payment_plan"')
    await queryRunner.query('DROP TRIGGER "trg_case_flag_installment" ON "installment"')
    await queryRunner.query('DROP FUNCTION "case_flag_promise_changed"()')
    await queryRunner.query('DROP FUNCTION "case_flag_plan_changed"()')
    await queryRunner.query('DROP FUNCTION "case_flag_installment_changed"()')
    await queryRunner.query('DROP FUNCTION "case_flag_refresh"(character varying, character varying)')
    await queryRunner.query('DROP TABLE "case_flag_set"')
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

const UP = [
  'CREATE TABLE "case_flag_set" ("flag" character varying(32) NOT NULL, "case_id" character varying(36) NOT NULL, PRIMARY KEY ("flag", "case_id"))',
  `INSERT INTO "case_flag_set" ("case_id", "flag") SELECT c.id, 'broken_promise' FROM collection_case c WHERE ${brokenPromise('c.id')}`,
  `INSERT INTO "case_flag_set" ("case_id", "flag") SELECT c.id, 'plan_in_default' FROM collection_case c WHERE ${planInDefault('c.id')}`,
  `CREATE FUNCTION "case_flag_refresh"(target character varying, kind character varying) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF target IS NULL THEN RETURN; END IF;
    DELETE FROM case_flag_set WHERE flag = kind AND case_id = target;
    IF (kind = 'broken_promise' AND ${brokenPromise('target')})
      OR (kind = 'plan_in_default' AND ${planInDefault('target')}) THEN
      INSERT INTO case_flag_set (case_id, flag) VALUES (target, kind);
    END IF;
  END $$`,
  `CREATE FUNCTION "case_flag_promise_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_flag_refresh(OLD.case_id, 'broken_promise'); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM case_flag_refresh(NEW.case_id, 'broken_promise'); END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION "case_flag_plan_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_flag_refresh(OLD.case_id, 'plan_in_default'); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM case_flag_refresh(NEW.case_id, 'plan_in_default'); END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION "case_flag_installment_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.plan_id IS NOT DISTINCT FROM NEW.plan_id THEN
      RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM case_flag_refresh((SELECT case_id FROM payment_plan WHERE id = OLD.plan_id), 'plan_in_default');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM case_flag_refresh((SELECT case_id FROM payment_plan WHERE id = NEW.plan_id), 'plan_in_default');
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER "trg_case_flag_promise" AFTER INSERT OR DELETE OR UPDATE OF "status", "case_id", "made_on", "created_at"
    ON "payment_promise" FOR EACH ROW EXECUTE FUNCTION case_flag_promise_changed()`,
  `CREATE TRIGGER "trg_case_flag_plan" AFTER INSERT OR DELETE OR UPDATE OF "status", "case_id", "created_at"
    ON "payment_plan" FOR EACH ROW EXECUTE FUNCTION case_flag_plan_changed()`,
  `CREATE TRIGGER "trg_case_flag_installment" AFTER INSERT OR DELETE OR UPDATE OF "status", "plan_id"
    ON "installment" FOR EACH ROW EXECUTE FUNCTION case_flag_installment_changed()`
]
