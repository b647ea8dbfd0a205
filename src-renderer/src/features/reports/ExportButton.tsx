import { useState } from 'react'
import { Button, type ButtonProps } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { RpcCallError, type ReportExportInput } from '@shared/contract'
import { formatInteger } from '@shared/format/french'
import { call } from '../../api/client'
import { downloadReport } from './download'

/** Writes a report in the main process and downloads it; says where it was saved. */
export function ExportButton({
  input,
  label = 'Exporter',
  testId,
  ...props
}: { input: ReportExportInput; label?: string; testId?: string; title?: string } & ButtonProps) {
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    try {
      const file = await call('reports:export', input)
      if (!(await downloadReport(file))) return
      notifications.show({
        color: 'teal',
        title: 'Export Excel prêt',
        message: `${file.fileName} — ${formatInteger(file.rowCount)} ${input.kind === 'cases' ? 'dossier' : 'ligne'}${file.rowCount > 1 ? 's' : ''} ; une copie est dans le dossier de données (exports).`
      })
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'L’export a échoué',
        message: error instanceof RpcCallError || error instanceof Error ? error.message : 'Erreur inattendue.'
      })
    } finally {
      setBusy(false)
    }
  }
  return (
    <Button variant="light" size="xs" loading={busy} onClick={run} data-testid={testId} {...props}>
      {label}
    </Button>
  )
}
