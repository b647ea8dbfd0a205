import type { ClientSummary } from '@shared/contract'
import type { Database } from '../../db/database'

export class ClientsService {
  constructor(private readonly db: Database) {}

  async list(): Promise<ClientSummary[]> {
    return this.db.read(async (manager) => {
      const rows: Array<{
        id: string
        code: string
        legal_name: string
        kind: ClientSummary['kind']
        siren: string | null
        city: string | null
        open_case_count: number
      }> = await manager
        .createQueryBuilder()
        .select(['cl.id AS id', 'cl.code AS code', 'cl.legal_name AS legal_name', 'cl.kind AS kind'])
        .addSelect(['cl.siren AS siren', 'cl.city AS city'])
        .addSelect(
          (sub) =>
            sub
              .select('COUNT(*)')
              .from('collection_case', 'c')
              .where('c.client_id = cl.id')
              .andWhere("c.status <> 'closed'"),
          'open_case_count'
        )
        .from('client', 'cl')
        .orderBy('cl.legal_name', 'ASC')
        .getRawMany()
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        legalName: r.legal_name,
        kind: r.kind,
        siren: r.siren,
        city: r.city,
        openCaseCount: Number(r.open_case_count)
      }))
    })
  }
}
