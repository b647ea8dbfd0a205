import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The first schema: every table of the agency's world, the portfolio indexes, and triggers that
 * make the evidence tables append-only. Generated from the entities, then reviewed; an applied
 * migration is never edited (tests/integration/db/migrations.test.ts pins its hash).
 */
export class InitialSchema1763856000000 implements MigrationInterface {
  name = 'InitialSchema1763856000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of TABLES) await queryRunner.query(statement)
    for (const statement of INDEXES) await queryRunner.query(statement)
    for (const table of APPEND_ONLY_TABLES) {
      // Evidence for court: rows are only ever added. A correction is a new row.
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_no_update" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`
      )
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_no_delete" BEFORE DELETE ON "${table}" BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`
      )
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of APPEND_ONLY_TABLES) {
      await queryRunner.query(`DROP TRIGGER "trg_${table}_no_update"`)
      await queryRunner.query(`DROP TRIGGER "trg_${table}_no_delete"`)
    }
    for (const table of [...TABLE_NAMES].reverse()) await queryRunner.query(`DROP TABLE "${table}"`)
  }
}

const APPEND_ONLY_TABLES = ['journal_entry', 'payment', 'allocation', 'solvency_note', 'document']

const TABLE_NAMES = [
  'client',
  'debtor',
  'app_user',
  'app_setting',
  'mandate',
  'debtor_address',
  'debtor_phone',
  'debtor_email',
  'solvency_note',
  'collection_case',
  'claim',
  'journal_entry',
  'payment',
  'allocation',
  'payment_promise',
  'payment_plan',
  'installment',
  'document'
]

