import type { EntityManager } from 'typeorm'
import {
  AppError,
  caseListFiltersSchema,
  caseSortSchema,
  notFound,
  PORTFOLIO_VIEWS_MAX,
  type ChannelParsedInput,
  type PortfolioView,
  type SessionUser
} from '@shared/contract'
import { uuid7 } from '@shared/ids/uuid7'
import { z } from 'zod'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import { SettingEntity } from '../settings/setting.entity'

/** Built-in views: what every user starts with, until they change their list. */
export const BUILT_IN_VIEWS: readonly PortfolioView[] = [
  {
    id: '0192f000-0000-7000-8000-00000000a001',
    name: 'Mes relances du jour',
    filters: { mine: true, statuses: ['open'], nextActionDue: true },
    sort: { field: 'nextActionOn', direction: 'asc' }
  },
  {
    id: '0192f000-0000-7000-8000-00000000a002',
    name: 'Portefeuille en cours',
    filters: { statuses: ['open', 'suspended'] },
    sort: { field: 'daysPastDue', direction: 'desc' }
  },
  {
    id: '0192f000-0000-7000-8000-00000000a003',
    name: 'Promesses non tenues',
    filters: { statuses: ['open'], brokenPromise: true },
    sort: { field: 'balance', direction: 'desc' }
  },
  {
    id: '0192f000-0000-7000-8000-00000000a004',
    name: 'Échéanciers défaillants',
    filters: { statuses: ['open', 'suspended'], planInDefault: true },
    sort: { field: 'balance', direction: 'desc' }
  },
  {
    id: '0192f000-0000-7000-8000-00000000a005',
    name: 'Plus de 180 jours de retard',
    filters: { statuses: ['open'], ageBuckets: ['181+'] },
    sort: { field: 'balance', direction: 'desc' }
  }
]

const storedViewsSchema = z.array(
  z.object({ id: z.string(), name: z.string(), filters: caseListFiltersSchema, sort: caseSortSchema })
)

function settingKey(userId: string): string {
  return `portfolio.views.${userId}`
}

/**
 * Saved portfolio views, per user, as one JSON list in app_setting. A user who never changed
 * their list sees the built-in views; the first change stores the whole list, so a deleted
 * built-in view stays deleted.
 */
export class PortfolioViewsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  list(user: SessionUser): Promise<PortfolioView[]> {
    return this.db.read((manager) => this.load(manager, user))
  }

  create(input: ChannelParsedInput<'portfolio:create-view'>, user: SessionUser): Promise<PortfolioView> {
    return this.db.write(async (manager) => {
      const views = await this.load(manager, user)
      if (views.length >= PORTFOLIO_VIEWS_MAX) {
        throw new AppError(
          'BUSINESS_RULE',
          `Vous avez déjà ${PORTFOLIO_VIEWS_MAX} vues : supprimez-en une avant d’en créer une autre.`,
          'Too many portfolio views'
        )
      }
      assertUniqueName(views, input.name, null)
      const view: PortfolioView = { id: uuid7(), name: input.name, filters: input.filters, sort: input.sort }
      await this.store(manager, user, [...views, view])
      return view
    })
  }

  update(input: ChannelParsedInput<'portfolio:update-view'>, user: SessionUser): Promise<PortfolioView> {
    return this.db.write(async (manager) => {
      const views = await this.load(manager, user)
      const index = views.findIndex((v) => v.id === input.id)
      if (index < 0) throw notFound('PortfolioView', input.id, 'Vue')
      if (input.name !== undefined) assertUniqueName(views, input.name, input.id)
      const current = views[index]!
      const view: PortfolioView = {
        id: current.id,
        name: input.name ?? current.name,
        filters: input.filters ?? current.filters,
        sort: input.sort ?? current.sort
      }
      views[index] = view
      await this.store(manager, user, views)
      return view
    })
  }

  delete(id: string, user: SessionUser): Promise<PortfolioView[]> {
    return this.db.write(async (manager) => {
      const views = await this.load(manager, user)
      if (!views.some((v) => v.id === id)) throw notFound('PortfolioView', id, 'Vue')
      const left = views.filter((v) => v.id !== id)
      await this.store(manager, user, left)
      return left
    })
  }

  private async load(manager: EntityManager, user: SessionUser): Promise<PortfolioView[]> {
    const setting = await manager.findOne(SettingEntity, { where: { key: settingKey(user.id) } })
    if (!setting) return BUILT_IN_VIEWS.map((view) => structuredClone(view))
    let raw: unknown
    try {
      raw = JSON.parse(setting.value)
    } catch {
      raw = null
    }
    const parsed = storedViewsSchema.safeParse(raw)
    if (parsed.success) return parsed.data
    // A list written by a later version (or damaged): keep the views that still make sense.
    log.warn(`Portfolio views of user ${user.id} partly unreadable; ignoring invalid entries`)
    const views: PortfolioView[] = []
    for (const item of Array.isArray(raw) ? raw : []) {
      const one = storedViewsSchema.element.safeParse(item)
      if (one.success) views.push(one.data)
    }
    return views
  }

  private async store(manager: EntityManager, user: SessionUser, views: PortfolioView[]): Promise<void> {
    await manager.save(SettingEntity, {
      key: settingKey(user.id),
      value: JSON.stringify(views),
      updatedAt: this.clock.now().toISOString(),
      updatedBy: user.id
    })
  }
}

function assertUniqueName(views: readonly PortfolioView[], name: string, exceptId: string | null): void {
  const folded = name.toLocaleLowerCase('fr')
  if (views.some((v) => v.id !== exceptId && v.name.toLocaleLowerCase('fr') === folded)) {
    throw new AppError('CONFLICT', `Une vue s’appelle déjà « ${name} ».`, 'Duplicate portfolio view name')
  }
}
