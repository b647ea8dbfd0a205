import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { formatSyncCli, runSyncCli } from '../../../src-main/modules/sync/sync-cli'
import { ClientEntity } from '../../../src-main/modules/clients/client.entity'
import { UserEntity } from '../../../src-main/modules/users/user.entity'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { seedUser, seedWorkspaceCase } from '../case-file/helpers'

/** `npm run cli -- sync …`: checkout at the office, status and run on the laptop copy, in French. */

const cleanup: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

it('checks out a client by code, shows the copy and the office checkouts, syncs', async () => {
  const office = await openTempApp()
  cleanup.push(office.dispose)
  const collectorId = await seedUser(office.app, 'collector')
  const seeded = await seedWorkspaceCase(office.app, { collectorId })
  const [client, collector] = await office.app.db.read(async (m) => [
    await m.findOneByOrFail(ClientEntity, { id: seeded.clientId }),
    await m.findOneByOrFail(UserEntity, { id: collectorId })
  ])
  const dir = tempDir('recouvra-laptop-')
  cleanup.push(dir.remove)
  const target = join(dir.path, 'copie')

  const checkout = await runSyncCli(office.app, {
    action: 'checkout',
    client: client.code,
    collector: collector.login,
    device: 'PC-TERRAIN',
    to: target
  })
  expect(formatSyncCli(checkout)).toMatch(/^Copie terrain créée dans .*copie : 1 dossier\(s\)/)
  expect(formatSyncCli(await runSyncCli(office.app, { action: 'status' }))).toContain(
    'Dossiers sortis sur le terrain :\n  CLIENT'
  )

  const laptop: RecouvraApp = await createApp({ dataDir: target, clock: fixedClock(TEST_NOW) })
  cleanup.push(() => laptop.close())
  const status = formatSyncCli(await runSyncCli(laptop, { action: 'status' }))
  expect(status).toContain('(poste PC-TERRAIN)')
  expect(status).toContain('Aucun conflit en attente.')
  const run = formatSyncCli(await runSyncCli(laptop, { action: 'run', json: true }))
  expect(run).toMatch(/^Synchronisation terminée en [\d.]+ s :\n {2}0 enregistrement\(s\) envoyé\(s\)/)
  await expect(runSyncCli(office.app, { action: 'run' })).rejects.toMatchObject({
    userMessage: expect.stringMatching(/pas une copie terrain/)
  })
})