const TABLES = [
  `CREATE TABLE "client" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "code" varchar(20) NOT NULL, "kind" varchar(32) NOT NULL, "legal_name" varchar(200) NOT NULL, "siren" varchar(9), "acts_professionally" boolean NOT NULL DEFAULT (1), "address_line1" varchar(200) NOT NULL, "address_line2" varchar(200), "postal_code" varchar(10) NOT NULL, "city" varchar(100) NOT NULL, "country" varchar(2) NOT NULL, "contact_name" varchar(120), "contact_email" varchar(254), "contact_phone" varchar(20), "iban" varchar(34), "bic" varchar(11))`,
  `CREATE TABLE "debtor" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "kind" varchar(32) NOT NULL, "civility" varchar(10), "first_name" varchar(100), "last_name" varchar(100), "legal_name" varchar(200), "display_name" varchar(200) NOT NULL, "siren" varchar(9), "siret" varchar(14), "birth_date" varchar(10), "acts_professionally" boolean NOT NULL DEFAULT (0))`,
  `CREATE TABLE "app_user" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "login" varchar(60) NOT NULL, "display_name" varchar(120) NOT NULL, "email" varchar(254), "role" varchar(32) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "password_hash" text)`,
  `CREATE TABLE "app_setting" ("key" varchar(100) PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36))`,
  `CREATE TABLE "mandate" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "client_id" varchar(36) NOT NULL, "reference" varchar(40) NOT NULL, "signed_on" varchar(10) NOT NULL, "ends_on" varchar(10), "status" varchar(32) NOT NULL, "commission_rate_bp" integer NOT NULL, "fixed_fee_cents" bigint NOT NULL DEFAULT (0), "scope" text NOT NULL, "liability_guarantee" text NOT NULL, "fee_terms" text NOT NULL, "remittance_terms" text NOT NULL, "remittance_delay_days" integer NOT NULL DEFAULT (30), "dunning_scenario_code" varchar(40), CONSTRAINT "FK_0387d3bc241b3d344c6ff9f4c7b" FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "debtor_address" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "line1" varchar(200) NOT NULL, "line2" varchar(200), "postal_code" varchar(10) NOT NULL, "city" varchar(100) NOT NULL, "country" varchar(2) NOT NULL, "valid_from" varchar(10) NOT NULL, "valid_to" varchar(10), "source" varchar(100), CONSTRAINT "FK_e48d493bf79967f615d7d4174a5" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "debtor_phone" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "number" varchar(20) NOT NULL, "kind" varchar(32) NOT NULL, "status" varchar(32) NOT NULL, "status_changed_at" varchar(24), "source" varchar(100), CONSTRAINT "FK_400b66669fa2e55967fa2511e6b" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "debtor_email" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "address" varchar(254) NOT NULL, "status" varchar(32) NOT NULL, "source" varchar(100), CONSTRAINT "FK_e051bb4a08c4865cf56b8cb7cc6" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "solvency_note" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "debtor_id" varchar(36) NOT NULL, "case_id" varchar(36), "category" varchar(32) NOT NULL, "summary" text NOT NULL, "amount_cents" bigint, "observed_on" varchar(10) NOT NULL, "source" varchar(100), "supersedes_note_id" varchar(36), CONSTRAINT "FK_108a53709e27f055cfd4d269c7d" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "collection_case" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "reference" varchar(30) NOT NULL, "client_id" varchar(36) NOT NULL, "mandate_id" varchar(36) NOT NULL, "debtor_id" varchar(36) NOT NULL, "collector_id" varchar(36), "phase" varchar(32) NOT NULL, "status" varchar(32) NOT NULL, "suspension_reason" varchar(32), "closure_reason" varchar(32), "priority" varchar(32) NOT NULL, "opened_on" varchar(10) NOT NULL, "closed_on" varchar(10), "next_action_on" varchar(10), "principal_cents" bigint NOT NULL DEFAULT (0), "paid_cents" bigint NOT NULL DEFAULT (0), "balance_cents" bigint NOT NULL DEFAULT (0), "claim_count" integer NOT NULL DEFAULT (0), "oldest_due_on" varchar(10), "last_contact_at" varchar(24), "last_contact_outcome" varchar(32), CONSTRAINT "FK_91b7f5e8d11f0c2a8f1526ff8ab" FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_ec50638f502b39e9982245db440" FOREIGN KEY ("mandate_id") REFERENCES "mandate" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_55f6144161f2c3e8b938a3d573f" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_59a33b98450fd90dde067c49ab1" FOREIGN KEY ("collector_id") REFERENCES "app_user" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
  `CREATE TABLE "claim" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "client_id" varchar(36) NOT NULL, "invoice_number" varchar(60) NOT NULL, "issued_on" varchar(10) NOT NULL, "due_on" varchar(10) NOT NULL, "principal_cents" bigint NOT NULL, "interest_basis" varchar(32) NOT NULL, "contractual_rate_bp" integer, "interest_from" varchar(10), "indemnity_applies" boolean NOT NULL DEFAULT (0), "disputed" boolean NOT NULL DEFAULT (0), "description" text, CONSTRAINT "FK_e5ed0fb3d6417c9b90bc0fcad60" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "journal_entry" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "occurred_at" varchar(24) NOT NULL, "author_id" varchar(36), "summary" text NOT NULL, "details" text, "corrects_entry_id" varchar(36), "related_id" varchar(36), CONSTRAINT "FK_dd9094d45933c6b301e5648137f" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "payment" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36) NOT NULL, "received_on" varchar(10) NOT NULL, "amount_cents" bigint NOT NULL, "method" varchar(32) NOT NULL, "reference" varchar(100), "received_by" varchar(32) NOT NULL, "collected_on" varchar(10), "reverses_payment_id" varchar(36), "note" text, CONSTRAINT "FK_0ceb928a6719b058eb8bb6d57e1" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "allocation" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "payment_id" varchar(36) NOT NULL, "claim_id" varchar(36) NOT NULL, "component" varchar(32) NOT NULL, "amount_cents" bigint NOT NULL, "manual" boolean NOT NULL DEFAULT (0), "reason" text, CONSTRAINT "FK_596499b5ca940cc2f111a4ea419" FOREIGN KEY ("payment_id") REFERENCES "payment" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_0933e8574556a26dd3ccd49894f" FOREIGN KEY ("claim_id") REFERENCES "claim" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "payment_promise" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "amount_cents" bigint NOT NULL, "due_on" varchar(10) NOT NULL, "made_on" varchar(10) NOT NULL, "status" varchar(32) NOT NULL, "journal_entry_id" varchar(36), CONSTRAINT "FK_54ac578c685ba72ddb6aa84a3a7" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "payment_plan" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "status" varchar(32) NOT NULL, "total_cents" bigint NOT NULL, "down_payment_cents" bigint NOT NULL DEFAULT (0), "installment_count" integer NOT NULL, "frequency" varchar(32) NOT NULL, "first_due_on" varchar(10) NOT NULL, "interest_mode" varchar(32) NOT NULL, "agreed_on" varchar(10), "ended_on" varchar(10), CONSTRAINT "FK_9f7dd3ae93015c11410765ee2c2" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "installment" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "plan_id" varchar(36) NOT NULL, "sequence" integer NOT NULL, "due_on" varchar(10) NOT NULL, "amount_cents" bigint NOT NULL, "paid_cents" bigint NOT NULL DEFAULT (0), "status" varchar(32) NOT NULL, CONSTRAINT "FK_c848f86d22b51d3a12396e3bc84" FOREIGN KEY ("plan_id") REFERENCES "payment_plan" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "document" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36), "claim_id" varchar(36), "kind" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "file_name" varchar(255) NOT NULL, "mime_type" varchar(100) NOT NULL, "size_bytes" integer NOT NULL, "sha256" varchar(64) NOT NULL, "storage_path" varchar(500) NOT NULL, "template_code" varchar(60), "template_version" integer, CONSTRAINT "FK_9675dfed34fc8b1f68768fcc778" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`
]

