import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * PostgreSQL only (agency mode): the audit chain's last link, read under the chain's advisory
 * lock in ONE round trip (flushAudit). A plain `SELECT pg_advisory_xact_lock(…), (SELECT …)`
 * would read with the snapshot taken before the lock was granted, missing the previous holder's
 * entries; a VOLATILE function's query takes its own snapshot after the PERFORM, under READ
 * COMMITTED, so it sees every entry committed before the lock was granted.
 */
export class PgAuditChainHead1763861520002 implements MigrationInterface {
  name = 'PgAuditChainHead1763861520002'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION recouvra_audit_chain_head(lock_key bigint)
RETURNS TABLE (seq integer, hash varchar) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY SELECT a.seq, a.hash FROM audit_entry a ORDER BY a.seq DESC LIMIT 1;
END
$$`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION recouvra_audit_chain_head(bigint)')
  }
}
