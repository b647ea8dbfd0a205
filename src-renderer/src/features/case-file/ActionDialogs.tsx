import { useMemo, useState } from 'react'
import { Alert, Button, Group, Modal, Radio, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { WORKING_PHASES, type CaseFile, type DeadlineDto, type ProceedingDto } from '@shared/contract'
import { addDays } from '@shared/dates/calendar-date'
import {
  CASE_PHASES,
  CLOSURE_REASONS,
  PROCEEDING_KINDS,
  SUSPENSION_REASONS,
  type ClosureReason,
  type ProceedingKind,
  type SuspensionReason
} from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import {
  deadlineCountdown,
  isCollective,
  isCreditorOutsideMetropole,
  proceedingDeadline
} from '@shared/proceedings/deadlines'
import { screenText } from '@shared/screening/cnil-screening'
import { useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { AmountInput, amountCents, amountError, dateError } from './money-fields'
import { ScreenedTextarea, useScreening } from './ScreenedTextarea'
import { useAction } from './use-action'

export type CaseDialog =
  | { kind: 'note' }
  | { kind: 'promise' }
  | { kind: 'phase' }
  | { kind: 'assign' }
  | { kind: 'suspend' }
  | { kind: 'resume' }
  | { kind: 'close' }
  | { kind: 'next-action' }
  | { kind: 'proceeding'; proceeding?: ProceedingDto; proceedingKind?: ProceedingKind }
  | { kind: 'deadline'; deadline: DeadlineDto }

/** A dialog with a submit button; Ctrl+Entrée submits from anywhere in it. */
function ActionModal({
  title,
  onClose,
  onSubmit,
  canSubmit,
  pending,
  error,
  submitLabel,
  children,
  size = 'lg'
}: {
  title: string
  onClose: () => void
  onSubmit: () => void
  canSubmit: boolean
  pending: boolean
  error: unknown
  submitLabel: string
  children: React.ReactNode
  size?: string
}) {
  return (
    <Modal opened onClose={onClose} title={title} size={size}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (canSubmit && !pending) onSubmit()
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && canSubmit && !pending) {
            event.preventDefault()
            onSubmit()
          }
        }}
      >
        <Stack gap="sm">
          {children}
          {error ? <ErrorPanel error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} type="button">
              Annuler
            </Button>
            <Button type="submit" disabled={!canSubmit} loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

function done(message: string, onClose: () => void) {
  return () => {
    notifications.show({ color: 'teal', message })
    onClose()
  }
}

/**
 * A promise to pay received otherwise than on a logged call (letter, e-mail, at the counter): amount,
 * date it falls due, day it was made. The main process writes the promise and its journal entry
 * together; it is then checked against the payments like one made on a call, and shows in the agenda
 * on its due date.
 */
export function PromiseDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [amount, setAmount] = useState('')
  const [dueOn, setDueOn] = useState('')
  const [madeOn, setMadeOn] = useState(file.today)
  const create = useAction('promises:create')
  const cents = amountCents(amount)
  const amountProblem = amount ? amountError(amount) : undefined
  const madeProblem = dateError(madeOn, { max: file.today, maxLabel: 'Une promesse ne peut pas être datée de demain' })
  const dueProblem = dueOn
    ? dateError(dueOn, { min: madeOn || file.today, minLabel: 'L’échéance précède le jour de la promesse' })
    : undefined
  const ready = cents !== null && cents > 0 && !amountProblem && dueOn !== '' && !dueProblem && !madeProblem
  return (
    <ActionModal
      title="Enregistrer une promesse de paiement"
      onClose={onClose}
      canSubmit={ready}
      pending={create.isPending}
      error={create.error}
      submitLabel="Enregistrer (Ctrl+Entrée)"
      size="md"
      onSubmit={() =>
        create.mutate(
          { caseId: file.case.id, amountCents: cents!, dueOn, madeOn },
          { onSuccess: done('Promesse enregistrée', onClose) }
        )
      }
    >
      <Text size="sm" c="dimmed">
        Reçue par courrier, e-mail ou sur place. Une promesse faite au téléphone s’enregistre avec l’appel.
      </Text>
      <AmountInput
        label="Montant promis"
        description={`Solde dû : ${formatCents(file.case.balanceCents)}`}
        value={amount}
        onChange={setAmount}
        error={amountProblem}
        required
        data-autofocus
        data-testid="promise-amount"
      />
      <Group grow align="flex-start">
        <TextInput
          type="date"
          label="Au plus tard le"
          value={dueOn}
          min={madeOn || file.today}
          onChange={(e) => setDueOn(e.currentTarget.value)}
          error={dueProblem}
          required
          data-testid="promise-due-on"
        />
        <TextInput
          type="date"
          label="Promesse faite le"
          value={madeOn}
          max={file.today}
          onChange={(e) => setMadeOn(e.currentTarget.value)}
          error={madeProblem}
          required
        />
      </Group>
    </ActionModal>
  )
}

