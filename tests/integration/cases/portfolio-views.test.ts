import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcCallError } from '@shared/contract'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { BUILT_IN_VIEWS } from '../../../src-main/modules/portfolio/portfolio-views.service'
import { openTempApp } from '../helpers/temp-app'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

async function refusal(promise: Promise<unknown>): Promise<RpcCallError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RpcCallError)
  return error as RpcCallError
}

describe('saved portfolio views', () => {
  it('start with the built-in views, "Mes relances du jour" first', async () => {
    const views = await app.call('portfolio:list-views', {})
    expect(views.map((v) => v.name)).toEqual(BUILT_IN_VIEWS.map((v) => v.name))
    expect(views[0]).toMatchObject({ name: 'Mes relances du jour', filters: { mine: true, nextActionDue: true } })
    // Every built-in view is a valid cases:list query.
    for (const view of views) {
      await expect(app.call('cases:list', { limit: 1, filters: view.filters, sort: view.sort })).resolves.toBeTruthy()
    }
  })

  it('are created, renamed, updated and deleted, and survive a restart of the list', async () => {
    const created = await app.call('portfolio:create-view', {
      name: 'Gros soldes en judiciaire',
      filters: { phases: ['judicial'], balanceMinCents: 500_000 },
      sort: { field: 'balance', direction: 'desc' }
    })
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    let views = await app.call('portfolio:list-views', {})
    expect(views.at(-1)).toEqual(created)

    const renamed = await app.call('portfolio:update-view', { id: created.id, name: 'Judiciaire > 5 000 €' })
    expect(renamed).toEqual({ ...created, name: 'Judiciaire > 5 000 €' })
    const resorted = await app.call('portfolio:update-view', {
      id: created.id,
      sort: { field: 'daysPastDue', direction: 'desc' },
      filters: { phases: ['judicial', 'enforcement'] }
    })
    expect(resorted).toMatchObject({
      name: 'Judiciaire > 5 000 €',
      sort: { field: 'daysPastDue', direction: 'desc' },
      filters: { phases: ['judicial', 'enforcement'] }
    })

    // Deleting a built-in view is remembered: the list is the user's own from the first change.
    const left = await app.call('portfolio:delete-view', { id: BUILT_IN_VIEWS[2]!.id })
    expect(left.map((v) => v.id)).not.toContain(BUILT_IN_VIEWS[2]!.id)
    views = await app.call('portfolio:list-views', {})
    expect(views).toEqual(left)
    expect(views.at(-1)!.name).toBe('Judiciaire > 5 000 €')
  })

  it('refuse duplicate names, unknown ids and invalid filters with French messages', async () => {
    const duplicate = await refusal(
      app.call('portfolio:create-view', {
        name: 'mes relances du jour',
        filters: {},
        sort: { field: 'reference', direction: 'asc' }
      })
    )
    expect(duplicate.code).toBe('CONFLICT')
    expect(duplicate.message).toContain('Une vue s’appelle déjà')
    const missing = await refusal(app.call('portfolio:delete-view', { id: '0192f000-0000-7000-8000-0000000000ff' }))
    expect(missing.code).toBe('NOT_FOUND')
    const invalid = await refusal(
      app.call('portfolio:create-view', {
        name: 'Inversée',
        filters: { balanceMinCents: 10_000, balanceMaxCents: 100 },
        sort: { field: 'reference', direction: 'asc' }
      })
    )
    expect(invalid.code).toBe('VALIDATION')
    const empty = await refusal(
      app.call('portfolio:create-view', { name: '  ', filters: {}, sort: { field: 'reference', direction: 'asc' } })
    )
    expect(empty.code).toBe('VALIDATION')
  })

  it('belong to one user: another session user starts from the built-in views', async () => {
    const admin = await app.call('session:current', {})
    await app.db.write(async (manager) => {
      await manager.query(
        `INSERT INTO app_user (id, created_at, updated_at, version, login, display_name, role, active) VALUES ('0192f000-0000-7000-8000-0000000000c1', '2026-11-23T09:00:00.000Z', '2026-11-23T09:00:00.000Z', 1, 'cbernard', 'Claire Bernard', 'collector', TRUE)`
      )
    })
    const claire = {
      id: '0192f000-0000-7000-8000-0000000000c1',
      displayName: 'Claire Bernard',
      role: 'collector' as const
    }
    const hers = await app.services.portfolioViews.list(claire)
    expect(hers.map((v) => v.id)).toEqual(BUILT_IN_VIEWS.map((v) => v.id))
    const mine = await app.services.portfolioViews.list(admin)
    expect(mine.map((v) => v.id)).not.toEqual(BUILT_IN_VIEWS.map((v) => v.id))
  })
})
