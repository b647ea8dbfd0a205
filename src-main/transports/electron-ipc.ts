import { CHANNEL_NAMES, type RpcResponse } from '@shared/contract'
import type { Dispatcher } from '../ipc/dispatcher'
import { log } from '../platform/log'

/** The part of Electron's ipcMain we use: lets tests register against a fake. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null; sender?: { id: number } }, input: unknown) => unknown
  ): void
}

/**
 * One `ipcMain.handle` per contract channel, each going through the dispatcher. Calls from a
 * frame that is not the app's own page (an injected iframe, a navigated-away window) are refused.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  dispatcher: Dispatcher,
  isTrustedSender: (frameUrl: string) => boolean
): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, input): Promise<RpcResponse<unknown>> => {
      const frameUrl = event.senderFrame?.url ?? ''
      if (!isTrustedSender(frameUrl)) {
        log.warn(`Refused IPC ${channel} from untrusted frame ${frameUrl}`)
        return { ok: false, error: { code: 'FORBIDDEN', message: 'Appel refusé : origine inconnue.' } }
      }
      // One session per renderer (webContents): signing in binds it to a user.
      return dispatcher.dispatch(channel, input, 'ipc', `ipc:${event.sender?.id ?? 0}`)
    })
  }
}
