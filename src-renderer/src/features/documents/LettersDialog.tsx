import { useState } from 'react'
import { Alert, Badge, Button, Grid, Group, List, Modal, Select, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { CaseFile, LetterDto, LetterPreview } from '@shared/contract'
import { SEND_CHANNEL_LABELS, SEND_CHANNELS, type SendChannel, type TemplateCode } from '@shared/documents'
import { formatDate } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PdfViewer } from './PdfViewer'
import { MarkSentForm } from './MarkSentForm'

/** Letters a collector sends from a case file (the court file and client documents have their own actions). */
const CASE_TEMPLATES: TemplateCode[] = [
  'courtesy-reminder',
  'reminder',
  'firm-reminder',
  'last-reminder',
  'formal-notice',
  'plan-agreement',
  'statement'
]

/**
 * « Courriers »: choose a template → preview (rendered by the main process, shown with pdf.js)
 * with the reasons it would be refused → generate and record → mark sent.
 */
export function LettersDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const templates = useChannel('templates:list', {})
  const [code, setCode] = useState<TemplateCode>('reminder')
  const [at, setAt] = useState(file.today)
  const [channel, setChannel] = useState<SendChannel>('letter')
  const [preview, setPreview] = useState<LetterPreview | null>(null)
  const [previewError, setPreviewError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const [letter, setLetter] = useState<LetterDto | null>(null)
  const generate = useChannelMutation('letters:generate', {
    onSuccess: (l) => {
      setLetter(l)
      notifications.show({
        color: 'green',
        message: `Courrier ${l.reference} enregistré (empreinte ${l.sha256.slice(0, 12)}…).`
      })
    }
  })

  const choose = (value: TemplateCode) => {
    setCode(value)
    setPreview(null)
    const t = templates.data?.find((x) => x.code === value)
    if (t) setChannel(t.defaultChannel)
  }

  const runPreview = async () => {
    setLoading(true)
    setPreviewError(null)
    try {
      setPreview(await call('letters:preview', { caseId: file.case.id, templateCode: code, at }))
    } catch (error) {
      setPreview(null)
      setPreviewError(error)
    } finally {
      setLoading(false)
    }
  }

  const options = (templates.data ?? [])
    .filter((t) => CASE_TEMPLATES.includes(t.code))
    .map((t) => ({ value: t.code, label: `${t.name} (v${t.version})` }))

  return (
    <Modal
      opened
      // Deferred: the case file closes on an Escape that no dialog is there to take.
      onClose={() => setTimeout(onClose, 0)}
      title={`Courriers – dossier ${file.case.reference}`}
      size="95%"
      data-testid="letters-dialog"
    >
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="sm">
            <Select
              label="Modèle"
              data={options}
              value={code}
              onChange={(v) => v && choose(v as TemplateCode)}
              allowDeselect={false}
              data-testid="letter-template"
              disabled={Boolean(letter)}
            />
            <TextInput
              label="Date du courrier (et du décompte)"
              type="date"
              value={at}
              onChange={(e) => {
                setAt(e.currentTarget.value)
                setPreview(null)
              }}
              data-testid="letter-date"
              disabled={Boolean(letter)}
            />
            <Select
              label="Mode d’envoi"
              data={SEND_CHANNELS.filter((c) => c !== 'sms').map((c) => ({ value: c, label: SEND_CHANNEL_LABELS[c] }))}
              value={channel}
              onChange={(v) => v && setChannel(v as SendChannel)}
              allowDeselect={false}
              data-testid="letter-channel"
              disabled={Boolean(letter)}
            />
            {!letter && (
              <Group>
                <Button variant="light" onClick={runPreview} loading={loading} data-testid="letter-preview">
                  Aperçu
                </Button>
                <Button
                  onClick={() => generate.mutate({ caseId: file.case.id, templateCode: code, at, channel })}
                  disabled={!preview || preview.refusals.length > 0}
                  loading={generate.isPending}
                  data-testid="letter-generate"
                >
                  Générer et enregistrer
                </Button>
              </Group>
            )}
            {previewError ? <ErrorPanel error={previewError} title="Aperçu impossible" /> : null}
            {generate.error ? <ErrorPanel error={generate.error} title="Courrier refusé" /> : null}
            {preview && preview.refusals.length > 0 && (
              <Alert color="red" title="Ce courrier ne peut pas être envoyé" data-testid="letter-refusals">
                <List size="sm">
                  {preview.refusals.map((r, i) => (
                    <List.Item key={i}>{r.message}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {preview && preview.refusals.length === 0 && !letter && (
              <Alert color="green" data-testid="letter-checks-ok">
                Contrôles réussis : mentions obligatoires, référence du premier courrier, absence de frais interdits et
                de créance prescrite, aucun vocabulaire judiciaire. Modèle version {preview.templateVersion}.
              </Alert>
            )}
            {letter && (
              <Stack gap="xs" data-testid="letter-generated">
                <Group gap="xs">
                  <Badge color={letter.status === 'sent' ? 'green' : 'blue'} data-testid="letter-status">
                    {letter.status === 'sent' ? `Envoyé le ${formatDate(letter.sentOn!)}` : 'Généré, à envoyer'}
                  </Badge>
                  <Text size="sm">Réf. {letter.reference}</Text>
                </Group>
                <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                  SHA-256 {letter.sha256}
                </Text>
                {letter.status !== 'sent' && <MarkSentForm letter={letter} today={file.today} onDone={setLetter} />}
                <Button variant="default" onClick={onClose}>
                  Fermer
                </Button>
              </Stack>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {preview ? (
            <PdfViewer base64={preview.pdfBase64} />
          ) : (
            <Text c="dimmed" size="sm">
              Choisissez un modèle et une date, puis « Aperçu ».
            </Text>
          )}
        </Grid.Col>
      </Grid>
    </Modal>
  )
}
