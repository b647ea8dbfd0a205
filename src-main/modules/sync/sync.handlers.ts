import { AppError } from '@shared/contract/errors'
import { CASE_PAGE_MAX, type SessionUser, type SyncCheckoutInput } from '@shared/contract'
import type { HandlerGroup } from '../../ipc/handlers'
import type { CasesService } from '../cases/cases.service'
import type { PortfolioViewsService } from '../portfolio/portfolio-views.service'
import type { UsersService } from '../users/users.service'
import { CaseEntity } from '../cases/case.entity'
import { ClientEntity } from '../clients/client.entity'
import { officeLocationOf, type SyncService } from './sync.service'

/** The cases and the label of a checkout, from its selection, as the caller may see them. */
export async function checkoutSelection(
  deps: { sync: SyncService; cases: CasesService; views: PortfolioViewsService; users: UsersService },
  input: SyncCheckoutInput,
  user: SessionUser
): Promise<{ caseIds: string[]; label: string }> {
  const db = deps.sync.database
  if (user.role === 'collector' && input.collectorId !== user.id) {
    throw new AppError(
      'FORBIDDEN',
      'Un collaborateur ne peut emporter des dossiers que pour lui-même.',
      'Checkout for another user'
    )
  }
  const ownOnly = user.role === 'collector' && !(await deps.users.portfolioOpenToCollectors())
  if (input.clientId) {
    const client = await db.read((m) => m.findOne(ClientEntity, { where: { id: input.clientId } }))
    if (!client) throw new AppError('NOT_FOUND', 'Client introuvable.', `Client ${input.clientId} not found`)
    const rows = await db.read((m) => {
      const qb = m
        .createQueryBuilder(CaseEntity, 'c')
        .select('c.id', 'id')
        .where('c.client_id = :client', { client: client.id })
        .andWhere("c.status <> 'closed'")
      if (ownOnly) qb.andWhere('c.collector_id = :me', { me: user.id })
      return qb.orderBy('c.reference', 'ASC').getRawMany<{ id: string }>()
    })
    return { caseIds: rows.map((r) => r.id), label: `${client.legalName} — portefeuille` }
  }
  if (input.viewId) {
    const view = (await deps.views.list(user)).find((v) => v.id === input.viewId)
    if (!view) throw new AppError('NOT_FOUND', 'Vue enregistrée introuvable.', `View ${input.viewId} not found`)
    const filters = ownOnly ? { ...view.filters, mine: true } : view.filters
    const ids: string[] = []
    for (let offset = 0; ; offset += CASE_PAGE_MAX) {
      const page = await deps.cases.list({ offset, limit: CASE_PAGE_MAX, sort: view.sort, filters }, user)
      ids.push(...page.rows.map((r) => r.id))
      if (page.rows.length < CASE_PAGE_MAX || ids.length >= 20_000) break
    }
    return { caseIds: ids, label: `Vue « ${view.name} »` }
  }
  const caseIds = [...new Set(input.caseIds ?? [])]
  return { caseIds, label: `Sélection de ${caseIds.length} dossier(s)` }
}

export function syncHandlers(deps: {
  sync: SyncService
  cases: CasesService
  views: PortfolioViewsService
  users: UsersService
}): HandlerGroup<
  | 'sync:status'
  | 'sync:checkouts'
  | 'sync:checked-out-cases'
  | 'sync:checkout'
  | 'sync:run'
  | 'sync:resolve'
  | 'sync:return'
> {
  return {
    'sync:status': () => deps.sync.status(),
    'sync:checkouts': () => deps.sync.listCheckouts(),
    'sync:checked-out-cases': () => deps.sync.checkedOutCases(),
    'sync:checkout': async (input, ctx) => {
      const { caseIds, label } = await checkoutSelection(deps, input, ctx.user)
      return deps.sync.checkout(
        { ...input, caseIds, label, officeLocation: officeLocationOf(deps.sync.database) },
        ctx.user.id
      )
    },
    'sync:run': () => deps.sync.run(),
    'sync:resolve': (input, ctx) => deps.sync.resolve(input, ctx.user.id),
    'sync:return': () => deps.sync.returnCheckout()
  }
}
