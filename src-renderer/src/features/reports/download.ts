import type { ReportFile } from '@shared/contract'

/**
 * Offers a report the main process wrote as a download. The bytes come back base64 over the
 * channel (the loopback transport caps requests, not responses); the file also stays in the
 * data folder (exports/). In the desktop app a save dialog will take this place.
 */
export function downloadReport(file: ReportFile): void {
  const binary = atob(file.base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const blob = new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