export function NoteDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [text, setText] = useState('')
  const screening = useScreening(text)
  const add = useAction('case:add-note')
  return (
    <ActionModal
      title="Ajouter une note"
      onClose={onClose}
      canSubmit={text.trim().length > 0 && screening.ok}
      pending={add.isPending}
      error={add.error}
      submitLabel="Ajouter (Ctrl+Entrée)"
      onSubmit={() =>
        add.mutate({ caseId: file.case.id, text: text.trim() }, { onSuccess: done('Note ajoutée', onClose) })
      }
    >
      <ScreenedTextarea
        label="Note"
        description="Faits utiles au recouvrement, sans jugement ni donnée sensible : le débiteur peut la lire."
        value={text}
        onChange={setText}
        result={screening}
        minRows={4}
        data-autofocus
      />
    </ActionModal>
  )
}

function ReasonField({
  label,
  value,
  onChange,
  required = true
}: {
  label: string
  value: string
  onChange: (v: string) => void
  required?: boolean
}) {
  const screening = useScreening(value)
  return (
    <ScreenedTextarea
      label={label}
      value={value}
      onChange={onChange}
      result={screening}
      minRows={1}
      required={required}
    />
  )
}

const screenOk = (text: string) => !text || screenText(text).ok

/** A reason or comment the form may send: long enough when required, and screened. */
const reasonOk = (text: string, required = true) => {
  const t = text.trim()
  return (required ? t.length >= 3 : t.length === 0 || t.length >= 3) && screenOk(t)
}

export function PhaseDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [phase, setPhase] = useState<string>(
    WORKING_PHASES[Math.min(WORKING_PHASES.indexOf(file.case.phase as never) + 1, WORKING_PHASES.length - 1)] ??
      'amicable'
  )
  const [reason, setReason] = useState('')
  const change = useAction('case:change-phase')
  return (
    <ActionModal
      title="Changer de phase"
      onClose={onClose}
      canSubmit={phase !== file.case.phase && reasonOk(reason)}
      pending={change.isPending}
      error={change.error}
      submitLabel="Changer de phase"
      onSubmit={() =>
        change.mutate(
          {
            caseId: file.case.id,
            expectedVersion: file.case.version,
            phase: phase as (typeof WORKING_PHASES)[number],
            reason: reason.trim()
          },
          { onSuccess: done(`Phase : ${CASE_PHASES.labels[phase as keyof typeof CASE_PHASES.labels]}`, onClose) }
        )
      }
    >
      <Text size="sm">
        Phase actuelle : <b>{CASE_PHASES.labels[file.case.phase]}</b>
      </Text>
      <SegmentedControl
        value={phase}
        onChange={setPhase}
        data={WORKING_PHASES.map((p) => ({ value: p, label: CASE_PHASES.labels[p], disabled: p === file.case.phase }))}
        aria-label="Nouvelle phase"
      />
      <ReasonField label="Motif" value={reason} onChange={setReason} />
    </ActionModal>
  )
}

