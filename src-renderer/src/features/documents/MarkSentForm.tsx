import { useState } from 'react'
import { Button, Group, Stack, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { LetterDto } from '@shared/contract'
import { useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

/** Marks a letter sent: date, and the tracking number of a registered letter. */
export function MarkSentForm({
  letter,
  today,
  onDone
}: {
  letter: LetterDto
  today: string
  onDone?: (l: LetterDto) => void
}) {
  const [sentOn, setSentOn] = useState(today)
  const [tracking, setTracking] = useState('')
  const registered = letter.channel === 'registered_letter'
  const mark = useChannelMutation('letters:mark-sent', {
    onSuccess: (l) => {
      notifications.show({ color: 'green', message: `Courrier ${l.reference} marqué envoyé.` })
      onDone?.(l)
    }
  })
  return (
    <Stack gap={6}>
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Envoyé le"
          type="date"
          value={sentOn}
          onChange={(e) => setSentOn(e.currentTarget.value)}
          size="xs"
          data-testid="sent-on"
        />
        {registered && (
          <TextInput
            label="N° de suivi (recommandé)"
            value={tracking}
            onChange={(e) => setTracking(e.currentTarget.value)}
            size="xs"
            placeholder="1A 123 456 7890 1"
            data-testid="tracking-number"
          />
        )}
        <Button
          size="xs"
          onClick={() => mark.mutate({ letterId: letter.id, sentOn, trackingNumber: tracking.trim() || null })}
          disabled={!sentOn || (registered && !tracking.trim())}
          loading={mark.isPending}
          data-testid="mark-sent"
        >
          Marquer envoyé
        </Button>
      </Group>
      {mark.error ? <ErrorPanel error={mark.error} /> : null}
    </Stack>
  )
}
