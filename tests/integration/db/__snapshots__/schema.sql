-- index ix_allocation_claim
CREATE INDEX "ix_allocation_claim" ON "allocation" ("claim_id") ;

-- index ix_allocation_payment
CREATE INDEX "ix_allocation_payment" ON "allocation" ("payment_id") ;

-- index ix_audit_entry_at
CREATE INDEX "ix_audit_entry_at" ON "audit_entry" ("at") ;

-- index ix_audit_entry_row
CREATE INDEX "ix_audit_entry_row" ON "audit_entry" ("table_name", "row_id") ;

-- index ix_audit_entry_subject
CREATE INDEX "ix_audit_entry_subject" ON "audit_entry" ("subject_id") ;

-- index ix_audit_personal_subject
CREATE INDEX "ix_audit_personal_subject" ON "audit_personal" ("subject_id") ;

-- index ix_case_balance
CREATE INDEX "ix_case_balance" ON "collection_case" ("balance_cents", "reference") ;

-- index ix_case_client_status
CREATE INDEX "ix_case_client_status" ON "collection_case" ("client_id", "status") ;

-- index ix_case_collector_status
CREATE INDEX "ix_case_collector_status" ON "collection_case" ("collector_id", "status") ;

-- index ix_case_deadline_case
CREATE INDEX "ix_case_deadline_case" ON "case_deadline" ("case_id") ;

-- index ix_case_deadline_due_on
CREATE INDEX "ix_case_deadline_due_on" ON "case_deadline" ("due_on") ;

-- index ix_case_debtor
CREATE INDEX "ix_case_debtor" ON "collection_case" ("debtor_id") ;

-- index ix_case_debtor_sort
CREATE INDEX "ix_case_debtor_sort" ON "collection_case" ("debtor_sort_name", "reference") ;

-- index ix_case_last_contact_at
CREATE INDEX "ix_case_last_contact_at" ON "collection_case" ("last_contact_at", "reference") ;

-- index ix_case_mandate
CREATE INDEX "ix_case_mandate" ON "collection_case" ("mandate_id") ;

-- index ix_case_next_action_on
CREATE INDEX "ix_case_next_action_on" ON "collection_case" ("next_action_on", "reference") ;

-- index ix_case_oldest_due_on
CREATE INDEX "ix_case_oldest_due_on" ON "collection_case" ("oldest_due_on", "reference") ;

-- index ix_case_opened_on
CREATE INDEX "ix_case_opened_on" ON "collection_case" ("opened_on", "reference") ;

-- index ix_case_phase_reference
CREATE INDEX "ix_case_phase_reference" ON "collection_case" ("phase", "reference") ;

-- index ix_case_portfolio
CREATE INDEX "ix_case_portfolio" ON "collection_case" ("status", "phase", "client_id", "collector_id", "priority", "balance_cents", "oldest_due_on", "next_action_on", "last_contact_at", "id") ;

-- index ix_case_prescription_on
CREATE INDEX "ix_case_prescription_on" ON "collection_case" ("prescription_on", "reference") ;

-- index ix_case_priority_reference
CREATE INDEX "ix_case_priority_reference" ON "collection_case" ("priority", "reference") ;

-- index ix_case_status_reference
CREATE INDEX "ix_case_status_reference" ON "collection_case" ("status", "reference") ;

-- index ix_claim_case
CREATE INDEX "ix_claim_case" ON "claim" ("case_id") ;

-- index ix_claim_invoice_number
CREATE INDEX "ix_claim_invoice_number" ON "claim" ("invoice_number") ;

-- index ix_claim_prescription_on
CREATE INDEX "ix_claim_prescription_on" ON "claim" ("prescription_on", "case_id") ;

-- index ix_client_legal_name
CREATE INDEX "ix_client_legal_name" ON "client" ("legal_name") ;

-- index ix_debtor_address_debtor
CREATE INDEX "ix_debtor_address_debtor" ON "debtor_address" ("debtor_id") ;

-- index ix_debtor_display_name
CREATE INDEX "ix_debtor_display_name" ON "debtor" ("display_name") ;

-- index ix_debtor_email_address
CREATE INDEX "ix_debtor_email_address" ON "debtor_email" ("address") ;

-- index ix_debtor_email_debtor
CREATE INDEX "ix_debtor_email_debtor" ON "debtor_email" ("debtor_id") ;

-- index ix_debtor_phone_debtor
CREATE INDEX "ix_debtor_phone_debtor" ON "debtor_phone" ("debtor_id") ;

-- index ix_debtor_phone_number
CREATE INDEX "ix_debtor_phone_number" ON "debtor_phone" ("number") ;

-- index ix_debtor_siren
CREATE INDEX "ix_debtor_siren" ON "debtor" ("siren") ;

-- index ix_document_case
CREATE INDEX "ix_document_case" ON "document" ("case_id") ;

-- index ix_document_claim
CREATE INDEX "ix_document_claim" ON "document" ("claim_id") ;

-- index ix_dunning_action_batch
CREATE INDEX "ix_dunning_action_batch" ON "dunning_action" ("batch_id") ;