export function AssignDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const users = useChannel('users:list', {}, { staleTime: 5 * 60_000 })
  const [collectorId, setCollectorId] = useState<string | null>(file.case.collectorId)
  const [reason, setReason] = useState('')
  const assign = useAction('case:assign')
  const options = (users.data ?? [])
    .filter((u) => u.active && (u.role === 'collector' || u.role === 'manager'))
    .map((u) => ({ value: u.id, label: u.displayName }))
  return (
    <ActionModal
      title="Affecter le dossier"
      onClose={onClose}
      canSubmit={collectorId !== file.case.collectorId && reasonOk(reason, false)}
      pending={assign.isPending}
      error={assign.error}
      submitLabel="Affecter"
      onSubmit={() =>
        assign.mutate(
          {
            caseId: file.case.id,
            expectedVersion: file.case.version,
            collectorId,
            ...(reason.trim() ? { reason: reason.trim() } : {})
          },
          { onSuccess: done('Dossier réaffecté', onClose) }
        )
      }
    >
      <Select
        label="Chargé de recouvrement"
        data={options}
        value={collectorId}
        onChange={setCollectorId}
        searchable
        clearable
        placeholder="Personne"
        nothingFoundMessage="Aucun utilisateur"
        data-autofocus
      />
      <ReasonField label="Motif (facultatif)" value={reason} onChange={setReason} required={false} />
    </ActionModal>
  )
}

export function SuspendDialog({
  file,
  onClose,
  onProceeding
}: {
  file: CaseFile
  onClose: () => void
  onProceeding: (kind: ProceedingKind) => void
}) {
  const [reason, setReason] = useState<SuspensionReason>('dispute')
  const [comment, setComment] = useState('')
  const [reviewOn, setReviewOn] = useState(addDays(file.today, 30))
  const suspend = useAction('case:suspend')
  const proceedings = reason === 'collective_proceedings' || reason === 'over_indebtedness'
  return (
    <ActionModal
      title="Suspendre le recouvrement"
      onClose={onClose}
      canSubmit={proceedings || reasonOk(comment)}
      pending={suspend.isPending}
      error={suspend.error}
      submitLabel={proceedings ? 'Continuer : renseigner la procédure' : 'Suspendre'}
      onSubmit={() => {
        if (reason === 'collective_proceedings') return onProceeding('receivership')
        if (reason === 'over_indebtedness') return onProceeding('over_indebtedness')
        suspend.mutate(
          {
            caseId: file.case.id,
            expectedVersion: file.case.version,
            reason: reason as 'dispute' | 'client_request',
            comment: comment.trim(),
            reviewOn: reviewOn || null
          },
          { onSuccess: done('Dossier suspendu : les relances sont arrêtées', onClose) }
        )
      }}
    >
      <Radio.Group value={reason} onChange={(v) => setReason(v as SuspensionReason)} label="Motif">
        <Stack gap={6} mt={4}>
          {SUSPENSION_REASONS.values.map((value) => (
            <Radio
              key={value}
              value={value}
              label={SUSPENSION_REASONS.labels[value]}
              description={
                value === 'collective_proceedings'
                  ? 'Sauvegarde, redressement, liquidation : avec le jugement et le délai de déclaration'
                  : value === 'over_indebtedness'
                    ? 'Dossier déclaré recevable par la commission : avec le délai de contestation'
                    : undefined
              }
            />
          ))}
        </Stack>
      </Radio.Group>
      {!proceedings && (
        <>
          <ReasonField label="Précisions" value={comment} onChange={setComment} />
          <TextInput
            type="date"
            label="Revoir le dossier le"
            description="Devient la prochaine action du dossier"
            value={reviewOn}
            min={file.today}
            onChange={(e) => setReviewOn(e.currentTarget.value)}
            w={240}
          />
        </>
      )}
    </ActionModal>
  )
}

