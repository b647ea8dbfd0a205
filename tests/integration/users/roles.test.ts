import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNEL_NAMES, type ChannelName } from '@shared/contract'
import { CHANNEL_ROLES, PUBLIC_CHANNELS, rolesFor } from '@shared/contract/permissions'
import type { UserRole } from '@shared/domain/enums'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'

let app: RecouvraApp
let dispose: () => Promise<void>
const sessionOf: Record<UserRole, string> = {
  admin: 'http:admin-session-0001',
  manager: 'http:manager-session-01',
  collector: 'http:collector-session1'
}
const userOf: Partial<Record<UserRole, string>> = {}

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 30 }))
  const admin = await app.call('session:current', {})
  userOf.admin = admin.id
  for (const role of ['manager', 'collector'] as const) {
    const account = await app.call('users:create', {
      login: `${role}1`,
      displayName: `Test ${role}`,
      role,
      password: 'correct horse battery'
    })
    userOf[role] = account.id
  }
  for (const role of ['admin', 'manager', 'collector'] as const) app.services.users.bind(sessionOf[role], userOf[role]!)
})
afterAll(() => dispose())

describe('permission table', () => {
  it('has an entry for every channel of the contract', () => {
    const missing = CHANNEL_NAMES.filter((c) => !(c in CHANNEL_ROLES))
    expect(missing, 'add these channels to src-shared/contract/permissions.ts').toEqual([])
    for (const roles of Object.values(CHANNEL_ROLES)) expect(roles).toContain('admin')
  })

  it('is enforced in the main process for every channel and every role, with a French refusal', async () => {
    for (const channel of CHANNEL_NAMES) {
      for (const role of ['admin', 'manager', 'collector'] as const) {
        if (PUBLIC_CHANNELS.has(channel)) continue
        const response = await app.dispatcher.dispatch(channel, { __probe: true }, 'http', sessionOf[role])
        const allowed = rolesFor(channel).includes(role)
        const forbiddenByRole = !response.ok && /^Votre rôle/.test(response.error.message)
        expect(forbiddenByRole, `${channel} as ${role}`).toBe(!allowed)
        if (forbiddenByRole && !response.ok) expect(response.error.code).toBe('FORBIDDEN')
      }
    }
  })

  it('keeps managers’ and admins’ channels from collectors, and admins’ from managers', async () => {
    const asRole = (role: UserRole, channel: ChannelName, input: unknown) =>
      app.dispatcher.dispatch(channel, input, 'http', sessionOf[role])
    expect(await asRole('collector', 'rates:add-semester', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(await asRole('collector', 'audit:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await asRole('manager', 'audit:list', {})).toMatchObject({ ok: true })
    expect(await asRole('manager', 'users:accounts', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await asRole('admin', 'users:accounts', {})).toMatchObject({ ok: true })
  })

  it('in-process calls still act as the administrator', async () => {
    expect((await app.call('session:current', {})).role).toBe('admin')
  })
})

describe('collectors work their own cases', () => {
  it('sees only the cases assigned to them, and is refused the others', async () => {
    const [mine] = await app.db.read((m) => m.query('SELECT id FROM collection_case ORDER BY id LIMIT 1'))
    const [other] = await app.db.read((m) => m.query('SELECT id FROM collection_case ORDER BY id DESC LIMIT 1'))
    await app.db.write((m) =>
      m.query('UPDATE collection_case SET collector_id = ? WHERE id = ?', [userOf.collector, mine.id])
    )
    await app.db.write((m) =>
      m.query('UPDATE collection_case SET collector_id = ? WHERE id = ?', [userOf.manager, other.id])
    )
    const list = await app.dispatcher.dispatch('cases:list', {}, 'http', sessionOf.collector)
    expect(list.ok).toBe(true)
    const rows = (list as { ok: true; data: { rows: Array<{ id: string }> } }).data.rows
    expect(rows.map((r) => r.id)).toEqual([mine.id])
    const own = await app.dispatcher.dispatch('casefile:get', { caseId: mine.id }, 'http', sessionOf.collector)
    expect(own.ok).toBe(true)
    const refused = await app.dispatcher.dispatch('casefile:get', { caseId: other.id }, 'http', sessionOf.collector)
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    if (!refused.ok) expect(refused.error.message).toMatch(/pas dans votre portefeuille/)
    const note = await app.dispatcher.dispatch(
      'case:add-note',
      { caseId: other.id, text: 'Essai' },
      'http',
      sessionOf.collector
    )
    expect(note).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // A record of the other case named by its own id (a payment) is refused the same way.
    const payment = await app.call('money:record-payment', {
      caseId: other.id,
      receivedOn: '2026-06-15',
      amountCents: 1_000,
      method: 'transfer',
      receivedBy: 'agency'
    })
    const reversal = await app.dispatcher.dispatch(
      'money:reverse-payment',
      { paymentId: payment.payment.id, reversedOn: '2026-06-20', reason: 'Chèque impayé' },
      'http',
      sessionOf.collector
    )
    expect(reversal).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await app.call('money:list-payments', { caseId: other.id })).toHaveLength(1)
    // The portfolio opened to collectors (a setting): the other case is theirs to work too.
    await app.call('users:set-portfolio-open', { open: true })
    expect((await app.dispatcher.dispatch('casefile:get', { caseId: other.id }, 'http', sessionOf.collector)).ok).toBe(
      true
    )
    await app.call('users:set-portfolio-open', { open: false })
    // Managers see everything.
    const managerList = await app.dispatcher.dispatch('cases:list', {}, 'http', sessionOf.manager)
    expect((managerList as { ok: true; data: { rows: unknown[] } }).data.rows.length).toBeGreaterThan(1)
  })
})

describe('sign-in', () => {
  it('before set-up the window acts as the administrator; afterwards it must sign in', async () => {
    const t = await openTempApp()
    try {
      const dispatch = (channel: ChannelName, input: unknown, session: string | null) =>
        t.app.dispatcher.dispatch(channel, input, 'http', session)
      const fresh = await dispatch('auth:status', {}, 'http:window-one-000001')
      expect(fresh).toMatchObject({ ok: true, data: { needsSetup: true, user: { role: 'admin' } } })
      expect((await dispatch('app:info', {}, null)).ok).toBe(true)

      const weak = await dispatch(
        'auth:setup',
        { login: 'chef', displayName: 'Claire Chef', password: 'court' },
        'http:window-one-000001'
      )
      expect(weak).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      const setup = await dispatch(
        'auth:setup',
        { login: 'Chef', displayName: 'Claire Chef', password: 'un mot de passe long' },
        'http:window-one-000001'
      )
      expect(setup).toMatchObject({ ok: true, data: { role: 'admin', displayName: 'Claire Chef' } })
      // The window that set up is signed in; another one, or a call without a session, is not.
      expect((await dispatch('app:info', {}, 'http:window-one-000001')).ok).toBe(true)
      expect(await dispatch('app:info', {}, 'http:window-two-000002')).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED' }
      })
      expect(await dispatch('app:info', {}, null)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
      // Set-up happens once.
      expect(
        await dispatch(
          'auth:setup',
          { login: 'x-admin', displayName: 'Xavier', password: 'un autre mot de passe' },
          null
        )
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

      const wrong = await dispatch(
        'auth:sign-in',
        { login: 'chef', password: 'mauvais mot de passe' },
        'http:window-two-000002'
      )
      const unknown = await dispatch(
        'auth:sign-in',
        { login: 'personne', password: 'un mot de passe long' },
        'http:window-two-000002'
      )
      expect(wrong).toEqual(unknown)
      expect(wrong).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'Identifiant ou mot de passe incorrect.' }
      })
      expect(
        await dispatch('auth:sign-in', { login: 'chef', password: 'un mot de passe long' }, 'http:window-two-000002')
      ).toMatchObject({ ok: true, data: { role: 'admin' } })
      expect((await dispatch('app:info', {}, 'http:window-two-000002')).ok).toBe(true)

      // Sign-out, and the idle lock.
      await dispatch('auth:sign-out', {}, 'http:window-two-000002')
      expect((await dispatch('app:info', {}, 'http:window-two-000002')).ok).toBe(false)
      vi.useFakeTimers({ toFake: ['Date'] })
      try {
        vi.setSystemTime(Date.now() + 16 * 60_000)
        expect(await dispatch('app:info', {}, 'http:window-one-000001')).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHORIZED' }
        })
      } finally {
        vi.useRealTimers()
      }
      // The stored password is a scrypt hash.
      const [row] = await t.app.db.read((m) => m.query(`SELECT password_hash FROM app_user WHERE login = 'chef'`))
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/)
      // In-process calls (tests, CLI) still act as the administrator.
      expect((await t.app.call('session:current', {})).displayName).toBe('Claire Chef')
    } finally {
      await t.dispose()
    }
  })

  it('never removes the last active administrator; a deactivated account cannot sign in', async () => {
    const admin = await app.call('session:current', {})
    await expect(app.call('users:update', { userId: admin.id, role: 'manager' })).rejects.toThrow(
      /dernier administrateur/
    )
    await app.call('users:update', { userId: userOf.manager!, active: false })
    expect(
      await app.dispatcher.dispatch(
        'auth:sign-in',
        { login: 'manager1', password: 'correct horse battery' },
        'http',
        'http:x-session-000000001'
      )
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(await app.dispatcher.dispatch('app:info', {}, 'http', sessionOf.manager)).toMatchObject({ ok: false })
    await app.call('users:update', { userId: userOf.manager!, active: true })
    app.services.users.bind(sessionOf.manager, userOf.manager!)
  })
})
