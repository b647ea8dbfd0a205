import { useState } from 'react'
import {
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { CaseDocumentDto, CaseFile, LetterDto, StoredFile } from '@shared/contract'
import { SEND_CHANNEL_LABELS, type TemplateCode } from '@shared/documents'
import { DOCUMENT_KINDS, PAYMENT_METHODS, type DocumentKind } from '@shared/domain/enums'
import { formatCents, formatDate, formatInstant } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { MarkSentForm } from './MarkSentForm'
import { PdfViewer, downloadFile } from './PdfViewer'

function LetterStatus({ letter }: { letter: LetterDto }) {
  if (letter.status === 'cancelled')
    return (
      <Badge color="gray" size="sm" variant="light" tt="none">
        Annulé
      </Badge>
    )
  if (letter.status === 'sent')
    return (
      <Badge color="green" size="sm" variant="light" tt="none">
        Envoyé le {formatDate(letter.sentOn!)}
        {letter.trackingNumber ? ` – suivi ${letter.trackingNumber}` : ''}
      </Badge>
    )
  return (
    <Badge color="blue" size="sm" variant="light" tt="none">
      À envoyer ({SEND_CHANNEL_LABELS[letter.channel].toLowerCase()})
    </Badge>
  )
}

function EmailForm({ letter, file, onDone }: { letter: LetterDto; file: CaseFile; onDone: () => void }) {
  const valid = file.debtor.emails.filter((e) => e.status !== 'invalid')
  const [to, setTo] = useState(
    letter.templateCode === 'client-payment-notice' ? (file.client.contactEmail ?? '') : (valid[0]?.address ?? '')
  )
  const [mode, setMode] = useState<'eml' | 'smtp'>('eml')
  const [verification, setVerification] = useState<string | null>(null)
  const confirmSent = useChannelMutation('letters:email-confirm-sent', {
    onSuccess: (sent) => {
      notifications.show({ color: 'green', message: `E-mail ${sent.reference} enregistré envoyé (vérifié).` })
      onDone()
    }
  })
  const send = useChannelMutation('letters:email', {
    onSuccess: async (result) => {
      if (result.emlDocumentId) {
        const eml = await call('documents:open', { documentId: result.emlDocumentId })
        downloadFile(eml)
        notifications.show({
          color: 'green',
          message: 'Fichier .eml créé : ouvrez-le avec votre messagerie pour l’envoyer.'
        })
      } else notifications.show({ color: 'green', message: `E-mail envoyé à ${to}.` })
      onDone()
    }
  })
  return (
    <Stack gap="xs">
      <TextInput
        label="Destinataire"
        value={to}
        onChange={(e) => setTo(e.currentTarget.value)}
        data-testid="email-to"
      />
      <SegmentedControl
        value={mode}
        onChange={(v) => setMode(v as 'eml' | 'smtp')}
        data={[
          { value: 'eml', label: 'Fichier .eml (messagerie)' },
          { value: 'smtp', label: 'Envoyer par SMTP' }
        ]}
      />
      <Button
        onClick={() => send.mutate({ letterId: letter.id, to: to.trim(), mode })}
        loading={send.isPending}
        disabled={!to.trim()}
      >
        {mode === 'eml' ? 'Créer l’e-mail avec le PDF joint' : 'Envoyer avec le PDF joint'}
      </Button>
      {send.error ? <ErrorPanel error={send.error} /> : null}
      {mode === 'smtp' && send.error?.message.includes('Envoi incertain') ? (
        <Button
          color="orange"
          variant="light"
          onClick={() => send.mutate({ letterId: letter.id, to: to.trim(), mode, confirmResend: true })}
          loading={send.isPending}
          data-testid="email-confirm-resend"
        >
          J’ai vérifié qu’il n’est pas parti : renvoyer
        </Button>
      ) : null}
      {mode === 'smtp' && send.error?.message.includes('Envoi incertain') && verification === null ? (
        <Button
          color="green"
          variant="light"
          onClick={() => setVerification('')}
          data-testid="email-mark-verified-sent"
        >
          Marquer comme envoyé (vérifié)…
        </Button>
      ) : null}
      {verification !== null ? (
        <Stack gap="xs">
          <Textarea
            label="Comment l’envoi a-t-il été vérifié ?"
            description="Il ne sera pas renvoyé : le courrier sera enregistré envoyé et le journal citera votre vérification."
            placeholder="Ex. : présent dans les éléments envoyés de la messagerie ; reçu confirmé par le débiteur"
            required
            autosize
            minRows={2}
            maxLength={500}
            value={verification}
            onChange={(e) => setVerification(e.currentTarget.value)}
            data-testid="email-verified-note"
          />
          {confirmSent.error ? <ErrorPanel error={confirmSent.error} /> : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setVerification(null)}>
              Annuler
            </Button>
            <Button
              color="green"
              disabled={verification.trim().length < 3}
              loading={confirmSent.isPending}
              onClick={() => confirmSent.mutate({ letterId: letter.id, verification: verification.trim() })}
              data-testid="email-verified-confirm"
            >
              Marquer comme envoyé
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Stack>
  )
}

function SmsForm({ file, onDone }: { file: CaseFile; onDone: () => void }) {
  const [code, setCode] = useState<TemplateCode>('reminder')
  const mobiles = file.debtor.phones.filter((p) => p.status !== 'invalid')
  const [phone, setPhone] = useState(mobiles.find((p) => p.kind === 'mobile')?.number ?? mobiles[0]?.number ?? '')
  const sms = useChannelMutation('letters:sms', {
    onSuccess: () => {
      notifications.show({ color: 'green', message: 'SMS enregistré, à envoyer par votre prestataire.' })
      onDone()
    }
  })
  return (
    <Stack gap="xs">
      <Select
        label="Étape"
        data={[
          { value: 'courtesy-reminder', label: 'Rappel avant échéance' },
          { value: 'reminder', label: 'Relance' },
          { value: 'firm-reminder', label: 'Relance ferme' },
          { value: 'last-reminder', label: 'Dernière relance amiable' },
          { value: 'formal-notice', label: 'Information de mise en demeure' }
        ]}
        value={code}
        onChange={(v) => v && setCode(v as TemplateCode)}
        allowDeselect={false}
      />
      <TextInput label="Numéro" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
      <Button
        onClick={() => sms.mutate({ caseId: file.case.id, templateCode: code, at: file.today, phone: phone.trim() })}
        loading={sms.isPending}
      >
        Enregistrer le SMS
      </Button>
      {sms.error ? <ErrorPanel error={sms.error} /> : null}
    </Stack>
  )
}

function InjunctionForm({ file, onDone }: { file: CaseFile; onDone: () => void }) {
  const [at, setAt] = useState(file.today)
  const build = useChannelMutation('documents:injunction-file', {
    onSuccess: (r) => {
      notifications.show({
        color: 'green',
        message: `Dossier d’injonction de payer enregistré (${r.summary.reference}, ${r.bundle.reference}).`
      })
      onDone()
    }
  })
  return (
    <Stack gap="xs">
      <Text size="sm">
        Récapitulatif de la requête (parties, créances, intérêts, pièces) et dossier de pièces en un seul PDF :
        décompte, copie de chaque courrier, journal des contacts, liste des pièces avec leur empreinte SHA-256.
      </Text>
      <TextInput label="Décompte arrêté au" type="date" value={at} onChange={(e) => setAt(e.currentTarget.value)} />
      <Button
        onClick={() => build.mutate({ caseId: file.case.id, at })}
        loading={build.isPending}
        data-testid="injunction-build"
      >
        Constituer le dossier
      </Button>
      {build.error ? <ErrorPanel error={build.error} /> : null}
    </Stack>
  )
}

function PaymentDocuments({ file }: { file: CaseFile }) {
  const payments = useChannel('money:list-payments', { caseId: file.case.id })
  // Receipts already issued: their journal entries name the payment.
  const issued = useChannel('journal:list', { caseId: file.case.id, kinds: ['letter'], offset: 0, limit: 200 })
  const receipted = new Set(
    (issued.data?.entries ?? [])
      .filter((e) => e.details?.templateCode === 'payment-receipt')
      .map((e) => String(e.details?.paymentId))
  )
  const make = useChannelMutation('documents:payment-documents', {
    onSuccess: (r) =>
      notifications.show({
        color: 'green',
        message: `Reçu ${r.receipt.reference} et information du client ${r.clientNotice.reference} enregistrés.`
      })
  })
  const rows = (payments.data ?? []).filter((p) => p.amountCents > 0 && !p.reversedByPaymentId)
  if (rows.length === 0) return null
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Reçus de paiement (R. 124-6) et information du client (R. 124-5)
      </Text>
      {rows.map((p) => (
        <Group key={p.id} gap="xs">
          <Text size="sm" className="tabular">
            {formatDate(p.receivedOn)} · {formatCents(p.amountCents)} · {PAYMENT_METHODS.labels[p.method]}
          </Text>
          {receipted.has(p.id) && (
            <Badge size="xs" color="green" variant="light" tt="none">
              Reçu émis
            </Badge>
          )}
          <Button
            size="compact-xs"
            variant={receipted.has(p.id) ? 'subtle' : 'light'}
            onClick={() => make.mutate({ paymentId: p.id })}
            loading={make.isPending && make.variables?.paymentId === p.id}
          >
            Reçu + information client
          </Button>
        </Group>
      ))}
      {make.error ? <ErrorPanel error={make.error} /> : null}
    </Stack>
  )
}

function CancelForm({ letter, onDone }: { letter: LetterDto; onDone: () => void }) {
  const [reason, setReason] = useState('')
  const cancel = useChannelMutation('letters:cancel', {
    onSuccess: () => {
      notifications.show({ color: 'green', message: `Courrier ${letter.reference} annulé.` })
      onDone()
    }
  })
  return (
    <Stack gap="xs">
      <Text size="sm">
        Le courrier n’a pas été envoyé : il est annulé, son PDF reste conservé. Un courrier annulé n’est jamais pris
        comme premier courrier du dossier.
      </Text>
      <TextInput label="Motif" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
      <Button
        color="red"
        onClick={() => cancel.mutate({ letterId: letter.id, reason: reason.trim() })}
        disabled={reason.trim().length < 3}
        loading={cancel.isPending}
      >
        Annuler le courrier
      </Button>
      {cancel.error ? <ErrorPanel error={cancel.error} /> : null}
    </Stack>
  )
}

type PanelDialog =
  | { kind: 'open'; file: StoredFile }
  | { kind: 'email'; letter: LetterDto }
  | { kind: 'cancel'; letter: LetterDto }
  | { kind: 'sms' }
  | { kind: 'injunction' }

/** Documents tab of the case file: stored files (letters, e-mails, SMS, evidence) and their sending. */
export function CaseDocumentsPanel({ file }: { file: CaseFile }) {
  const docs = useChannel('documents:list', { caseId: file.case.id })
  const [dialog, setDialog] = useState<PanelDialog | null>(null)
  const [sending, setSending] = useState<string | null>(null)
  const [openError, setOpenError] = useState<unknown>(null)
  // Deferred: the case file closes on an Escape that no dialog is there to take.
  const close = () => setTimeout(() => setDialog(null), 0)

  const open = async (d: CaseDocumentDto) => {
    setOpenError(null)
    try {
      const stored = await call('documents:open', { documentId: d.id })
      if (stored.mimeType === 'application/pdf') setDialog({ kind: 'open', file: stored })
      else downloadFile(stored)
    } catch (error) {
      setOpenError(error)
    }
  }

  return (
    <Stack gap="sm" data-testid="case-documents">
      <Group gap="xs">
        <Button size="xs" variant="light" onClick={() => setDialog({ kind: 'injunction' })}>
          Dossier d’injonction de payer…
        </Button>
        <Button size="xs" variant="light" onClick={() => setDialog({ kind: 'sms' })}>
          SMS…
        </Button>
      </Group>
      {openError ? <ErrorPanel error={openError} /> : null}
      {docs.isError ? <ErrorPanel error={docs.error} /> : null}
      {docs.data && docs.data.length === 0 && (
        <Text size="sm" c="dimmed">
          Aucun document.
        </Text>
      )}
      {docs.data && docs.data.length > 0 && (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Document</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th>Envoi</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {docs.data.map((d) => (
              <Table.Tr key={d.id} data-testid="document-row">
                <Table.Td>
                  <Group gap={6}>
                    <Badge size="xs" variant="light" tt="none">
                      {DOCUMENT_KINDS.labels[d.kind as DocumentKind] ?? d.kind}
                    </Badge>
                    <Text size="sm">{d.title}</Text>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {d.letter ? `Réf. ${d.letter.reference} · ` : ''}
                    {d.templateVersion ? `modèle v${d.templateVersion} · ` : ''}
                    {Math.max(1, Math.round(d.sizeBytes / 1024))} Ko · SHA-256 {d.sha256.slice(0, 16)}…
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{d.letter ? formatDate(d.letter.letterDate) : formatInstant(d.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  {d.letter && d.mimeType === 'application/pdf' ? <LetterStatus letter={d.letter} /> : null}
                  {d.letter && sending === d.letter.id && d.letter.status !== 'sent' && (
                    <MarkSentForm letter={d.letter} today={file.today} onDone={() => setSending(null)} />
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="compact-xs" variant="default" onClick={() => open(d)} data-testid="document-open">
                      Ouvrir
                    </Button>
                    {d.letter &&
                      d.mimeType === 'application/pdf' &&
                      d.letter.status !== 'sent' &&
                      sending !== d.letter.id && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => setSending(d.letter!.id)}
                          data-testid="document-mark-sent"
                        >
                          Marquer envoyé
                        </Button>
                      )}
                    {d.letter && d.letter.status === 'generated' && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setDialog({ kind: 'cancel', letter: d.letter! })}
                      >
                        Annuler
                      </Button>
                    )}
                    {d.letter && d.mimeType === 'application/pdf' && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setDialog({ kind: 'email', letter: d.letter! })}
                      >
                        E-mail
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <PaymentDocuments file={file} />

      {dialog?.kind === 'open' && (
        <Modal opened onClose={close} title={dialog.file.fileName} size="auto">
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              SHA-256 vérifiée : {dialog.file.sha256}
            </Text>
            <PdfViewer base64={dialog.file.dataBase64} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => downloadFile(dialog.file)}>
                Enregistrer le PDF
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {dialog?.kind === 'email' && (
        <Modal opened onClose={close} title={`E-mail – ${dialog.letter.templateName} (${dialog.letter.reference})`}>
          <EmailForm letter={dialog.letter} file={file} onDone={close} />
        </Modal>
      )}
      {dialog?.kind === 'cancel' && (
        <Modal opened onClose={close} title={`Annuler le courrier ${dialog.letter.reference}`}>
          <CancelForm letter={dialog.letter} onDone={close} />
        </Modal>
      )}
      {dialog?.kind === 'sms' && (
        <Modal opened onClose={close} title="SMS au débiteur">
          <SmsForm file={file} onDone={close} />
        </Modal>
      )}
      {dialog?.kind === 'injunction' && (
        <Modal opened onClose={close} title="Dossier d’injonction de payer">
          <InjunctionForm file={file} onDone={close} />
        </Modal>
      )}
    </Stack>
  )
}