-- index ix_dunning_action_open_calls
CREATE INDEX "ix_dunning_action_open_calls" ON "dunning_action" ("channel", "completed_on") ;

-- index ix_dunning_batch_run_on
CREATE INDEX "ix_dunning_batch_run_on" ON "dunning_batch" ("run_on") ;

-- index ix_dunning_step_scenario
CREATE INDEX "ix_dunning_step_scenario" ON "dunning_step" ("scenario_id") ;

-- index ix_email_attempt_case
CREATE INDEX "ix_email_attempt_case" ON "email_attempt" ("case_id") ;

-- index ix_email_attempt_letter
CREATE INDEX "ix_email_attempt_letter" ON "email_attempt" ("letter_id", "created_at") ;

-- index ix_import_batch_client
CREATE INDEX "ix_import_batch_client" ON "import_batch" ("client_id", "created_at");

-- index ix_import_batch_record_record
CREATE INDEX "ix_import_batch_record_record" ON "import_batch_record" ("record_id");

-- index ix_insolvency_proceeding_debtor
CREATE INDEX "ix_insolvency_proceeding_debtor" ON "insolvency_proceeding" ("debtor_id") ;

-- index ix_installment_due_on
CREATE INDEX "ix_installment_due_on" ON "installment" ("due_on") ;

-- index ix_installment_status_due_on
CREATE INDEX "ix_installment_status_due_on" ON "installment" ("status", "due_on") ;

-- index ix_journal_author
CREATE INDEX "ix_journal_author" ON "journal_entry" ("author_id") ;

-- index ix_journal_case_occurred
CREATE INDEX "ix_journal_case_occurred" ON "journal_entry" ("case_id", "occurred_at") ;

-- index ix_legal_event_case
CREATE INDEX "ix_legal_event_case" ON "legal_event" ("case_id") ;

-- index ix_letter_case
CREATE INDEX "ix_letter_case" ON "letter" ("case_id", "letter_date") ;

-- index ix_mandate_client
CREATE INDEX "ix_mandate_client" ON "mandate" ("client_id") ;

-- index ix_payment_case
CREATE INDEX "ix_payment_case" ON "payment" ("case_id") ;

-- index ix_payment_document_job_case
CREATE INDEX "ix_payment_document_job_case" ON "payment_document_job" ("case_id") ;

-- index ix_payment_document_job_due
CREATE INDEX "ix_payment_document_job_due" ON "payment_document_job" ("status", "next_attempt_at") ;

-- index ix_payment_received_on
CREATE INDEX "ix_payment_received_on" ON "payment" ("received_on") ;

-- index ix_plan_case_status
CREATE INDEX "ix_plan_case_status" ON "payment_plan" ("case_id", "status") ;

-- index ix_promise_case_status
CREATE INDEX "ix_promise_case_status" ON "payment_promise" ("case_id", "status") ;

-- index ix_promise_due_on
CREATE INDEX "ix_promise_due_on" ON "payment_promise" ("due_on") ;

-- index ix_remittance_client_status
CREATE INDEX "ix_remittance_client_status" ON "remittance" ("client_id", "status") ;

-- index ix_remittance_line_remittance
CREATE INDEX "ix_remittance_line_remittance" ON "remittance_line" ("remittance_id") ;

-- index ix_solvency_assessment_debtor
CREATE INDEX "ix_solvency_assessment_debtor" ON "solvency_assessment" ("debtor_id", "created_at") ;

-- index ix_solvency_note_debtor
CREATE INDEX "ix_solvency_note_debtor" ON "solvency_note" ("debtor_id") ;

-- index ix_sync_checkout_case_case
CREATE INDEX "ix_sync_checkout_case_case" ON "sync_checkout_case" ("case_id") ;

-- index ix_sync_checkout_collector
CREATE INDEX "ix_sync_checkout_collector" ON "sync_checkout" ("collector_id") ;

-- index ix_sync_conflict_row
CREATE INDEX "ix_sync_conflict_row" ON "sync_conflict" ("table_name", "row_id") ;

-- index uq_app_user_login
CREATE UNIQUE INDEX "uq_app_user_login" ON "app_user" ("login") ;

-- index uq_case_reference
CREATE UNIQUE INDEX "uq_case_reference" ON "collection_case" ("reference") ;

-- index uq_claim_client_invoice
CREATE UNIQUE INDEX "uq_claim_client_invoice" ON "claim" ("client_id", "invoice_number") ;

-- index uq_client_code
CREATE UNIQUE INDEX "uq_client_code" ON "client" ("code") ;

-- index uq_document_template_code_version
CREATE UNIQUE INDEX "uq_document_template_code_version" ON "document_template" ("code", "version") ;

-- index uq_dunning_action_case_step
CREATE UNIQUE INDEX "uq_dunning_action_case_step" ON "dunning_action" ("case_id", "step_id") ;

-- index uq_dunning_scenario_code
CREATE UNIQUE INDEX "uq_dunning_scenario_code" ON "dunning_scenario" ("code") ;

