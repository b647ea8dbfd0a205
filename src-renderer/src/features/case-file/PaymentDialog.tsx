import { useState } from 'react'
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { CaseFile, PaymentDto, PaymentRecorded } from '@shared/contract'
import {
  ALLOCATION_COMPONENTS,
  PAYMENT_METHODS,
  PAYMENT_RECEIVERS,
  type PaymentMethod,
  type PaymentReceiver
} from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { ErrorPanel, fieldError } from '../../components/ErrorPanel'
import { AmountInput, amountCents, amountError, dateError } from './money-fields'
import { useAction } from './use-action'

const MANUAL_COMPONENTS = ['interest', 'indemnity', 'principal'] as const
type ManualComponent = (typeof MANUAL_COMPONENTS)[number]

/** Allocation lines of a payment as a small table (facture, poste, montant). */
export function AllocationTable({ payment, testId }: { payment: PaymentDto; testId?: string }) {
  return (
    <Table className="tabular" withTableBorder data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Facture</Table.Th>
          <Table.Th>Poste</Table.Th>
          <Table.Th ta="right">Montant imputé</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {payment.allocations.map((a, i) => (
          <Table.Tr key={i}>
            <Table.Td>{a.invoiceNumber}</Table.Td>
            <Table.Td>{ALLOCATION_COMPONENTS.labels[a.component]}</Table.Td>
            <Table.Td ta="right">{formatCents(a.amountCents)}</Table.Td>
          </Table.Tr>
        ))}
        {payment.unallocatedCents !== 0 && (
          <Table.Tr>
            <Table.Td colSpan={2}>Non imputé (crédit du débiteur)</Table.Td>
            <Table.Td ta="right">{formatCents(payment.unallocatedCents)}</Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  )
}

function RecordedView({ file, result, onClose }: { file: CaseFile; result: PaymentRecorded; onClose: () => void }) {
  const invoice = (id: string) => file.claims.find((c) => c.id === id)?.invoiceNumber ?? ''
  return (
    <Stack gap="sm" data-testid="payment-recorded">
      <Alert color="teal" title="Paiement enregistré">
        <Text size="sm">
          {formatCents(result.payment.amountCents)} reçu le {formatDate(result.payment.receivedOn)} (
          {PAYMENT_METHODS.labels[result.payment.method].toLowerCase()}). Solde du dossier (principal) :{' '}
          <b>{formatCents(result.caseSummary.balanceCents)}</b>.
        </Text>
      </Alert>
      {result.designation && (
        <Text size="sm">
          {result.designation.honoured
            ? `Désignation du débiteur respectée : la facture ${invoice(result.designation.claimId)} est soldée.`
            : `La désignation de la facture ${invoice(result.designation.claimId)} est notée, mais le paiement ne la solde pas : l’ordre légal (C. civ. 1342-10) s’applique.`}
        </Text>
      )}
      <Text fw={600} size="sm">
        Imputation
      </Text>
      <AllocationTable payment={result.payment} testId="payment-allocation" />
      {result.changedInstallments.length > 0 && (
        <Text size="sm">
          Échéances mises à jour :{' '}
          {result.changedInstallments
            .map((i) => `n° ${i.sequence} du ${formatDate(i.dueOn)} (${formatCents(i.paidCents)} payés)`)
            .join(', ')}
          .
        </Text>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          Fermer
        </Button>
      </Group>
    </Stack>
  )
}

/** Record a payment received by the agency or directly by the client, with its allocation. */
export function PaymentDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [receivedOn, setReceivedOn] = useState<string>(file.today)
  const [amount, setAmount] = useState('')
  const [method, setMethod] = useState<PaymentMethod>('transfer')
  const [reference, setReference] = useState('')
  const [receivedBy, setReceivedBy] = useState<PaymentReceiver>('agency')
  const [collectedOn, setCollectedOn] = useState('')
  const [designated, setDesignated] = useState<string | null>(null)
  const [manual, setManual] = useState(false)
  const [manualAmounts, setManualAmounts] = useState<Record<string, string>>({})
  const [reason, setReason] = useState('')
  const [note, setNote] = useState('')
  const [touched, setTouched] = useState(false)
  const record = useAction('money:record-payment')
  const result = record.data

  const cents = amountCents(amount)
  const dateValid = !dateError(receivedOn, { max: file.today })
  // What is owed per claim and component just before the payment: the manual allocation's guide.
  const before = useChannel(
    'money:statement',
    { caseId: file.case.id, at: receivedOn },
    { enabled: manual && dateValid, retry: false }
  )

  const key = (claimId: string, component: ManualComponent) => `${claimId}:${component}`
  const manualLines = MANUAL_COMPONENTS.flatMap((component) =>
    file.claims.map((claim) => ({
      claimId: claim.id,
      component,
      amountCents: amountCents(manualAmounts[key(claim.id, component)] ?? '')
    }))
  )
  const badManualCell = manualLines.some(
    (l) => (manualAmounts[key(l.claimId, l.component)] ?? '').trim() !== '' && l.amountCents === null
  )
  const manualTotal = manualLines.reduce((s, l) => s + (l.amountCents ?? 0), 0)

  const errors = {
    receivedOn: dateError(receivedOn, {
      max: file.today,
      maxLabel: 'La date de réception ne peut pas être postérieure à aujourd’hui'
    }),
    amount: amountError(amount),
    collectedOn: dateError(collectedOn, {
      required: false,
      max: file.today,
      maxLabel: 'La date d’encaissement ne peut pas être postérieure à aujourd’hui',
      min: receivedOn,
      minLabel: 'L’encaissement ne peut pas précéder la réception'
    }),
    reference: reference.length > 100 ? 'Référence trop longue (100 caractères au plus)' : undefined,
    manual: !manual
      ? undefined
      : badManualCell
        ? 'Un montant de la répartition est invalide'
        : manualTotal === 0
          ? 'Répartissez le paiement sur au moins une ligne'
          : cents !== null && manualTotal > cents
            ? `La répartition (${formatCents(manualTotal)}) dépasse le paiement (${formatCents(cents)})`
            : undefined,
    reason: manual && reason.trim().length < 3 ? 'Indiquez le motif de l’imputation manuelle' : undefined
  }
  const valid = Object.values(errors).every((e) => e === undefined)
  const show = (message: string | undefined, path: string) =>
    (touched ? message : undefined) ?? fieldError(record.error, path)

  const submit = () => {
    setTouched(true)
    if (!valid || cents === null) return
    record.mutate(
      {
        caseId: file.case.id,
        receivedOn,
        amountCents: cents,
        method,
        reference: reference.trim() || null,
        receivedBy,
        collectedOn: collectedOn || null,
        designatedClaimId: manual ? null : designated,
        ...(manual && {
          manualAllocation: {
            lines: manualLines
              .filter((l) => (l.amountCents ?? 0) > 0)
              .map((l) => ({ claimId: l.claimId, component: l.component, amountCents: l.amountCents! })),
            reason: reason.trim()
          }
        }),
        note: note.trim() || null
      },
      {
        onSuccess: (data) =>
          notifications.show({
            color: 'teal',
            message: `Paiement de ${formatCents(data.payment.amountCents)} enregistré`
          })
      }
    )
  }

  const outstanding = new Map((before.data?.claims ?? []).map((c) => [c.claimId, c.balance]))
  return (
    <Modal opened onClose={onClose} title="Enregistrer un paiement" size="xl">
      {result ? (
        <RecordedView file={file} result={result} onClose={onClose} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            submit()
          }}
          data-testid="payment-form"
          noValidate
        >
          <Stack gap="sm">
            <SimpleGrid cols={2}>
              <TextInput
                type="date"
                label="Reçu le"
                required
                value={receivedOn}
                max={file.today}
                onChange={(e) => setReceivedOn(e.currentTarget.value)}
                error={show(errors.receivedOn, 'receivedOn')}
              />
              <AmountInput
                label="Montant"
                required
                placeholder="1 234,56"
                value={amount}
                onChange={setAmount}
                error={show(errors.amount, 'amountCents')}
                data-autofocus
                data-testid="payment-amount"
              />
              <Select
                label="Moyen de paiement"
                required
                data={PAYMENT_METHODS.values.map((v) => ({ value: v, label: PAYMENT_METHODS.labels[v] }))}
                value={method}
                onChange={(v) => v && setMethod(v as PaymentMethod)}
                allowDeselect={false}
                data-testid="payment-method"
              />
              <TextInput
                label="Référence"
                placeholder="N° de chèque, libellé du virement…"
                value={reference}
                onChange={(e) => setReference(e.currentTarget.value)}
                error={show(errors.reference, 'reference')}
              />
            </SimpleGrid>
            <div>
              <Text size="sm" fw={500} mb={4}>
                Reçu par
              </Text>
              <SegmentedControl
                value={receivedBy}
                onChange={(v) => setReceivedBy(v as PaymentReceiver)}
                data={PAYMENT_RECEIVERS.values.map((v) => ({ value: v, label: PAYMENT_RECEIVERS.labels[v] }))}
                data-testid="payment-received-by"
              />
              <Text size="xs" c="dimmed" mt={4}>
                {receivedBy === 'agency'
                  ? 'Fonds reçus sur le compte du cabinet : à reverser au client sous un mois (CPCE R124-6).'
                  : 'Paiement reçu directement par le client : la commission reste due au cabinet.'}
              </Text>
            </div>
            <SimpleGrid cols={2}>
              <TextInput
                type="date"
                label="Encaissé le"
                description="Date de crédit effectif (chèque…) ; la date de réception par défaut"
                value={collectedOn}
                min={receivedOn}
                max={file.today}
                onChange={(e) => setCollectedOn(e.currentTarget.value)}
                error={show(errors.collectedOn, 'collectedOn')}
              />
              {!manual && file.claims.length > 1 && (
                <Select
                  label="Facture désignée par le débiteur"
                  description="Respectée si le paiement la solde (C. civ. 1342-10)"
                  placeholder="Aucune : ordre légal"
                  clearable
                  data={file.claims.map((c) => ({
                    value: c.id,
                    label: `${c.invoiceNumber} · ${formatCents(c.principalCents)}`
                  }))}
                  value={designated}
                  onChange={setDesignated}
                  error={fieldError(record.error, 'designatedClaimId')}
                />
              )}
            </SimpleGrid>
            <Checkbox
              label="Imputation manuelle (au lieu de l’ordre légal : intérêts, indemnité, puis principal)"
              checked={manual}
              onChange={(e) => setManual(e.currentTarget.checked)}
              data-testid="payment-manual"
            />
            {manual && (
              <Stack gap="xs">
                {before.isFetching && <Loader size="xs" />}
                {before.isError && <ErrorPanel error={before.error} title="Montants dus non calculés" />}
                <Table className="tabular" withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Facture</Table.Th>
                      {MANUAL_COMPONENTS.map((c) => (
                        <Table.Th key={c}>{ALLOCATION_COMPONENTS.labels[c]}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {file.claims.map((claim) => {
                      const owed = outstanding.get(claim.id)
                      return (
                        <Table.Tr key={claim.id}>
                          <Table.Td>{claim.invoiceNumber}</Table.Td>
                          {MANUAL_COMPONENTS.map((component) => {
                            const k = key(claim.id, component)
                            const due = owed ? Math.max(0, owed[`${component}Cents`]) : null
                            return (
                              <Table.Td key={component}>
                                <AmountInput
                                  size="xs"
                                  aria-label={`${ALLOCATION_COMPONENTS.labels[component]} ${claim.invoiceNumber}`}
                                  value={manualAmounts[k] ?? ''}
                                  onChange={(v) => setManualAmounts((m) => ({ ...m, [k]: v }))}
                                  description={due !== null ? `dû ${formatCents(due)}` : undefined}
                                  disabled={due === 0}
                                />
                              </Table.Td>
                            )
                          })}
                        </Table.Tr>
                      )
                    })}
                  </Table.Tbody>
                </Table>
                <Text size="sm" c={errors.manual && touched ? 'red' : undefined}>
                  Réparti : {formatCents(manualTotal)}
                  {cents !== null ? ` sur ${formatCents(cents)} — reste ${formatCents(cents - manualTotal)}` : ''}
                  {touched && errors.manual ? ` · ${errors.manual}` : ''}
                </Text>
                <Textarea
                  label="Motif de l’imputation manuelle"
                  required
                  autosize
                  minRows={2}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  error={show(errors.reason, 'manualAllocation.reason')}
                  data-testid="payment-manual-reason"
                />
              </Stack>
            )}
            <Textarea
              label="Note"
              autosize
              minRows={1}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={fieldError(record.error, 'note')}
            />
            {record.error && !record.error.issues?.length ? <ErrorPanel error={record.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} type="button">
                Annuler
              </Button>
              <Button type="submit" loading={record.isPending} data-testid="payment-submit">
                Enregistrer le paiement
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}

/** Reverse a payment (bounced cheque, rejected debit): a new, linked entry with a reason. */
export function ReversePaymentDialog({
  file,
  payment,
  onClose
}: {
  file: CaseFile
  payment: PaymentDto
  onClose: () => void
}) {
  const [reversedOn, setReversedOn] = useState<string>(file.today)
  const [reason, setReason] = useState('')
  const [touched, setTouched] = useState(false)
  const reverse = useAction('money:reverse-payment')
  const errors = {
    reversedOn: dateError(reversedOn, {
      max: file.today,
      maxLabel: 'La date d’annulation ne peut pas être postérieure à aujourd’hui',
      min: payment.receivedOn,
      minLabel: 'L’annulation ne peut pas précéder le paiement'
    }),
    reason: reason.trim().length < 3 ? 'Indiquez le motif (chèque impayé, rejet de prélèvement…)' : undefined
  }
  const valid = !errors.reversedOn && !errors.reason
  return (
    <Modal opened onClose={onClose} title="Contre-passer un paiement" size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          setTouched(true)
          if (!valid) return
          reverse.mutate(
            { paymentId: payment.id, reversedOn, reason: reason.trim() },
            {
              onSuccess: () => {
                notifications.show({ color: 'teal', message: 'Paiement contre-passé' })
                onClose()
              }
            }
          )
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            Paiement de <b>{formatCents(payment.amountCents)}</b> reçu le {formatDate(payment.receivedOn)} (
            {PAYMENT_METHODS.labels[payment.method].toLowerCase()}
            {payment.reference ? `, réf. ${payment.reference}` : ''}). Il n’est pas supprimé : une écriture inverse est
            ajoutée, son imputation est annulée et les intérêts sont recalculés comme s’il n’avait pas été reçu.
          </Text>
          <TextInput
            type="date"
            label="Date de la contre-passation"
            required
            value={reversedOn}
            max={file.today}
            onChange={(e) => setReversedOn(e.currentTarget.value)}
            error={(touched ? errors.reversedOn : undefined) ?? fieldError(reverse.error, 'reversedOn')}
          />
          <Textarea
            label="Motif"
            required
            placeholder="Chèque impayé, rejet de prélèvement, erreur de saisie…"
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={(touched ? errors.reason : undefined) ?? fieldError(reverse.error, 'reason')}
            data-autofocus
            data-testid="reverse-reason"
          />
          {reverse.error && !reverse.error.issues?.length ? <ErrorPanel error={reverse.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} type="button">
              Annuler
            </Button>
            <Button type="submit" color="red" loading={reverse.isPending} data-testid="reverse-submit">
              Contre-passer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