export function ResumeDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [comment, setComment] = useState('')
  const resume = useAction('case:resume')
  const frozen =
    file.case.suspensionReason === 'collective_proceedings' || file.case.suspensionReason === 'over_indebtedness'
  return (
    <ActionModal
      title="Reprendre le recouvrement"
      onClose={onClose}
      canSubmit={reasonOk(comment)}
      pending={resume.isPending}
      error={resume.error}
      submitLabel="Reprendre"
      onSubmit={() =>
        resume.mutate(
          { caseId: file.case.id, expectedVersion: file.case.version, comment: comment.trim() },
          { onSuccess: done('Recouvrement repris', onClose) }
        )
      }
    >
      {frozen && (
        <Alert color="yellow">
          Le dossier est suspendu pour {SUSPENSION_REASONS.labels[file.case.suspensionReason!].toLowerCase()} : ne
          reprenez les relances que si la procédure le permet (clôture, plan arrêté…).
        </Alert>
      )}
      <ReasonField label="Motif de la reprise" value={comment} onChange={setComment} />
    </ActionModal>
  )
}

export function CloseDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [reason, setReason] = useState<ClosureReason>(file.case.balanceCents === 0 ? 'paid' : 'irrecoverable')
  const [comment, setComment] = useState('')
  const close = useAction('case:close')
  const blocked =
    (reason === 'paid' && file.case.balanceCents > 0) || (reason === 'partially_paid' && file.case.paidCents <= 0)
  return (
    <ActionModal
      title="Clôturer le dossier"
      onClose={onClose}
      canSubmit={!blocked && reasonOk(comment, false)}
      pending={close.isPending}
      error={close.error}
      submitLabel="Clôturer"
      onSubmit={() =>
        close.mutate(
          {
            caseId: file.case.id,
            expectedVersion: file.case.version,
            reason,
            ...(comment.trim() ? { comment: comment.trim() } : {})
          },
          { onSuccess: done('Dossier clôturé', onClose) }
        )
      }
    >
      <Text size="sm">
        Principal {formatCents(file.case.principalCents)} · payé {formatCents(file.case.paidCents)} · reste dû{' '}
        <b>{formatCents(file.case.balanceCents)}</b>
      </Text>
      <Radio.Group value={reason} onChange={(v) => setReason(v as ClosureReason)} label="Motif de clôture">
        <Stack gap={6} mt={4}>
          {CLOSURE_REASONS.values.map((value) => (
            <Radio key={value} value={value} label={CLOSURE_REASONS.labels[value]} />
          ))}
        </Stack>
      </Radio.Group>
      {blocked && (
        <Alert color="yellow">
          {reason === 'paid'
            ? `Il reste ${formatCents(file.case.balanceCents)} en principal : le dossier n’est pas soldé.`
            : 'Aucun paiement n’est enregistré sur ce dossier.'}
        </Alert>
      )}
      <ReasonField label="Commentaire (facultatif)" value={comment} onChange={setComment} required={false} />
    </ActionModal>
  )
}

export function NextActionDialog({ file, onClose }: { file: CaseFile; onClose: () => void }) {
  const [date, setDate] = useState(file.case.nextActionOn ?? addDays(file.today, 1))
  const [comment, setComment] = useState('')
  const set = useAction('case:set-next-action')
  return (
    <ActionModal
      title="Prochaine action"
      onClose={onClose}
      canSubmit={
        (date === '' || date >= file.today) && reasonOk(comment, false) && date !== (file.case.nextActionOn ?? '')
      }
      pending={set.isPending}
      error={set.error}
      submitLabel="Enregistrer"
      size="md"
      onSubmit={() =>
        set.mutate(
          {
            caseId: file.case.id,
            expectedVersion: file.case.version,
            nextActionOn: date || null,
            ...(comment.trim() ? { comment: comment.trim() } : {})
          },
          { onSuccess: done(date ? `Prochaine action le ${formatDate(date)}` : 'Prochaine action retirée', onClose) }
        )
      }
    >
      <TextInput
        type="date"
        label="Date"
        description="Vide : aucune action prévue"
        value={date}
        min={file.today}
        onChange={(e) => setDate(e.currentTarget.value)}
        data-autofocus
      />
      <ReasonField label="Ce qu’il faudra faire (facultatif)" value={comment} onChange={setComment} required={false} />
    </ActionModal>
  )
}

