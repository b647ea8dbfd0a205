import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Dunning: scenarios and their steps, the engine's batches and the steps taken on cases
 * (unique per case and step: the engine's idempotence is the database's). Ships the default
 * scenarios, usual French practice (courtesy reminder before the due date, reminder on the due
 * date, firmer reminders at +14 and +30 days with a call, last amicable reminder at +60, the
 * formal notice by registered letter, then the hand-over to the judicial phase), under the two
 * codes mandates already carry. This file keeps its own copy of the steps: a migration never
 * changes once shipped.
 */
export class Dunning1763857300000 implements MigrationInterface {
  name = 'Dunning1763857300000'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of UP) await queryRunner.query(sql)
    const now = '2026-11-23T00:00:00.000Z'
    for (const [index, scenario] of SCENARIOS.entries()) {
      const scenarioId = `019ab000-0000-7000-8000-0000000000${String(index + 1).padStart(2, '0')}`
      await queryRunner.query(
        `INSERT INTO "dunning_scenario" ("id", "created_at", "created_by", "updated_at", "updated_by", "version", "code", "name", "description", "is_default", "active")
         VALUES (?, ?, NULL, ?, NULL, 1, ?, ?, ?, ?, 1)`,
        [scenarioId, now, now, scenario.code, scenario.name, scenario.description, scenario.isDefault ? 1 : 0]
      )
      for (const [position, step] of STEPS.entries()) {
        const stepId = `019ab000-0000-7000-8001-0000000${String(index + 1).padStart(2, '0')}${String(position + 1).padStart(3, '0')}`
        await queryRunner.query(
          `INSERT INTO "dunning_step" ("id", "created_at", "created_by", "updated_at", "updated_by", "version", "scenario_id", "position", "name", "delay_days", "delay_from", "channel", "template_code", "debtor_condition", "min_balance_cents", "phase_change", "retired")
           VALUES (?, ?, NULL, ?, NULL, 1, ?, ?, ?, ?, ?, ?, ?, 'any', ?, ?, 0)`,
          [stepId, now, now, scenarioId, position + 1, ...step]
        )
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "dunning_action"`)
    await queryRunner.query(`DROP TABLE "dunning_batch"`)
    await queryRunner.query(`DROP TABLE "dunning_step"`)
    await queryRunner.query(`DROP TABLE "dunning_scenario"`)
  }
}

const SCENARIOS = [
  {
    code: 'standard_b2c',
    name: 'Standard — particuliers',
    description: 'Scénario par défaut : relances amiables, mise en demeure en LRAR, puis phase judiciaire.',
    isDefault: true
  },
  {
    code: 'standard_b2b',
    name: 'Standard — entreprises',
    description: 'Entre professionnels : mêmes étapes, l’indemnité forfaitaire de 40 € figure au décompte.',
    isDefault: false
  }
]

/** name, delay days, delay from, channel, template, minimum balance (cents), phase change. */
const STEPS: Array<[string, number, string, string, string | null, number | null, string | null]> = [
  ['Rappel courtois avant échéance', -5, 'due_date', 'email', 'courtesy-reminder', null, null],
  ['Relance à l’échéance', 0, 'due_date', 'letter', 'reminder', null, null],
  ['Relance ferme (J+14)', 14, 'due_date', 'letter', 'firm-reminder', null, null],
  ['Appel de relance (J+21)', 21, 'due_date', 'call', null, 15000, null],
  ['Seconde relance ferme (J+30)', 30, 'due_date', 'letter', 'firm-reminder', null, null],
  ['Dernière relance amiable (J+60)', 60, 'due_date', 'letter', 'last-reminder', null, null],
  ['Mise en demeure (LRAR)', 15, 'previous_step', 'registered_letter', 'formal-notice', null, 'formal_notice'],
  ['Passage en phase judiciaire', 15, 'previous_step', 'call', null, null, 'judicial']
]

const UP = [
  `CREATE TABLE "dunning_scenario" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(120) NOT NULL, "description" text, "is_default" boolean NOT NULL DEFAULT (0), "active" boolean NOT NULL DEFAULT (1))`,
  `CREATE UNIQUE INDEX "uq_dunning_scenario_code" ON "dunning_scenario" ("code") `,
  `CREATE TABLE "dunning_step" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "scenario_id" varchar(36) NOT NULL, "position" integer NOT NULL, "name" varchar(120) NOT NULL, "delay_days" integer NOT NULL, "delay_from" varchar(32) NOT NULL, "channel" varchar(32) NOT NULL, "template_code" varchar(60), "debtor_condition" varchar(32) NOT NULL, "min_balance_cents" bigint, "phase_change" varchar(32), "retired" boolean NOT NULL DEFAULT (0), CONSTRAINT "FK_848e39b9d033e37361f3047cd7c" FOREIGN KEY ("scenario_id") REFERENCES "dunning_scenario" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE INDEX "ix_dunning_step_scenario" ON "dunning_step" ("scenario_id") `,
  `CREATE TABLE "dunning_batch" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "run_on" varchar(10) NOT NULL, "action_count" integer NOT NULL, "letter_count" integer NOT NULL, "print_path" varchar(500), "print_sha256" varchar(64), "duration_ms" integer NOT NULL DEFAULT (0))`,
  `CREATE INDEX "ix_dunning_batch_run_on" ON "dunning_batch" ("run_on") `,
  `CREATE TABLE "dunning_action" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "step_id" varchar(36) NOT NULL, "batch_id" varchar(36), "taken_on" varchar(10) NOT NULL, "channel" varchar(32) NOT NULL, "step_name" varchar(120) NOT NULL, "document_id" varchar(36), "journal_entry_id" varchar(36), "sent_on" varchar(10), "tracking_number" varchar(40), "completed_on" varchar(10), "completed_at" varchar(24), CONSTRAINT "FK_e75ad8e0ebb89009a38a824abaa" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_1f3b136e1b8b3360c0b266b5f20" FOREIGN KEY ("step_id") REFERENCES "dunning_step" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE INDEX "ix_dunning_action_batch" ON "dunning_action" ("batch_id") `,
  `CREATE INDEX "ix_dunning_action_open_calls" ON "dunning_action" ("channel", "completed_on") `,
  `CREATE UNIQUE INDEX "uq_dunning_action_case_step" ON "dunning_action" ("case_id", "step_id") `
]
