import { Button } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useChannelMutation } from '../../api/client'
import { downloadFile } from './PdfViewer'

/** Renders, stores and downloads the client's remittance statement as a PDF. */
export function RemittanceStatementButton({ remittanceId }: { remittanceId: string }) {
  const make = useChannelMutation('documents:remittance-statement', {
    onSuccess: (file) => {
      downloadFile(file)
      notifications.show({ color: 'green', message: `Relevé PDF enregistré (SHA-256 ${file.sha256.slice(0, 12)}…).` })
    }
  })
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      onClick={() => make.mutate({ remittanceId })}
      loading={make.isPending}
      title={make.error?.message}
      color={make.error ? 'red' : undefined}
    >
      PDF
    </Button>
  )
}