-- index uq_ecb_refinancing_rate_semester
CREATE UNIQUE INDEX "uq_ecb_refinancing_rate_semester" ON "ecb_refinancing_rate" ("semester") ;

-- index uq_installment_plan_sequence
CREATE UNIQUE INDEX "uq_installment_plan_sequence" ON "installment" ("plan_id", "sequence") ;

-- index uq_legal_interest_rate_semester
CREATE UNIQUE INDEX "uq_legal_interest_rate_semester" ON "legal_interest_rate" ("semester") ;

-- index uq_letter_document
CREATE UNIQUE INDEX "uq_letter_document" ON "letter" ("document_id") ;

-- index uq_letter_reference
CREATE UNIQUE INDEX "uq_letter_reference" ON "letter" ("reference") ;

-- index uq_mandate_reference
CREATE UNIQUE INDEX "uq_mandate_reference" ON "mandate" ("reference") ;

-- index uq_payment_document_job_payment
CREATE UNIQUE INDEX "uq_payment_document_job_payment" ON "payment_document_job" ("payment_id") ;

-- index uq_remittance_line_payment
CREATE UNIQUE INDEX "uq_remittance_line_payment" ON "remittance_line" ("payment_id") ;

-- index uq_remittance_reference
CREATE UNIQUE INDEX "uq_remittance_reference" ON "remittance" ("reference") ;

-- index uq_search_case_doc_case
CREATE UNIQUE INDEX "uq_search_case_doc_case" ON "search_case_doc" ("case_id") ;

-- table allocation
CREATE TABLE "allocation" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "payment_id" varchar(36) NOT NULL, "claim_id" varchar(36) NOT NULL, "component" varchar(32) NOT NULL, "amount_cents" bigint NOT NULL, "manual" boolean NOT NULL DEFAULT (0), "reason" text, CONSTRAINT "FK_596499b5ca940cc2f111a4ea419" FOREIGN KEY ("payment_id") REFERENCES "payment" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_0933e8574556a26dd3ccd49894f" FOREIGN KEY ("claim_id") REFERENCES "claim" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table app_setting
CREATE TABLE "app_setting" ("key" varchar(100) PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36));

-- table app_user
CREATE TABLE "app_user" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "login" varchar(60) NOT NULL, "display_name" varchar(120) NOT NULL, "email" varchar(254), "role" varchar(32) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "password_hash" text);

-- table audit_entry
CREATE TABLE "audit_entry" ("seq" integer PRIMARY KEY NOT NULL, "at" varchar(24) NOT NULL, "user_id" varchar(36), "action" varchar(60) NOT NULL, "table_name" varchar(64) NOT NULL, "row_id" varchar(200), "operation" varchar(16) NOT NULL, "before_json" text, "after_json" text, "hash" varchar(64) NOT NULL, "subject_id" varchar(36), "personal_sha256" varchar(64));

-- table audit_personal
CREATE TABLE "audit_personal" ("seq" integer PRIMARY KEY NOT NULL, "subject_id" varchar(36) NOT NULL, "salt" varchar(32) NOT NULL, "before_json" text, "after_json" text);

-- table case_deadline
CREATE TABLE "case_deadline" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "proceeding_id" varchar(36), "kind" varchar(32) NOT NULL, "due_on" varchar(10) NOT NULL, "basis" varchar(300) NOT NULL, "completed_on" varchar(10), "note" text, CONSTRAINT "FK_e2b2c5afe2cf62108a17bfe746c" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table case_flag_set
CREATE TABLE "case_flag_set" ("flag" varchar(32) NOT NULL, "case_id" varchar(36) NOT NULL, PRIMARY KEY ("flag", "case_id"));

-- table case_search
CREATE VIRTUAL TABLE "case_search" USING fts5(names, refs, contacts, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', content = '', contentless_delete = 1);

-- table case_search_config
CREATE TABLE 'case_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table case_search_data
CREATE TABLE 'case_search_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table case_search_docsize
CREATE TABLE 'case_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table case_search_idx
CREATE TABLE 'case_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table claim
CREATE TABLE "claim" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "client_id" varchar(36) NOT NULL, "invoice_number" varchar(60) NOT NULL, "issued_on" varchar(10) NOT NULL, "due_on" varchar(10) NOT NULL, "principal_cents" bigint NOT NULL, "interest_basis" varchar(32) NOT NULL, "contractual_rate_bp" integer, "interest_from" varchar(10), "indemnity_applies" boolean NOT NULL DEFAULT (0), "disputed" boolean NOT NULL DEFAULT (0), "description" text, "prescription_on" varchar(10), CONSTRAINT "FK_e5ed0fb3d6417c9b90bc0fcad60" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table client
CREATE TABLE "client" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "code" varchar(20) NOT NULL, "kind" varchar(32) NOT NULL, "legal_name" varchar(200) NOT NULL, "siren" varchar(9), "acts_professionally" boolean NOT NULL DEFAULT (1), "address_line1" varchar(200) NOT NULL, "address_line2" varchar(200), "postal_code" varchar(10) NOT NULL, "city" varchar(100) NOT NULL, "country" varchar(2) NOT NULL, "contact_name" varchar(120), "contact_email" varchar(254), "contact_phone" varchar(20), "iban" varchar(34), "bic" varchar(11));

