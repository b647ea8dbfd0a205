import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { uuid7 } from '@shared/ids/uuid7'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { DebtorEmailEntity, DebtorPhoneEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { TEST_NOW } from '../helpers/temp-app'

export interface Received {
  to: string[]
  data: string
}

/**
 * A loopback SMTP server. `refuse`: refused at RCPT TO (550). `onMessage`: called with each
 * message once its DATA is in, before the server answers; returning false holds the answer forever.
 */
export async function smtpServer(options: { refuse?: string; onMessage?: (m: Received) => boolean } = {}) {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      if (address.address === options.refuse) {
        const error = new Error('Boîte aux lettres inconnue') as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const message = {
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8')
        }
        received.push(message)
        if (options.onMessage && !options.onMessage(message)) return
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    received,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export async function addContacts(app: RecouvraApp, debtorId: string, email: string, mobile: string) {
  const stamp = { createdAt: TEST_NOW, createdBy: null, updatedAt: TEST_NOW, updatedBy: null, version: 1 }
  await app.db.write(async (m) => {
    await m.insert(DebtorEmailEntity, {
      id: uuid7(),
      ...stamp,
      debtorId,
      address: email,
      status: 'valid',
      source: 'test'
    })
    await m.insert(DebtorPhoneEntity, {
      id: uuid7(),
      ...stamp,
      debtorId,
      number: mobile,
      kind: 'mobile',
      status: 'valid',
      statusChangedAt: null,
      source: 'test'
    })
  })
}

export async function smtpSettings(app: RecouvraApp, port: number) {
  await app.call('documents:smtp-save', {
    host: '127.0.0.1',
    port,
    secure: false,
    user: '',
    password: '',
    from: 'relances@lumiere-recouvrement.fr'
  })
}
