import { contextBridge, ipcRenderer } from 'electron'
import { CHANNEL_NAMES } from '@shared/contract/channel-names'
import type { RecouvraBridge } from '@shared/contract/bridge'
import type { RpcResponse } from '@shared/contract/errors'

const allowed = new Set<string>(CHANNEL_NAMES)

/** The renderer's only door to the main process: invoke a contract channel, nothing else. */
const bridge: RecouvraBridge = {
  transport: 'ipc',
  invoke(channel: string, input: unknown): Promise<RpcResponse<unknown>> {
    if (!allowed.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Opération inconnue.' } })
    }
    return ipcRenderer.invoke(channel, input) as Promise<RpcResponse<unknown>>
  },
  saveFile(fileName: string, base64: string) {
    // The channel name of src-main/transports/save-file.ts (not imported: Node code).
    return ipcRenderer.invoke('app:save-file', { fileName, base64 }) as ReturnType<
      NonNullable<RecouvraBridge['saveFile']>
    >
  }
}

contextBridge.exposeInMainWorld('recouvra', bridge)