-- table collection_case
CREATE TABLE "collection_case" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "reference" varchar(30) NOT NULL, "client_id" varchar(36) NOT NULL, "mandate_id" varchar(36) NOT NULL, "debtor_id" varchar(36) NOT NULL, "collector_id" varchar(36), "phase" varchar(32) NOT NULL, "status" varchar(32) NOT NULL, "suspension_reason" varchar(32), "closure_reason" varchar(32), "priority" varchar(32) NOT NULL, "opened_on" varchar(10) NOT NULL, "closed_on" varchar(10), "next_action_on" varchar(10), "principal_cents" bigint NOT NULL DEFAULT (0), "paid_cents" bigint NOT NULL DEFAULT (0), "balance_cents" bigint NOT NULL DEFAULT (0), "claim_count" integer NOT NULL DEFAULT (0), "oldest_due_on" varchar(10), "last_contact_at" varchar(24), "last_contact_outcome" varchar(32), "debtor_sort_name" varchar(200) NOT NULL DEFAULT (''), "prescription_on" varchar(10), "prescribed_claims" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_91b7f5e8d11f0c2a8f1526ff8ab" FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_ec50638f502b39e9982245db440" FOREIGN KEY ("mandate_id") REFERENCES "mandate" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_55f6144161f2c3e8b938a3d573f" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_59a33b98450fd90dde067c49ab1" FOREIGN KEY ("collector_id") REFERENCES "app_user" ("id") ON DELETE SET NULL ON UPDATE NO ACTION);

-- table debtor
CREATE TABLE "debtor" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "kind" varchar(32) NOT NULL, "civility" varchar(10), "first_name" varchar(100), "last_name" varchar(100), "legal_name" varchar(200), "display_name" varchar(200) NOT NULL, "siren" varchar(9), "siret" varchar(14), "birth_date" varchar(10), "acts_professionally" boolean NOT NULL DEFAULT (0));

-- table debtor_address
CREATE TABLE "debtor_address" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "line1" varchar(200) NOT NULL, "line2" varchar(200), "postal_code" varchar(10) NOT NULL, "city" varchar(100) NOT NULL, "country" varchar(2) NOT NULL, "valid_from" varchar(10) NOT NULL, "valid_to" varchar(10), "source" varchar(100), CONSTRAINT "FK_e48d493bf79967f615d7d4174a5" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table debtor_email
CREATE TABLE "debtor_email" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "address" varchar(254) NOT NULL, "status" varchar(32) NOT NULL, "source" varchar(100), CONSTRAINT "FK_e051bb4a08c4865cf56b8cb7cc6" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table debtor_phone
CREATE TABLE "debtor_phone" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "number" varchar(20) NOT NULL, "kind" varchar(32) NOT NULL, "status" varchar(32) NOT NULL, "status_changed_at" varchar(24), "source" varchar(100), CONSTRAINT "FK_400b66669fa2e55967fa2511e6b" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table document
CREATE TABLE "document" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36), "claim_id" varchar(36), "kind" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "file_name" varchar(255) NOT NULL, "mime_type" varchar(100) NOT NULL, "size_bytes" integer NOT NULL, "sha256" varchar(64) NOT NULL, "storage_path" varchar(500) NOT NULL, "template_code" varchar(60), "template_version" integer, CONSTRAINT "FK_9675dfed34fc8b1f68768fcc778" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table document_template
CREATE TABLE "document_template" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "code" varchar(60) NOT NULL, "version" integer NOT NULL, "name" varchar(200) NOT NULL, "profile" varchar(32) NOT NULL, "default_channel" varchar(32) NOT NULL, "title" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "closing" text NOT NULL, "sms" text NOT NULL, "note" varchar(500));

-- table dunning_action
CREATE TABLE "dunning_action" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "step_id" varchar(36) NOT NULL, "batch_id" varchar(36), "taken_on" varchar(10) NOT NULL, "channel" varchar(32) NOT NULL, "step_name" varchar(120) NOT NULL, "document_id" varchar(36), "journal_entry_id" varchar(36), "sent_on" varchar(10), "tracking_number" varchar(40), "completed_on" varchar(10), "completed_at" varchar(24), CONSTRAINT "FK_e75ad8e0ebb89009a38a824abaa" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_1f3b136e1b8b3360c0b266b5f20" FOREIGN KEY ("step_id") REFERENCES "dunning_step" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table dunning_batch
CREATE TABLE "dunning_batch" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "run_on" varchar(10) NOT NULL, "action_count" integer NOT NULL, "letter_count" integer NOT NULL, "print_path" varchar(500), "print_sha256" varchar(64), "duration_ms" integer NOT NULL DEFAULT (0));

-- table dunning_scenario
CREATE TABLE "dunning_scenario" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(120) NOT NULL, "description" text, "is_default" boolean NOT NULL DEFAULT (0), "active" boolean NOT NULL DEFAULT (1));