export function ProceedingDialog({
  file,
  proceeding,
  initialKind,
  onClose
}: {
  file: CaseFile
  proceeding?: ProceedingDto
  initialKind?: ProceedingKind
  onClose: () => void
}) {
  const company = file.debtor.kind === 'company' || file.debtor.actsProfessionally
  const [kind, setKind] = useState<ProceedingKind>(
    proceeding?.kind ?? initialKind ?? (company ? 'receivership' : 'over_indebtedness')
  )
  const [judgmentOn, setJudgmentOn] = useState(proceeding?.judgmentOn ?? '')
  const [bodacc, setBodacc] = useState(proceeding?.bodaccPublishedOn ?? '')
  const [notice, setNotice] = useState(proceeding?.noticeReceivedOn ?? '')
  const [court, setCourt] = useState(proceeding?.court ?? '')
  const [reference, setReference] = useState(proceeding?.reference ?? '')
  const [administrator, setAdministrator] = useState(proceeding?.administrator ?? '')
  const [comment, setComment] = useState('')
  const record = useAction('proceedings:record')
  const collective = isCollective(kind)
  const abroad = isCreditorOutsideMetropole(file.client)
  const deadline = useMemo(
    () =>
      proceedingDeadline(
        {
          kind,
          bodaccPublishedOn: collective ? bodacc || null : null,
          noticeReceivedOn: collective ? null : notice || null
        },
        abroad
      ),
    [kind, bodacc, notice, collective, abroad]
  )
  const textsOk = [court, reference, administrator, comment].every((t) => !t || screenOk(t))
  const datesOk =
    !!judgmentOn &&
    judgmentOn <= file.today &&
    (!bodacc || (bodacc >= judgmentOn && bodacc <= file.today)) &&
    (!notice || (notice >= judgmentOn && notice <= file.today))
  return (
    <ActionModal
      title={proceeding ? 'Compléter la procédure' : 'Procédure collective ou surendettement'}
      onClose={onClose}
      canSubmit={datesOk && textsOk}
      pending={record.isPending}
      error={record.error}
      submitLabel={proceeding ? 'Mettre à jour' : 'Enregistrer et suspendre'}
      size="xl"
      onSubmit={() =>
        record.mutate(
          {
            caseId: file.case.id,
            expectedVersion: file.case.version,
            ...(proceeding ? { proceedingId: proceeding.id } : {}),
            kind,
            judgmentOn,
            bodaccPublishedOn: collective && bodacc ? bodacc : null,
            noticeReceivedOn: !collective && notice ? notice : null,
            court: court.trim() || null,
            reference: reference.trim() || null,
            administrator: administrator.trim() || null,
            ...(comment.trim() ? { comment: comment.trim() } : {})
          },
          {
            onSuccess: (result) => {
              notifications.show({
                color: 'yellow',
                title: proceeding ? 'Procédure mise à jour' : 'Procédure enregistrée',
                message:
                  result.suspendedCaseIds.length > 0
                    ? `${result.suspendedCaseIds.length} dossier${result.suspendedCaseIds.length > 1 ? 's' : ''} du débiteur suspendu${result.suspendedCaseIds.length > 1 ? 's' : ''} : relances arrêtées.`
                    : 'Échéances recalculées.'
              })
              onClose()
            }
          }
        )
      }
    >
      {!proceeding && (
        <Alert color="yellow" p="xs">
          Tous les dossiers en cours de {file.debtor.displayName} seront suspendus : plus de relance ni de poursuite
          pour les créances antérieures.
        </Alert>
      )}
      <SegmentedControl
        value={kind}
        onChange={(v) => setKind(v as ProceedingKind)}
        disabled={!!proceeding}
        data={PROCEEDING_KINDS.values.map((value) => ({
          value,
          label: PROCEEDING_KINDS.labels[value],
          disabled: value === 'over_indebtedness' ? file.debtor.kind === 'company' : !company
        }))}
        aria-label="Nature de la procédure"
      />
      <Group grow align="flex-start">
        <TextInput
          type="date"
          label={collective ? 'Date du jugement d’ouverture' : 'Date de la décision de recevabilité'}
          value={judgmentOn}
          max={file.today}
          onChange={(e) => setJudgmentOn(e.currentTarget.value)}
          required
        />
        {collective ? (
          <TextInput
            type="date"
            label="Publication au BODACC"
            description="Point de départ du délai de déclaration"
            value={bodacc}
            max={file.today}
            onChange={(e) => setBodacc(e.currentTarget.value)}
          />
        ) : (
          <TextInput
            type="date"
            label="Réception de l’état du passif"
            description="Point de départ du délai de contestation"
            value={notice}
            max={file.today}
            onChange={(e) => setNotice(e.currentTarget.value)}
          />
        )}
      </Group>
      <Group grow>
        <TextInput
          label={collective ? 'Tribunal' : 'Commission'}
          value={court}
          onChange={(e) => setCourt(e.currentTarget.value)}
        />
        <TextInput label="Référence" value={reference} onChange={(e) => setReference(e.currentTarget.value)} />
      </Group>
      <TextInput
        label={collective ? 'Mandataire judiciaire ou liquidateur (nom, coordonnées)' : 'Secrétariat de la commission'}
        value={administrator}
        onChange={(e) => setAdministrator(e.currentTarget.value)}
      />
      <ReasonField label="Commentaire (facultatif)" value={comment} onChange={setComment} required={false} />
      <Alert color={deadline ? 'orange' : 'gray'} p="xs" data-testid="proceeding-deadline">
        {deadline ? (
          <Text size="sm">
            <b>
              {deadline.kind === 'claim_declaration' ? 'Déclarer la créance' : 'Contester l’état du passif'} au plus
              tard le {formatDate(deadline.dueOn)}
            </b>{' '}
            ({deadlineCountdown(deadline.dueOn, file.today)}) — {deadline.basis}.
          </Text>
        ) : (
          <Text size="sm">
            {collective
              ? `Délai de déclaration : ${abroad ? 4 : 2} mois après la publication au BODACC (à renseigner dès qu’elle paraît).`
              : 'Délai de contestation : 30 jours après la réception de l’état du passif.'}
          </Text>
        )}
      </Alert>
    </ActionModal>
  )
}

