import type { RecouvraBridge } from '@shared/contract/bridge'

/**
 * Gives the user a file the main process produced (base64): in the desktop app, the system's
 * "Enregistrer sous…" dialog (through the preload); in a browser (`npm run serve`), a download.
 * Returns false when the user cancelled the dialog.
 */
export async function saveFile(
  fileName: string,
  base64: string,
  bridge: Pick<RecouvraBridge, 'saveFile'> | undefined = window.recouvra,
  download: (fileName: string, base64: string) => void = browserDownload
): Promise<boolean> {
  if (bridge?.saveFile) {
    const result = await bridge.saveFile(fileName, base64)
    if (!result.ok) throw new Error(result.message)
    return result.saved
  }
  download(fileName, base64)
  return true
}

const TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv',
  json: 'application/json'
}

function browserDownload(fileName: string, base64: string): void {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''
  const blob = new Blob([bytes], { type: TYPES[extension] ?? 'application/octet-stream' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