-- table dunning_step
CREATE TABLE "dunning_step" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "scenario_id" varchar(36) NOT NULL, "position" integer NOT NULL, "name" varchar(120) NOT NULL, "delay_days" integer NOT NULL, "delay_from" varchar(32) NOT NULL, "channel" varchar(32) NOT NULL, "template_code" varchar(60), "debtor_condition" varchar(32) NOT NULL, "min_balance_cents" bigint, "phase_change" varchar(32), "retired" boolean NOT NULL DEFAULT (0), CONSTRAINT "FK_848e39b9d033e37361f3047cd7c" FOREIGN KEY ("scenario_id") REFERENCES "dunning_scenario" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table ecb_refinancing_rate
CREATE TABLE "ecb_refinancing_rate" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "semester" varchar(7) NOT NULL, "ecb_rate_bp" integer NOT NULL, "source" varchar(200));

-- table email_attempt
CREATE TABLE "email_attempt" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "letter_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "document_id" varchar(36) NOT NULL, "batch_id" varchar(36), "message_id" varchar(255), "recipient" varchar(254) NOT NULL, "status" varchar(32) NOT NULL, "failure_reason" text);

-- table import_batch
CREATE TABLE "import_batch" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "client_id" varchar(36) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT, "mandate_id" varchar(36) NOT NULL REFERENCES "mandate" ("id") ON DELETE RESTRICT, "file_name" varchar(255) NOT NULL, "file_sha256" varchar(64) NOT NULL, "mapping" text NOT NULL, "counts" text NOT NULL, "status" varchar(32) NOT NULL, "undone_at" varchar(24), "undone_by" varchar(36));

-- table import_batch_record
CREATE TABLE "import_batch_record" ("batch_id" varchar(36) NOT NULL REFERENCES "import_batch" ("id") ON DELETE CASCADE, "kind" varchar(16) NOT NULL, "record_id" varchar(36) NOT NULL, "case_version" integer, PRIMARY KEY ("batch_id", "kind", "record_id"));

-- table insolvency_proceeding
CREATE TABLE "insolvency_proceeding" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "debtor_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "judgment_on" varchar(10) NOT NULL, "bodacc_published_on" varchar(10), "notice_received_on" varchar(10), "court" varchar(200), "reference" varchar(100), "administrator" varchar(300), "comment" text, "recorded_case_id" varchar(36), CONSTRAINT "FK_aa986862e1e06e62f63862dc62c" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table installment
CREATE TABLE "installment" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "plan_id" varchar(36) NOT NULL, "sequence" integer NOT NULL, "due_on" varchar(10) NOT NULL, "amount_cents" bigint NOT NULL, "paid_cents" bigint NOT NULL DEFAULT (0), "status" varchar(32) NOT NULL, CONSTRAINT "FK_c848f86d22b51d3a12396e3bc84" FOREIGN KEY ("plan_id") REFERENCES "payment_plan" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table journal_entry
CREATE TABLE "journal_entry" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "occurred_at" varchar(24) NOT NULL, "author_id" varchar(36), "summary" text NOT NULL, "details" text, "corrects_entry_id" varchar(36), "related_id" varchar(36), CONSTRAINT "FK_dd9094d45933c6b301e5648137f" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table legal_event
CREATE TABLE "legal_event" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36) NOT NULL, "claim_id" varchar(36), "kind" varchar(32) NOT NULL, "occurred_on" varchar(10) NOT NULL, "enforceable_on" varchar(10), "court" varchar(200), "reference" varchar(100), "note" text, CONSTRAINT "FK_2722990a5661daab91ffa2d3829" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_66da497da78cd44830efc87fa01" FOREIGN KEY ("claim_id") REFERENCES "claim" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table legal_interest_rate
CREATE TABLE "legal_interest_rate" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "semester" varchar(7) NOT NULL, "creditor_individual_bp" integer NOT NULL, "other_cases_bp" integer NOT NULL, "source" varchar(200));

-- table letter
CREATE TABLE "letter" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "document_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "template_code" varchar(60) NOT NULL, "template_version" integer NOT NULL, "reference" varchar(60) NOT NULL, "letter_date" varchar(10) NOT NULL, "channel" varchar(32) NOT NULL, "demand" boolean NOT NULL DEFAULT (0), "batch_id" varchar(36), "status" varchar(32) NOT NULL, "sent_on" varchar(10), "tracking_number" varchar(40), "recipient" varchar(254), "text" text NOT NULL);

