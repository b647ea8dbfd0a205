import { describe, expect, it } from 'vitest'
import type { RpcResponse } from '@shared/contract'
import { registerIpcHandlers, type IpcMainLike } from '../../../src-main/transports/electron-ipc'
import { openTempApp } from '../helpers/temp-app'

type Listener = (event: { senderFrame: { url: string } | null; sender?: { id: number } }, input: unknown) => unknown

describe('Electron IPC sessions', () => {
  it('binds a sign-in to the renderer that made it: another window must sign in too', async () => {
    const { app, dispose } = await openTempApp()
    try {
      const listeners = new Map<string, Listener>()
      const ipcMain: IpcMainLike = { handle: (channel, listener) => void listeners.set(channel, listener as Listener) }
      registerIpcHandlers(ipcMain, app.dispatcher, (url) => url.startsWith('file://'))
      const invoke = (windowId: number, channel: string, input: unknown = {}) =>
        listeners.get(channel)!(
          { senderFrame: { url: 'file:///app/index.html' }, sender: { id: windowId } },
          input
        ) as Promise<RpcResponse<unknown>>

      // First run: the window sets the administrator up and is signed in.
      expect(
        await invoke(1, 'auth:setup', { login: 'admin', displayName: 'Alice Admin', password: 'mot de passe solide' })
      ).toMatchObject({
        ok: true
      })
      expect((await invoke(1, 'app:info')).ok).toBe(true)
      // A second window (another webContents) is not.
      expect(await invoke(2, 'app:info')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
      expect((await invoke(2, 'auth:sign-in', { login: 'admin', password: 'mot de passe solide' })).ok).toBe(true)
      expect((await invoke(2, 'app:info')).ok).toBe(true)
      // Signing one window out leaves the other signed in.
      await invoke(1, 'auth:sign-out')
      expect((await invoke(1, 'app:info')).ok).toBe(false)
      expect((await invoke(2, 'app:info')).ok).toBe(true)
      // A foreign frame is refused whatever its session.
      const foreign = (await listeners.get('app:info')!(
        { senderFrame: { url: 'https://evil.example/' }, sender: { id: 2 } },
        {}
      )) as RpcResponse<unknown>
      expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    } finally {
      await dispose()
    }
  })
})
