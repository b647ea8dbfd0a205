import { useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { LEGAL_EVENT_KINDS, LEGAL_EVENT_LABELS, type CaseFile, type LegalEventKind } from '@shared/contract'
import { addMonths, addYears } from '@shared/dates/calendar-date'
import { formatDate } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { ErrorPanel, fieldError } from '../../components/ErrorPanel'
import { dateError } from './money-fields'
import { useAction } from './use-action'

const ALL = 'all'

/** Per kind: the dialog's title, date label, reference label and what it does (French). */
const KIND_TEXT: Record<
  LegalEventKind,
  { title: string; date: string; future: string; reference: string; saved: string; badge: string; color: string }
> = {
  judgment: {
    title: 'Enregistrer un jugement',
    date: 'Jugement rendu le',
    future: 'Le jugement ne peut pas être daté dans le futur',
    reference: 'N° RG / de la décision',
    saved: 'Jugement enregistré',
    badge: 'Jugement',
    color: 'grape'
  },
  acknowledgement: {
    title: 'Enregistrer une reconnaissance de dette',
    date: 'Signée le',
    future: 'La signature ne peut pas être future',
    reference: 'Référence du document',
    saved: 'Reconnaissance de dette enregistrée',
    badge: 'Reconnaissance',
    color: 'cyan'
  },
  court_claim: {
    title: 'Enregistrer une demande en justice',
    date: 'Demande formée le',
    future: 'La demande ne peut pas être datée dans le futur',
    reference: 'N° RG / de la requête',
    saved: 'Demande en justice enregistrée',
    badge: 'Demande',
    color: 'indigo'
  },
  enforcement_act: {
    title: 'Enregistrer un acte d’exécution forcée',
    date: 'Acte signifié le',
    future: 'L’acte ne peut pas être daté dans le futur',
    reference: 'Référence de l’acte',
    saved: 'Acte d’exécution enregistré',
    badge: 'Exécution',
    color: 'red'
  }
}

const INTERRUPTION_TEXT: Record<Exclude<LegalEventKind, 'judgment'>, string> = {
  acknowledgement:
    'Une reconnaissance signée avant l’expiration interrompt la prescription, qui recommence à courir pour la même durée (C. civ. 2240, 2231). Signée après, elle ne fait pas revivre une créance prescrite.',
  court_claim:
    'Une demande en justice, même en référé, y compris une requête en injonction de payer, interrompt la prescription (C. civ. 2241) ; un nouveau délai de même durée court à partir de sa date. Si la demande est rejetée définitivement, retirée ou périmée, l’interruption est non avenue (C. civ. 2243). Le jugement obtenu s’enregistre ensuite : prescription de 10 ans.',
  enforcement_act:
    'Un acte d’exécution forcée (saisie, commandement…) interrompt la prescription, qui recommence à courir pour la même durée (C. civ. 2244, 2231). Délivré après l’expiration, il ne fait pas revivre une créance prescrite.'
}

/** Record a judgment (enforceable title) or a signed acknowledgement of debt. */
export function LegalEventDialog({
  file,
  initialKind,
  onClose
}: {
  file: CaseFile
  initialKind: LegalEventKind
  onClose: () => void
}) {
  const [kind, setKind] = useState<LegalEventKind>(initialKind)
  const [claim, setClaim] = useState<string>(ALL)
  const [occurredOn, setOccurredOn] = useState('')
  const [enforceableOn, setEnforceableOn] = useState('')
  const [court, setCourt] = useState('')
  const [reference, setReference] = useState('')
  const [note, setNote] = useState('')
  const [touched, setTouched] = useState(false)
  const record = useAction('money:record-legal-event')
  const judgment = kind === 'judgment'
  const withCourt = judgment || kind === 'court_claim'
  const errors = {
    occurredOn: dateError(occurredOn, {
      max: file.today,
      maxLabel: KIND_TEXT[kind].future
    }),
    enforceableOn: judgment
      ? dateError(enforceableOn, {
          max: file.today,
          maxLabel: 'Le jugement doit déjà être exécutoire',
          min: occurredOn || undefined,
          minLabel: 'Le jugement ne peut pas être exécutoire avant d’avoir été rendu'
        })
      : undefined
  }
  const valid = !errors.occurredOn && !errors.enforceableOn
  const show = (message: string | undefined, path: string) =>
    (touched ? message : undefined) ?? fieldError(record.error, path)

  return (
    <Modal opened onClose={onClose} title={KIND_TEXT[kind].title} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          setTouched(true)
          if (!valid) return
          record.mutate(
            {
              caseId: file.case.id,
              claimId: claim === ALL ? null : claim,
              kind,
              occurredOn,
              enforceableOn: judgment ? enforceableOn : null,
              court: withCourt ? court.trim() || null : null,
              reference: reference.trim() || null,
              note: note.trim() || null
            },
            {
              onSuccess: () => {
                notifications.show({
                  color: 'teal',
                  message: KIND_TEXT[kind].saved
                })
                onClose()
              }
            }
          )
        }}
      >
        <Stack gap="sm">
          <Select
            label="Événement"
            value={kind}
            onChange={(v) => v && setKind(v as LegalEventKind)}
            data={LEGAL_EVENT_KINDS.map((k) => ({ value: k, label: LEGAL_EVENT_LABELS[k] }))}
            allowDeselect={false}
            data-testid="legal-event-kind"
          />
          <Select
            label="Créance concernée"
            data={[
              { value: ALL, label: 'Toutes les créances du dossier' },
              ...file.claims.map((c) => ({ value: c.id, label: `Facture ${c.invoiceNumber}` }))
            ]}
            value={claim}
            onChange={(v) => setClaim(v ?? ALL)}
            allowDeselect={false}
          />
          <SimpleGrid cols={2}>
            <TextInput
              type="date"
              label={KIND_TEXT[kind].date}
              required
              value={occurredOn}
              max={file.today}
              onChange={(e) => setOccurredOn(e.currentTarget.value)}
              error={show(errors.occurredOn, 'occurredOn')}
              data-autofocus
            />
            {judgment && (
              <TextInput
                type="date"
                label="Exécutoire depuis le"
                description="Signification faite, délais de recours expirés ou exécution provisoire"
                required
                value={enforceableOn}
                min={occurredOn || undefined}
                max={file.today}
                onChange={(e) => setEnforceableOn(e.currentTarget.value)}
                error={show(errors.enforceableOn, 'enforceableOn')}
              />
            )}
            {withCourt && (
              <TextInput
                label="Juridiction"
                placeholder="Tribunal judiciaire de …"
                value={court}
                onChange={(e) => setCourt(e.currentTarget.value)}
                error={fieldError(record.error, 'court')}
              />
            )}
            <TextInput
              label={KIND_TEXT[kind].reference}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={fieldError(record.error, 'reference')}
            />
          </SimpleGrid>
          <Textarea label="Note" autosize minRows={1} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Alert color="blue" p="xs">
            <Text size="sm">
              {judgment
                ? enforceableOn && !errors.enforceableOn
                  ? `Intérêt légal majoré de 5 points à partir du ${formatDate(addMonths(enforceableOn, 2))} (C. mon. fin. L313-3) ; prescription portée à 10 ans, jusqu’au ${formatDate(addYears(enforceableOn, 10))} (CPCE L111-4).`
                  : 'L’intérêt légal est majoré de 5 points deux mois après la date où le jugement est devenu exécutoire (C. mon. fin. L313-3) ; la prescription passe à 10 ans (CPCE L111-4).'
                : INTERRUPTION_TEXT[kind]}
            </Text>
          </Alert>
          {record.error && !record.error.issues?.length ? <ErrorPanel error={record.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={record.isPending} data-testid="legal-event-submit">
              Enregistrer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

/** Judgments, acknowledgements, court claims and enforcement acts recorded on the case, with the buttons to add one. */
export function LegalEventsPanel({ file }: { file: CaseFile }) {
  const events = useChannel('money:list-legal-events', { caseId: file.case.id })
  const [open, setOpen] = useState<LegalEventKind | null>(null)
  return (
    <Stack gap="xs" mt="md" data-testid="legal-events">
      <Group justify="space-between">
        <Text fw={600}>Titres, reconnaissances et actes interruptifs</Text>
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={() => setOpen('judgment')}>
            Enregistrer un jugement
          </Button>
          <Button size="xs" variant="light" onClick={() => setOpen('acknowledgement')}>
            Reconnaissance de dette signée
          </Button>
          <Button size="xs" variant="light" onClick={() => setOpen('court_claim')}>
            Demande en justice
          </Button>
          <Button size="xs" variant="light" onClick={() => setOpen('enforcement_act')}>
            Acte d’exécution
          </Button>
        </Group>
      </Group>
      {events.isError ? (
        <ErrorPanel error={events.error} />
      ) : !events.data || events.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Aucun jugement, reconnaissance de dette, demande en justice ni acte d’exécution enregistré.
        </Text>
      ) : (
        <Table className="tabular">
          <Table.Tbody>
            {events.data.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td w={150}>
                  <Badge size="sm" variant="light" color={KIND_TEXT[e.kind].color} tt="none" miw={110}>
                    {KIND_TEXT[e.kind].badge}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {e.kind === 'judgment'
                    ? `Rendu le ${formatDate(e.occurredOn)}, exécutoire le ${formatDate(e.enforceableOn!)}`
                    : `${KIND_TEXT[e.kind].date} ${formatDate(e.occurredOn)}`}
                  {e.court ? ` · ${e.court}` : ''}
                  {e.reference ? ` · ${e.reference}` : ''}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {e.invoiceNumber ? `Facture ${e.invoiceNumber}` : 'Toutes les créances'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open && <LegalEventDialog file={file} initialKind={open} onClose={() => setOpen(null)} />}
    </Stack>
  )
}
