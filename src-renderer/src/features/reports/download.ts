import type { ReportFile } from '@shared/contract'
import { saveFile } from '../../components/save-file'

/**
 * Gives the user a report the main process wrote: the system's save dialog in the desktop app,
 * a download in a browser. The bytes come back base64 over the channel (the loopback transport
 * caps requests, not responses); the file also stays in the data folder (exports/). Returns
 * false when the user cancelled the dialog.
 */
export function downloadReport(file: ReportFile): Promise<boolean> {
  return saveFile(file.fileName, file.base64)
}
