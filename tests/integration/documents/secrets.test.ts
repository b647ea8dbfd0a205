import { readFileSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { SMTP_SETTING_KEY } from '../../../src-main/modules/documents/documents.service'
import { redactSecrets } from '../../../src-main/modules/audit/audit-trail'
import { SettingEntity } from '../../../src-main/modules/settings/setting.entity'
import { fixedClock } from '../../../src-main/platform/clock'
import { fileSecretStore, keyFileCipher } from '../../../src-main/platform/secret-store'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { AGENCY } from './fixtures'

const SECRET = 'Mot-de-passe-SMTP-9f3e'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function open(dataDir: string): Promise<RecouvraApp> {
  const app = await createApp({ dataDir, clock: fixedClock(TEST_NOW) })
  return app
}

function auditText(app: RecouvraApp): Promise<string> {
  return app.db
    .read((m) => m.query(`SELECT COALESCE(before_json, '') || COALESCE(after_json, '') AS j FROM audit_entry`))
    .then((rows: Array<{ j: string }>) => rows.map((r) => r.j).join('\n'))
}

describe('secret store', () => {
  it('key-file cipher: AES-256-GCM, key file 0600, bound to the secret name', () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const cipher = keyFileCipher(dir.path)
    const data = cipher.encrypt(SECRET, 'smtp.password')
    expect(data.toString('latin1')).not.toContain(SECRET)
    expect(cipher.decrypt(data, 'smtp.password')).toBe(SECRET)
    expect(() => cipher.decrypt(data, 'other.name')).toThrow()
    if (process.platform !== 'win32') expect(statSync(join(dir.path, 'secret.key')).mode & 0o777).toBe(0o600)
    const store = fileSecretStore(dir.path)
    store.set('smtp.password', SECRET)
    expect(readFileSync(join(dir.path, 'secrets.json'), 'utf8')).not.toContain(SECRET)
    expect(fileSecretStore(dir.path).get('smtp.password')).toBe(SECRET)
    // An entry of the OS keychain cannot be read outside the desktop app: absent, not an error.
    const os = fileSecretStore(dir.path, {
      kind: 'os-keychain',
      encrypt: (plain) => Buffer.from([...Buffer.from(plain)].reverse()),
      decrypt: (d) => Buffer.from([...d].reverse()).toString()
    })
    os.set('other', 'x')
    expect(os.get('other')).toBe('x')
    expect(fileSecretStore(dir.path).get('other')).toBeNull()
    expect(fileSecretStore(dir.path).has('other')).toBe(true)
  })

  it('the audit trail redacts a password found in a setting value', () => {
    const row = (value: unknown) => JSON.stringify({ key: 'documents.smtp', value: JSON.stringify(value) })
    expect(redactSecrets('app_setting', row({ host: 'h', password: SECRET }))).not.toContain(SECRET)
    expect(redactSecrets('app_setting', row({ host: 'h', password: SECRET }))).toContain('[secret retiré]')
    expect(redactSecrets('app_setting', row({ host: 'h', password: '' }))).toBe(row({ host: 'h', password: '' }))
    expect(redactSecrets('debtor', '{"password":"x"}')).toBe('{"password":"x"}')
    expect(redactSecrets('app_setting', null)).toBeNull()
  })

  it('the SMTP password goes to the store, never to the settings table, the audit trail or the renderer', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const app = await open(dir.path)
    cleanup.push(() => app.close())
    await app.call('documents:agency-save', AGENCY)
    const view = await app.call('documents:smtp-save', {
      host: '127.0.0.1',
      port: 2525,
      secure: false,
      user: 'agence',
      password: SECRET,
      from: 'relances@lumiere-recouvrement.fr'
    })
    expect(view.hasPassword).toBe(true)
    expect(JSON.stringify(view)).not.toContain(SECRET)
    expect(JSON.stringify(await app.call('documents:smtp-get', {}))).not.toContain(SECRET)
    const row = await app.db.read((m) => m.findOneOrFail(SettingEntity, { where: { key: SMTP_SETTING_KEY } }))
    expect(row.value).not.toContain(SECRET)
    expect(row.value).not.toContain('password')
    expect(await auditText(app)).not.toContain(SECRET)
    // Saving again with an empty password keeps it.
    const { hasPassword: _has, ...kept } = view
    await app.call('documents:smtp-save', { ...kept, password: '' })
    expect((await app.call('documents:smtp-get', {})).hasPassword).toBe(true)
    expect((await app.db.read((m) => app.services.documents.smtp(m)))!.password).toBe(SECRET)
  })

  it('a password left in clear by an earlier version moves to the store at start-up, not into the audit trail', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    let app = await open(dir.path)
    // As an earlier version wrote it (through the audit trail, which redacts it).
    await app.db.write((m) =>
      m.save(SettingEntity, {
        key: SMTP_SETTING_KEY,
        value: JSON.stringify({
          host: 'smtp.example.org',
          port: 587,
          secure: false,
          user: 'u',
          password: SECRET,
          from: 'a@b.fr'
        }),
        updatedAt: TEST_NOW,
        updatedBy: null
      })
    )
    expect(await auditText(app)).toContain('[secret retiré]')
    await app.close()
    app = await open(dir.path)
    cleanup.push(() => app.close())
    const row = await app.db.read((m) => m.findOneOrFail(SettingEntity, { where: { key: SMTP_SETTING_KEY } }))
    expect(row.value).not.toContain(SECRET)
    expect(JSON.parse(row.value)).toMatchObject({ host: 'smtp.example.org', user: 'u' })
    expect((await app.call('documents:smtp-get', {})).hasPassword).toBe(true)
    expect((await app.db.read((m) => app.services.documents.smtp(m)))!.password).toBe(SECRET)
    expect(await auditText(app)).not.toContain(SECRET)
  })

  it('the stored password authenticates against a real SMTP server', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const app = await open(dir.path)
    cleanup.push(() => app.close())
    const logins: Array<{ user: string; pass: string }> = []
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push({ user: auth.username ?? '', pass: auth.password ?? '' })
        callback(null, { user: auth.username })
      },
      onData(stream, _session, callback) {
        stream.resume()
        stream.on('end', () => callback())
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    await app.call('documents:agency-save', AGENCY)
    await app.call('documents:smtp-save', {
      host: '127.0.0.1',
      port: (server.server.address() as AddressInfo).port,
      secure: false,
      user: 'agence',
      password: SECRET,
      from: 'relances@lumiere-recouvrement.fr'
    })
    const { seedCase, COMPANY, CONSUMER } = await import('../money/fixtures')
    const { addAddress } = await import('./fixtures')
    const c = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [{ invoiceNumber: 'F-1', principalCents: 50_000, dueOn: '2026-02-01', interestBasis: 'none' }]
    })
    await addAddress(app, c.debtorId)
    const letter = await app.call('letters:generate', {
      caseId: c.caseId,
      templateCode: 'reminder',
      at: '2026-06-30',
      channel: 'email'
    })
    await app.call('letters:email', { letterId: letter.id, to: 'd@example.org', mode: 'smtp' })
    expect(logins).toEqual([{ user: 'agence', pass: SECRET }])
  })
})