const INDEXES = [
  `CREATE UNIQUE INDEX "uq_client_code" ON "client" ("code") `,
  `CREATE INDEX "ix_client_legal_name" ON "client" ("legal_name") `,
  `CREATE INDEX "ix_debtor_display_name" ON "debtor" ("display_name") `,
  `CREATE INDEX "ix_debtor_siren" ON "debtor" ("siren") `,
  `CREATE UNIQUE INDEX "uq_app_user_login" ON "app_user" ("login") `,
  `CREATE INDEX "ix_mandate_client" ON "mandate" ("client_id") `,
  `CREATE UNIQUE INDEX "uq_mandate_reference" ON "mandate" ("reference") `,
  `CREATE INDEX "ix_debtor_address_debtor" ON "debtor_address" ("debtor_id") `,
  `CREATE INDEX "ix_debtor_phone_debtor" ON "debtor_phone" ("debtor_id") `,
  `CREATE INDEX "ix_debtor_phone_number" ON "debtor_phone" ("number") `,
  `CREATE INDEX "ix_debtor_email_debtor" ON "debtor_email" ("debtor_id") `,
  `CREATE INDEX "ix_debtor_email_address" ON "debtor_email" ("address") `,
  `CREATE INDEX "ix_solvency_note_debtor" ON "solvency_note" ("debtor_id") `,
  `CREATE UNIQUE INDEX "uq_case_reference" ON "collection_case" ("reference") `,
  `CREATE INDEX "ix_case_mandate" ON "collection_case" ("mandate_id") `,
  `CREATE INDEX "ix_case_debtor" ON "collection_case" ("debtor_id") `,
  `CREATE INDEX "ix_case_opened_on" ON "collection_case" ("opened_on") `,
  `CREATE INDEX "ix_case_next_action_on" ON "collection_case" ("next_action_on") `,
  `CREATE INDEX "ix_case_balance" ON "collection_case" ("balance_cents") `,
  `CREATE INDEX "ix_case_oldest_due_on" ON "collection_case" ("oldest_due_on") `,
  `CREATE INDEX "ix_case_last_contact_at" ON "collection_case" ("last_contact_at") `,
  `CREATE INDEX "ix_case_collector_status" ON "collection_case" ("collector_id", "status") `,
  `CREATE INDEX "ix_case_client_status" ON "collection_case" ("client_id", "status") `,
  `CREATE INDEX "ix_case_status_phase" ON "collection_case" ("status", "phase") `,
  `CREATE INDEX "ix_claim_case" ON "claim" ("case_id") `,
  `CREATE INDEX "ix_claim_invoice_number" ON "claim" ("invoice_number") `,
  `CREATE UNIQUE INDEX "uq_claim_client_invoice" ON "claim" ("client_id", "invoice_number") `,
  `CREATE INDEX "ix_journal_author" ON "journal_entry" ("author_id") `,
  `CREATE INDEX "ix_journal_case_occurred" ON "journal_entry" ("case_id", "occurred_at") `,
  `CREATE INDEX "ix_payment_case" ON "payment" ("case_id") `,
  `CREATE INDEX "ix_payment_received_on" ON "payment" ("received_on") `,
  `CREATE INDEX "ix_allocation_payment" ON "allocation" ("payment_id") `,
  `CREATE INDEX "ix_allocation_claim" ON "allocation" ("claim_id") `,
  `CREATE INDEX "ix_promise_due_on" ON "payment_promise" ("due_on") `,
  `CREATE INDEX "ix_promise_case_status" ON "payment_promise" ("case_id", "status") `,
  `CREATE INDEX "ix_plan_case_status" ON "payment_plan" ("case_id", "status") `,
  `CREATE INDEX "ix_installment_due_on" ON "installment" ("due_on") `,
  `CREATE UNIQUE INDEX "uq_installment_plan_sequence" ON "installment" ("plan_id", "sequence") `,
  `CREATE INDEX "ix_document_case" ON "document" ("case_id") `,
  `CREATE INDEX "ix_document_claim" ON "document" ("claim_id") `
]