export function DeadlineDialog({
  file,
  deadline,
  onClose
}: {
  file: CaseFile
  deadline: DeadlineDto
  onClose: () => void
}) {
  const [completedOn, setCompletedOn] = useState(file.today)
  const [note, setNote] = useState('')
  const complete = useAction('deadlines:complete')
  const claim = deadline.kind === 'claim_declaration'
  return (
    <ActionModal
      title={claim ? 'Créance déclarée' : 'État du passif contesté'}
      onClose={onClose}
      canSubmit={!!completedOn && completedOn <= file.today && reasonOk(note, false)}
      pending={complete.isPending}
      error={complete.error}
      submitLabel="Enregistrer"
      size="md"
      onSubmit={() =>
        complete.mutate(
          { deadlineId: deadline.id, completedOn, ...(note.trim() ? { note: note.trim() } : {}) },
          { onSuccess: done('Échéance traitée', onClose) }
        )
      }
    >
      <Text size="sm">
        Échéance du {formatDate(deadline.dueOn)} — {deadline.basis}
      </Text>
      <TextInput
        type="date"
        label={claim ? 'Déclarée le' : 'Contesté le'}
        value={completedOn}
        max={file.today}
        onChange={(e) => setCompletedOn(e.currentTarget.value)}
      />
      <ReasonField label="Précisions (facultatif)" value={note} onChange={setNote} required={false} />
    </ActionModal>
  )
}