-- table mandate
CREATE TABLE "mandate" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "client_id" varchar(36) NOT NULL, "reference" varchar(40) NOT NULL, "signed_on" varchar(10) NOT NULL, "ends_on" varchar(10), "status" varchar(32) NOT NULL, "commission_rate_bp" integer NOT NULL, "fixed_fee_cents" bigint NOT NULL DEFAULT (0), "scope" text NOT NULL, "liability_guarantee" text NOT NULL, "fee_terms" text NOT NULL, "remittance_terms" text NOT NULL, "remittance_delay_days" integer NOT NULL DEFAULT (30), "dunning_scenario_code" varchar(40), CONSTRAINT "FK_0387d3bc241b3d344c6ff9f4c7b" FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table payment
CREATE TABLE "payment" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "case_id" varchar(36) NOT NULL, "received_on" varchar(10) NOT NULL, "amount_cents" bigint NOT NULL, "method" varchar(32) NOT NULL, "reference" varchar(100), "received_by" varchar(32) NOT NULL, "collected_on" varchar(10), "reverses_payment_id" varchar(36), "note" text, CONSTRAINT "FK_0ceb928a6719b058eb8bb6d57e1" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table payment_document_job
CREATE TABLE "payment_document_job" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "payment_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "status" varchar(32) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" varchar(24), "last_error" text, "receipt_letter_id" varchar(36), "notice_letter_id" varchar(36));

-- table payment_plan
CREATE TABLE "payment_plan" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "status" varchar(32) NOT NULL, "total_cents" bigint NOT NULL, "down_payment_cents" bigint NOT NULL DEFAULT (0), "installment_count" integer NOT NULL, "frequency" varchar(32) NOT NULL, "first_due_on" varchar(10) NOT NULL, "interest_mode" varchar(32) NOT NULL, "agreed_on" varchar(10), "ended_on" varchar(10), CONSTRAINT "FK_9f7dd3ae93015c11410765ee2c2" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table payment_promise
CREATE TABLE "payment_promise" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "case_id" varchar(36) NOT NULL, "amount_cents" bigint NOT NULL, "due_on" varchar(10) NOT NULL, "made_on" varchar(10) NOT NULL, "status" varchar(32) NOT NULL, "journal_entry_id" varchar(36), CONSTRAINT "FK_54ac578c685ba72ddb6aa84a3a7" FOREIGN KEY ("case_id") REFERENCES "collection_case" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table remittance
CREATE TABLE "remittance" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "updated_at" varchar(24) NOT NULL, "updated_by" varchar(36), "version" integer NOT NULL, "reference" varchar(30) NOT NULL, "client_id" varchar(36) NOT NULL, "period_from" varchar(10) NOT NULL, "period_to" varchar(10) NOT NULL, "agency_collected_cents" bigint NOT NULL, "client_collected_cents" bigint NOT NULL, "commission_cents" bigint NOT NULL, "vat_rate_bp" integer NOT NULL, "vat_cents" bigint NOT NULL, "net_cents" bigint NOT NULL, "due_on" varchar(10) NOT NULL, "status" varchar(32) NOT NULL, "paid_on" varchar(10), "transfer_reference" varchar(100), CONSTRAINT "FK_5a01f28db90dac65ddf7e78d1ab" FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table remittance_line
CREATE TABLE "remittance_line" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "remittance_id" varchar(36) NOT NULL, "payment_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, "received_by" varchar(32) NOT NULL, "collected_on" varchar(10) NOT NULL, "amount_cents" bigint NOT NULL, "commission_rate_bp" integer NOT NULL, "commission_cents" bigint NOT NULL, "due_on" varchar(10) NOT NULL, CONSTRAINT "FK_def1061442aabbc966b74ebaec4" FOREIGN KEY ("remittance_id") REFERENCES "remittance" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_904d27e4cbfea569b9a14950eab" FOREIGN KEY ("payment_id") REFERENCES "payment" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION);

-- table schema_migration
CREATE TABLE "schema_migration" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "timestamp" bigint NOT NULL, "name" varchar NOT NULL);

-- table search_case_doc
CREATE TABLE "search_case_doc" ("case_rowid" integer PRIMARY KEY NOT NULL, "case_id" varchar(36) NOT NULL);

-- table solvency_assessment
CREATE TABLE "solvency_assessment" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "debtor_id" varchar(36) NOT NULL, "case_id" varchar(36), "assessment" varchar(32) NOT NULL, "monthly_capacity_cents" bigint, "comment" text, "assessed_on" varchar(10) NOT NULL, CONSTRAINT "FK_0520358e1664a3ec02f2331ed0b" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table solvency_note
CREATE TABLE "solvency_note" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "debtor_id" varchar(36) NOT NULL, "case_id" varchar(36), "category" varchar(32) NOT NULL, "summary" text NOT NULL, "amount_cents" bigint, "observed_on" varchar(10) NOT NULL, "source" varchar(100), "supersedes_note_id" varchar(36), "facts" text, CONSTRAINT "FK_108a53709e27f055cfd4d269c7d" FOREIGN KEY ("debtor_id") REFERENCES "debtor" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);

-- table sync_base
CREATE TABLE "sync_base" ("table_name" varchar(64) NOT NULL, "row_id" varchar(200) NOT NULL, "version" integer, "row_json" text, PRIMARY KEY ("table_name", "row_id"));

-- table sync_checkout
CREATE TABLE "sync_checkout" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "created_by" varchar(36), "collector_id" varchar(36) NOT NULL, "device_id" varchar(100) NOT NULL, "label" varchar(200) NOT NULL, "status" varchar(16) NOT NULL, "case_count" integer NOT NULL, "last_sync_at" varchar(24), "open_conflicts" integer NOT NULL DEFAULT (0));

