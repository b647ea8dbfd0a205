import { useEffect, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Progress,
  ScrollArea,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import type { DunningOutboxItem, DunningSendJob, DunningSendResult } from '@shared/contract'
import { todayInParis } from '@shared/dates/calendar-date'
import { formatDate, formatInstant, formatInteger } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

function download(fileName: string, base64: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const OUTCOME: Record<DunningSendResult['outcome'], { label: string; color: string }> = {
  sent: { label: 'Envoyé', color: 'green' },
  failed: { label: 'Échec', color: 'red' },
  already_sent: { label: 'Déjà envoyé', color: 'gray' },
  not_sent: { label: 'Non envoyé', color: 'orange' }
}

function StatusText({ item }: { item: DunningOutboxItem }) {
  if (item.status === 'sent') return <Text size="sm">Envoyé le {item.sentOn ? formatDate(item.sentOn) : '—'}</Text>
  if (item.status === 'cancelled')
    return (
      <Text size="sm" c="dimmed">
        Annulé
      </Text>
    )
  if (item.problem)
    return (
      <Text size="sm" c="red">
        {item.problem}
      </Text>
    )
  if (item.attempt?.status === 'uncertain')
    return (
      <div data-testid="dunning-outbox-uncertain">
        <Text size="sm" c="orange" fw={600}>
          Envoi incertain — vérifier avant de renvoyer
        </Text>
        <Text size="xs" c="dimmed">
          Interrompu le {formatInstant(item.attempt.at)} pendant sa remise au serveur SMTP (à {item.attempt.to}
          {item.attempt.messageId ? `, Message-ID ${item.attempt.messageId}` : ''}) : il a pu partir. Vérifiez dans la
          messagerie d’envoi avant de le renvoyer.
        </Text>
      </div>
    )
  if (item.attempt?.status === 'sending')
    return (
      <Text size="sm" c="blue">
        Envoi en cours…
      </Text>
    )
  if (item.attempt?.status === 'failed')
    return (
      <div data-testid="dunning-outbox-failed">
        <Text size="sm" c="red">
          À envoyer — échec du {formatInstant(item.attempt.at)}
        </Text>
        <Text size="xs" c="dimmed">
          {item.attempt.reason}
        </Text>
      </div>
    )
  return (
    <Text size="sm" c="orange">
      À envoyer
    </Text>
  )
}

/**
 * The "À envoyer" part of a batch: its e-mails sent in one go through SMTP (progress, a result
 * per message, retry of the failures) or written as .eml files in one zip; its SMS exported for
 * the agency's SMS provider, then marked sent.
 */
export function BatchOutbox({ batchId }: { batchId: string }) {
  const outbox = useChannel('dunning:outbox', { batchId })
  const queryClient = useQueryClient()
  const [job, setJob] = useState<DunningSendJob | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [smsOn, setSmsOn] = useState(todayInParis())
  /** The uncertain sending the user is asked to confirm sending again. */
  const [confirming, setConfirming] = useState<DunningOutboxItem | null>(null)
  /** The uncertain sending the user checked did leave, to record sent without sending it again. */
  const [verifying, setVerifying] = useState<DunningOutboxItem | null>(null)
  const [verification, setVerification] = useState('')
  const send = useChannelMutation('dunning:send-emails', { onSuccess: (j) => setJob(j) })
  const confirmSent = useChannelMutation('letters:email-confirm-sent', {
    onSuccess: (letter) => {
      notifications.show({ color: 'green', message: `E-mail ${letter.reference} enregistré envoyé (vérifié).` })
      setVerifying(null)
      setVerification('')
    }
  })
  const smsSent = useChannelMutation('dunning:sms-mark-sent', {
    onSuccess: (r) => notifications.show({ color: 'green', message: `${r.updated} SMS marqué(s) envoyé(s).` })
  })

  // Progress: polled until the sending ends, then the lists are read again.
  useEffect(() => {
    if (!job || job.state !== 'running') return
    const timer = setTimeout(() => {
      call('dunning:send-job', { jobId: job.jobId }).then(
        (next) => {
          setJob(next)
          if (next.state !== 'running') void queryClient.invalidateQueries()
        },
        () => undefined
      )
    }, 400)
    return () => clearTimeout(timer)
  }, [job, queryClient])

  if (outbox.isError) return <ErrorPanel error={outbox.error} />
  if (!outbox.data) return null
  const { emails, sms, smtpConfigured } = outbox.data
  if (emails.length === 0 && sms.length === 0) return null
  const emailsToSend = emails.filter((e) => e.status === 'generated')
  const smsToSend = sms.filter((s) => s.status === 'generated')
  const smsExported = smsToSend.filter((s) => s.exported)
  const running = job?.state === 'running'
  const failedIds =
    job && job.state !== 'running' ? job.results.filter((r) => r.outcome === 'failed').map((r) => r.letterId) : []

  const fileAction = (key: string, work: () => Promise<void>) => {
    setBusy(key)
    work()
      .catch((error: unknown) =>
        notifications.show({ color: 'red', message: (error as Error).message ?? 'Opération impossible' })
      )
      .finally(() => {
        setBusy(null)
        void queryClient.invalidateQueries()
      })
  }

  return (
    <Stack gap="sm" mt="md" data-testid="dunning-outbox">
      {confirming?.attempt && (
        <Modal opened onClose={() => setConfirming(null)} title="Renvoyer un envoi incertain ?" size="lg">
          <Stack gap="sm">
            <Text size="sm">
              L’e-mail {confirming.reference} à {confirming.attempt.to} ({confirming.caseReference},{' '}
              {confirming.debtorName}) était en cours de remise au serveur SMTP le{' '}
              {formatInstant(confirming.attempt.at)} quand l’application s’est arrêtée. Le serveur a pu l’accepter : le
              débiteur l’a peut-être déjà reçu.
            </Text>
            <Text size="sm">
              Vérifiez dans les éléments envoyés de la messagerie (ou auprès de votre hébergeur)
              {confirming.attempt.messageId ? ` le message ${confirming.attempt.messageId}` : ''}. Ne renvoyez que s’il
              n’est pas parti : le journal du dossier citera les deux tentatives.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                Annuler
              </Button>
              <Button
                color="orange"
                onClick={() => {
                  send.mutate({ batchId, resendUncertain: [confirming.letterId] })
                  setConfirming(null)
                }}
                data-testid="dunning-resend-confirm"
              >
                J’ai vérifié : renvoyer
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {verifying?.attempt && (
        <Modal
          opened
          onClose={() => {
            setVerifying(null)
            confirmSent.reset()
          }}
          title="Marquer comme envoyé un envoi incertain ?"
          size="lg"
        >
          <Stack gap="sm">
            <Text size="sm">
              L’e-mail {verifying.reference} à {verifying.attempt.to} ({verifying.caseReference}, {verifying.debtorName}
              ) était en cours de remise au serveur SMTP le {formatInstant(verifying.attempt.at)} quand l’application
              s’est arrêtée.
            </Text>
            <Text size="sm">
              Ne le marquez envoyé que si vous avez constaté qu’il est parti
              {verifying.attempt.messageId ? ` (message ${verifying.attempt.messageId})` : ''} : il ne sera pas renvoyé,
              le courrier et l’étape de relance seront enregistrés envoyés et le journal du dossier citera votre
              vérification.
            </Text>
            <Textarea
              label="Comment l’envoi a-t-il été vérifié ?"
              placeholder="Ex. : présent dans les éléments envoyés de la messagerie le 23/11 ; reçu confirmé par le débiteur"
              required
              autosize
              minRows={2}
              maxLength={500}
              value={verification}
              onChange={(e) => setVerification(e.currentTarget.value)}
              data-testid="dunning-verified-note"
            />
            {confirmSent.error ? <ErrorPanel error={confirmSent.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setVerifying(null)}>
                Annuler
              </Button>
              <Button
                color="green"
                disabled={verification.trim().length < 3}
                loading={confirmSent.isPending}
                onClick={() => confirmSent.mutate({ letterId: verifying.letterId, verification: verification.trim() })}
                data-testid="dunning-verified-confirm"
              >
                Marquer comme envoyé
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {emails.length > 0 && (
        <div>
          <Group justify="space-between" mb="xs">
            <Title order={5}>
              E-mails : {formatInteger(emailsToSend.length)} à envoyer sur {formatInteger(emails.length)}
            </Title>
            <Group gap="xs">
              <Button
                size="xs"
                disabled={!smtpConfigured || emailsToSend.length === 0 || running}
                loading={send.isPending}
                onClick={() => send.mutate({ batchId })}
                data-testid="dunning-send-emails"
              >
                {emailsToSend.length === 0
                  ? 'Aucun e-mail à envoyer'
                  : emailsToSend.length === 1
                    ? 'Envoyer l’e-mail (SMTP)'
                    : `Envoyer les ${formatInteger(emailsToSend.length)} e-mails (SMTP)`}
              </Button>
              <Button
                size="xs"
                variant="light"
                disabled={emailsToSend.length === 0 || running}
                loading={busy === 'eml'}
                onClick={() =>
                  fileAction('eml', async () => {
                    const f = await call('dunning:eml-archive', { batchId })
                    download(f.fileName, f.base64, 'application/zip')
                    notifications.show({ color: 'green', message: `${f.count} fichier(s) .eml dans l’archive.` })
                  })
                }
                data-testid="dunning-eml-archive"
              >
                Fichiers .eml (zip)
              </Button>
            </Group>
          </Group>
          {!smtpConfigured && emailsToSend.length > 0 && (
            <Text size="xs" c="dimmed" mb="xs">
              Aucun serveur SMTP dans Paramètres : téléchargez les fichiers .eml et envoyez-les depuis votre messagerie.
            </Text>
          )}
          {send.isError && <ErrorPanel error={send.error} />}
          {job && (
            <Stack gap={4} mb="xs" data-testid="dunning-send-job">
              <Group justify="space-between">
                <Text size="sm">
                  {job.state === 'running'
                    ? `Envoi en cours : ${job.done} / ${job.total}`
                    : `${job.state === 'cancelled' ? 'Envoi arrêté' : 'Envoi terminé'} : ${job.sent} envoyé(s), ${job.failed} échec(s)`}
                </Text>
                {running ? (
                  <Button
                    size="compact-xs"
                    color="red"
                    variant="light"
                    onClick={() => void call('dunning:send-cancel', { jobId: job.jobId }).then(setJob)}
                  >
                    Arrêter après ce message
                  </Button>
                ) : failedIds.length > 0 ? (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => send.mutate({ batchId, letterIds: failedIds })}
                    data-testid="dunning-retry-failures"
                  >
                    {failedIds.length === 1 ? 'Réessayer l’échec' : `Réessayer les ${failedIds.length} échecs`}
                  </Button>
                ) : null}
              </Group>
              <Progress value={job.total ? (100 * job.done) / job.total : 100} animated={running} />
              {job.message && (
                <Alert color="red" p="xs">
                  {job.message}
                </Alert>
              )}
              {job.results.some((r) => r.outcome !== 'sent') && (
                <Table data-testid="dunning-send-failures">
                  <Table.Tbody>
                    {job.results
                      .filter((r) => r.outcome !== 'sent')
                      .map((r) => (
                        <Table.Tr key={r.letterId}>
                          <Table.Td>{r.caseReference}</Table.Td>
                          <Table.Td>{r.to ?? '—'}</Table.Td>
                          <Table.Td miw={120}>
                            <Badge
                              color={OUTCOME[r.outcome].color}
                              variant="light"
                              style={{ overflow: 'visible', flexShrink: 0 }}
                            >
                              {OUTCOME[r.outcome].label}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{r.reason}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          )}
          <ScrollArea.Autosize mah={240}>
            <Table striped data-testid="dunning-outbox-emails">
              <Table.Tbody>
                {emails.map((e) => (
                  <Table.Tr key={e.letterId} data-testid="dunning-outbox-email">
                    <Table.Td>{e.caseReference}</Table.Td>
                    <Table.Td>{e.debtorName}</Table.Td>
                    <Table.Td>{e.recipient ?? '—'}</Table.Td>
                    <Table.Td>
                      <StatusText item={e} />
                    </Table.Td>
                    <Table.Td>
                      {e.status === 'generated' && e.attempt?.status === 'uncertain' && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="orange"
                          disabled={!smtpConfigured || running}
                          onClick={() => setConfirming(e)}
                          data-testid="dunning-resend-uncertain"
                        >
                          Renvoyer…
                        </Button>
                      )}
                      {e.status === 'generated' && e.attempt?.status === 'uncertain' && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="green"
                          ml={4}
                          disabled={running}
                          onClick={() => {
                            setVerification('')
                            confirmSent.reset()
                            setVerifying(e)
                          }}
                          data-testid="dunning-mark-verified-sent"
                        >
                          Marquer comme envoyé (vérifié)…
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </div>
      )}
      {sms.length > 0 && (
        <div>
          <Group justify="space-between" mb="xs">
            <Title order={5}>
              SMS : {formatInteger(smsToSend.length)} à envoyer sur {formatInteger(sms.length)}
            </Title>
            <Button
              size="xs"
              variant="light"
              disabled={smsToSend.length === 0}
              loading={busy === 'sms'}
              onClick={() =>
                fileAction('sms', async () => {
                  const f = await call('dunning:sms-export', { batchId })
                  download(f.fileName, f.base64, 'text/csv')
                  notifications.show({
                    color: f.problems.length ? 'orange' : 'green',
                    message: `${f.count} SMS dans le fichier pour le prestataire.${f.problems.length ? ` Non inclus : ${f.problems.join(' ; ')}` : ''}`
                  })
                })
              }
              data-testid="dunning-sms-export"
            >
              Fichier pour le prestataire SMS (CSV)
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mb="xs">
            Importez le fichier (numéro ; texte) dans la plateforme de votre prestataire, puis marquez les SMS envoyés :
            le texte de chacun est inscrit au journal du dossier.
          </Text>
          {smsExported.length > 0 && (
            <Group align="flex-end" mb="xs">
              <TextInput
                type="date"
                label="SMS envoyés le"
                value={smsOn}
                onChange={(e) => setSmsOn(e.currentTarget.value)}
                w={180}
                size="xs"
              />
              <Button
                size="xs"
                onClick={() => smsSent.mutate({ batchId, sentOn: smsOn })}
                loading={smsSent.isPending}
                data-testid="dunning-sms-mark-sent"
              >
                Marquer les SMS exportés comme envoyés
              </Button>
            </Group>
          )}
          {smsSent.isError && <ErrorPanel error={smsSent.error} />}
          <ScrollArea.Autosize mah={240}>
            <Table striped data-testid="dunning-outbox-sms">
              <Table.Tbody>
                {sms.map((s) => (
                  <Table.Tr key={s.letterId}>
                    <Table.Td>{s.caseReference}</Table.Td>
                    <Table.Td>{s.debtorName}</Table.Td>
                    <Table.Td>{s.recipient ?? '—'}</Table.Td>
                    <Table.Td>
                      <StatusText item={s} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </div>
      )}
    </Stack>
  )
}
