import { uuid7 } from '@shared/ids/uuid7'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { CaseEntity } from '../../../src-main/modules/cases/case.entity'
import { DebtorAddressEntity, DebtorPhoneEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { UserEntity } from '../../../src-main/modules/users/user.entity'
import { SettingEntity } from '../../../src-main/modules/settings/setting.entity'
import { TEST_NOW } from '../helpers/temp-app'
import { CONSUMER, seedCase, type PartySpec, type SeededCase } from '../money/fixtures'

const stamp = { createdAt: TEST_NOW, createdBy: null, updatedAt: TEST_NOW, updatedBy: null, version: 1 }

export interface WorkspaceCase extends SeededCase {
  phoneIds: string[]
  version: number
}

let users = 0

export async function seedUser(app: RecouvraApp, role: 'collector' | 'manager' = 'collector'): Promise<string> {
  const id = uuid7()
  const n = ++users
  await app.db.write((m) =>
    m.insert(UserEntity, {
      id,
      ...stamp,
      login: `user${n}-${id.slice(-4)}`,
      displayName: `Chargé ${n}`,
      email: null,
      role,
      active: true,
      passwordHash: null
    })
  )
  return id
}

/** The app acts as this user from now on (the session user setting). */
export async function actAs(app: RecouvraApp, userId: string | null): Promise<void> {
  await app.db.write(async (m) => {
    await m.delete(SettingEntity, { key: 'session.userId' })
    if (userId) {
      await m.insert(SettingEntity, {
        key: 'session.userId',
        value: JSON.stringify(userId),
        updatedAt: TEST_NOW,
        updatedBy: null
      })
    }
  })
}

/**
 * A case with a 1 000 € claim, a debtor living in Paris with two phones (a mobile and a
 * landline, unverified), assigned to `collectorId` if given.
 */
export async function seedWorkspaceCase(
  app: RecouvraApp,
  options: {
    debtor?: PartySpec
    collectorId?: string | null
    client?: { clientId: string; mandateId: string }
    principalCents?: number
    postalCode?: string
  } = {}
): Promise<WorkspaceCase> {
  const seeded = await seedCase(app, {
    claims: [{ principalCents: options.principalCents ?? 100_000, dueOn: '2026-03-15' }],
    debtor: options.debtor ?? CONSUMER,
    ...(options.client ? { client: options.client } : {})
  })
  const phoneIds = [uuid7(), uuid7()]
  await app.db.write(async (m) => {
    await m.insert(DebtorAddressEntity, {
      id: uuid7(),
      ...stamp,
      debtorId: seeded.debtorId,
      line1: '12 rue des Lilas',
      line2: null,
      postalCode: options.postalCode ?? '75011',
      city: 'Paris',
      country: 'FR',
      validFrom: '2020-01-01',
      validTo: null,
      source: 'Client'
    })
    await m.insert(DebtorPhoneEntity, [
      {
        id: phoneIds[0]!,
        ...stamp,
        debtorId: seeded.debtorId,
        number: `+336${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        kind: 'mobile',
        status: 'unverified',
        statusChangedAt: null,
        source: 'Client'
      },
      {
        id: phoneIds[1]!,
        ...stamp,
        debtorId: seeded.debtorId,
        number: `+331${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        kind: 'landline',
        status: 'unverified',
        statusChangedAt: null,
        source: 'Client'
      }
    ])
    if (options.collectorId) await m.update(CaseEntity, { id: seeded.caseId }, { collectorId: options.collectorId })
  })
  const [row] = (await app.db.read((m) =>
    m.query('SELECT version FROM collection_case WHERE id = ?', [seeded.caseId])
  )) as Array<{ version: number }>
  return { ...seeded, phoneIds, version: Number(row!.version) }
}

/** Raw journal rows of a case, oldest first. */
export async function journalRows(app: RecouvraApp, caseId: string) {
  return app.db.read(
    (m) =>
      m.query('SELECT * FROM journal_entry WHERE case_id = ? ORDER BY occurred_at, id', [caseId]) as Promise<
        Array<{ id: string; kind: string; summary: string; details: string | null; corrects_entry_id: string | null }>
      >
  )
}