-- table sync_checkout_case
CREATE TABLE "sync_checkout_case" ("checkout_id" varchar(36) NOT NULL, "case_id" varchar(36) NOT NULL, PRIMARY KEY ("checkout_id", "case_id"));

-- table sync_conflict
CREATE TABLE "sync_conflict" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" varchar(24) NOT NULL, "table_name" varchar(64) NOT NULL, "row_id" varchar(200) NOT NULL, "case_id" varchar(36), "kind" varchar(16) NOT NULL, "label" varchar(300) NOT NULL, "columns" text NOT NULL, "office_version" integer NOT NULL, "office_row_json" text NOT NULL, "status" varchar(16) NOT NULL, "resolution" varchar(16), "resolved_at" varchar(24), "resolved_by" varchar(36));

-- table sync_marker
CREATE TABLE "sync_marker" ("id" varchar(36) PRIMARY KEY NOT NULL, "office_location" varchar(500) NOT NULL, "device_id" varchar(100) NOT NULL, "collector_id" varchar(36) NOT NULL, "label" varchar(200) NOT NULL, "checked_out_at" varchar(24) NOT NULL, "last_sync_at" varchar(24), "cursor" text, "last_run_status" varchar(16) NOT NULL, "last_error" text);

-- trigger trg_allocation_no_delete
CREATE TRIGGER "trg_allocation_no_delete" BEFORE DELETE ON "allocation" BEGIN SELECT RAISE(ABORT, 'allocation is append-only'); END;

-- trigger trg_allocation_no_update
CREATE TRIGGER "trg_allocation_no_update" BEFORE UPDATE ON "allocation" BEGIN SELECT RAISE(ABORT, 'allocation is append-only'); END;

-- trigger trg_audit_entry_no_delete
CREATE TRIGGER "trg_audit_entry_no_delete" BEFORE DELETE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;

-- trigger trg_audit_entry_no_update
CREATE TRIGGER "trg_audit_entry_no_update" BEFORE UPDATE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;

-- trigger trg_audit_personal_no_update
CREATE TRIGGER "trg_audit_personal_no_update" BEFORE UPDATE ON "audit_personal" BEGIN SELECT RAISE(ABORT, 'audit_personal is append-only (rows are only erased)'); END;

-- trigger trg_case_flag_installment_delete
CREATE TRIGGER "trg_case_flag_installment_delete" AFTER DELETE ON "installment" WHEN OLD.status = 'missed' BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id);
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id), 'plan_in_default' WHERE (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id) IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id)
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
  END;

-- trigger trg_case_flag_installment_insert
CREATE TRIGGER "trg_case_flag_installment_insert" AFTER INSERT ON "installment" WHEN NEW.status = 'missed' BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id);
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id), 'plan_in_default' WHERE (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id) IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id)
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
  END;

-- trigger trg_case_flag_installment_update
CREATE TRIGGER "trg_case_flag_installment_update" AFTER UPDATE OF "status", "plan_id" ON "installment"
    WHEN OLD.status IS NOT NEW.status OR OLD.plan_id IS NOT NEW.plan_id BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id);
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id), 'plan_in_default' WHERE (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id) IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = (SELECT case_id FROM payment_plan WHERE id = OLD.plan_id)
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id);
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id), 'plan_in_default' WHERE (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id) IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = (SELECT case_id FROM payment_plan WHERE id = NEW.plan_id)
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
  END;

-- trigger trg_case_flag_plan_delete
CREATE TRIGGER "trg_case_flag_plan_delete" AFTER DELETE ON "payment_plan" BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = OLD.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT OLD.case_id, 'plan_in_default' WHERE OLD.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = OLD.case_id
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
  END;

-- trigger trg_case_flag_plan_insert
CREATE TRIGGER "trg_case_flag_plan_insert" AFTER INSERT ON "payment_plan" BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = NEW.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT NEW.case_id, 'plan_in_default' WHERE NEW.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = NEW.case_id
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
  END;

-- trigger trg_case_flag_plan_update
CREATE TRIGGER "trg_case_flag_plan_update" AFTER UPDATE OF "status", "case_id", "created_at" ON "payment_plan" BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = OLD.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT OLD.case_id, 'plan_in_default' WHERE OLD.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = OLD.case_id
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'plan_in_default' AND "case_id" = NEW.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT NEW.case_id, 'plan_in_default' WHERE NEW.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = NEW.case_id
  AND ((pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
      AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
    OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))));
  END;

-- trigger trg_case_flag_promise_delete
CREATE TRIGGER "trg_case_flag_promise_delete" AFTER DELETE ON "payment_promise" BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'broken_promise' AND "case_id" = OLD.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT OLD.case_id, 'broken_promise' WHERE OLD.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_promise p WHERE p.case_id = OLD.case_id
  AND p.status = 'broken' AND NOT EXISTS (SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id
    AND q.status IN ('kept', 'pending')
    AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at))));
  END;

-- trigger trg_case_flag_promise_insert
CREATE TRIGGER "trg_case_flag_promise_insert" AFTER INSERT ON "payment_promise" BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'broken_promise' AND "case_id" = NEW.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT NEW.case_id, 'broken_promise' WHERE NEW.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_promise p WHERE p.case_id = NEW.case_id
  AND p.status = 'broken' AND NOT EXISTS (SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id
    AND q.status IN ('kept', 'pending')
    AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at))));
  END;

-- trigger trg_case_flag_promise_update
CREATE TRIGGER "trg_case_flag_promise_update" AFTER UPDATE OF "status", "case_id", "made_on", "created_at" ON "payment_promise" BEGIN
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'broken_promise' AND "case_id" = OLD.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT OLD.case_id, 'broken_promise' WHERE OLD.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_promise p WHERE p.case_id = OLD.case_id
  AND p.status = 'broken' AND NOT EXISTS (SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id
    AND q.status IN ('kept', 'pending')
    AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at))));
    
  DELETE FROM "case_flag_set" WHERE "flag" = 'broken_promise' AND "case_id" = NEW.case_id;
  INSERT INTO "case_flag_set" ("case_id", "flag") SELECT NEW.case_id, 'broken_promise' WHERE NEW.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM payment_promise p WHERE p.case_id = NEW.case_id
  AND p.status = 'broken' AND NOT EXISTS (SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id
    AND q.status IN ('kept', 'pending')
    AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at))));
  END;

-- trigger trg_document_no_delete
CREATE TRIGGER "trg_document_no_delete" BEFORE DELETE ON "document" BEGIN SELECT RAISE(ABORT, 'document is append-only'); END;

-- trigger trg_document_no_update
CREATE TRIGGER "trg_document_no_update" BEFORE UPDATE ON "document" BEGIN SELECT RAISE(ABORT, 'document is append-only'); END;

-- trigger trg_document_template_no_delete
CREATE TRIGGER "trg_document_template_no_delete" BEFORE DELETE ON "document_template" BEGIN SELECT RAISE(ABORT, 'document_template is append-only'); END;

-- trigger trg_document_template_no_update
CREATE TRIGGER "trg_document_template_no_update" BEFORE UPDATE ON "document_template" BEGIN SELECT RAISE(ABORT, 'document_template is append-only'); END;

-- trigger trg_journal_entry_no_delete
CREATE TRIGGER "trg_journal_entry_no_delete" BEFORE DELETE ON "journal_entry" BEGIN SELECT RAISE(ABORT, 'journal_entry is append-only'); END;

-- trigger trg_journal_entry_no_update
CREATE TRIGGER "trg_journal_entry_no_update" BEFORE UPDATE ON "journal_entry" BEGIN SELECT RAISE(ABORT, 'journal_entry is append-only'); END;

-- trigger trg_legal_event_no_delete
CREATE TRIGGER "trg_legal_event_no_delete" BEFORE DELETE ON "legal_event" BEGIN SELECT RAISE(ABORT, 'legal_event is append-only'); END;

-- trigger trg_legal_event_no_update
CREATE TRIGGER "trg_legal_event_no_update" BEFORE UPDATE ON "legal_event" BEGIN SELECT RAISE(ABORT, 'legal_event is append-only'); END;

-- trigger trg_payment_no_delete
CREATE TRIGGER "trg_payment_no_delete" BEFORE DELETE ON "payment" BEGIN SELECT RAISE(ABORT, 'payment is append-only'); END;

-- trigger trg_payment_no_update
CREATE TRIGGER "trg_payment_no_update" BEFORE UPDATE ON "payment" BEGIN SELECT RAISE(ABORT, 'payment is append-only'); END;

-- trigger trg_remittance_line_no_delete
CREATE TRIGGER "trg_remittance_line_no_delete" BEFORE DELETE ON "remittance_line" BEGIN SELECT RAISE(ABORT, 'remittance_line is append-only'); END;

-- trigger trg_remittance_line_no_update
CREATE TRIGGER "trg_remittance_line_no_update" BEFORE UPDATE ON "remittance_line" BEGIN SELECT RAISE(ABORT, 'remittance_line is append-only'); END;

-- trigger trg_solvency_assessment_no_delete
CREATE TRIGGER "trg_solvency_assessment_no_delete" BEFORE DELETE ON "solvency_assessment" BEGIN SELECT RAISE(ABORT, 'solvency_assessment is append-only'); END;

-- trigger trg_solvency_assessment_no_update
CREATE TRIGGER "trg_solvency_assessment_no_update" BEFORE UPDATE ON "solvency_assessment" BEGIN SELECT RAISE(ABORT, 'solvency_assessment is append-only'); END;

-- trigger trg_solvency_note_no_delete
CREATE TRIGGER "trg_solvency_note_no_delete" BEFORE DELETE ON "solvency_note" BEGIN SELECT RAISE(ABORT, 'solvency_note is append-only'); END;

-- trigger trg_solvency_note_no_update
CREATE TRIGGER "trg_solvency_note_no_update" BEFORE UPDATE ON "solvency_note" BEGIN SELECT RAISE(ABORT, 'solvency_note is append-only'); END;
