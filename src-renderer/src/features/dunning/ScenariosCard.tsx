import { useState } from 'react'
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { ChannelInput, DunningScenarioDto } from '@shared/contract'
import { CASE_PHASES } from '@shared/domain/enums'
import {
  DUNNING_CHANNELS,
  DUNNING_CHANNEL_LABELS,
  DUNNING_DEBTOR_CONDITIONS,
  DUNNING_DEBTOR_CONDITION_LABELS,
  DUNNING_DELAY_FROM,
  DUNNING_DELAY_FROM_LABELS,
  DUNNING_TEMPLATES,
  DUNNING_TEMPLATE_LABELS,
  describeStep,
  type DunningStepDef
} from '@shared/dunning/scenario'
import { formatCents } from '@shared/format/french'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ChannelBadge } from './DunningPage'

type StepDraft = Omit<DunningStepDef, 'id' | 'position'> & { id: string | null; key: string }
type Draft = {
  id: string | null
  version: number | null
  code: string
  name: string
  description: string
  isDefault: boolean
  active: boolean
  steps: StepDraft[]
}

let keys = 0
const newKey = () => `k${++keys}`

function toDraft(s: DunningScenarioDto | null): Draft {
  if (!s) {
    return {
      id: null,
      version: null,
      code: '',
      name: '',
      description: '',
      isDefault: false,
      active: true,
      steps: [
        {
          id: null,
          key: newKey(),
          name: 'Relance',
          delayDays: 0,
          delayFrom: 'due_date',
          channel: 'letter',
          templateCode: 'reminder',
          debtorCondition: 'any',
          minBalanceCents: null,
          phaseChange: null
        }
      ]
    }
  }
  return {
    id: s.id,
    version: s.version,
    code: s.code,
    name: s.name,
    description: s.description ?? '',
    isDefault: s.isDefault,
    active: s.active,
    steps: s.steps.map((step) => ({ ...step, key: newKey() }))
  }
}

const PHASE_OPTIONS = [
  { value: '', label: 'Aucun' },
  ...CASE_PHASES.values.filter((p) => p !== 'closed').map((p) => ({ value: p, label: CASE_PHASES.labels[p] }))
]

function ScenarioEditor({ draft, onClose }: { draft: Draft; onClose: () => void }) {
  const [d, setD] = useState<Draft>(draft)
  const save = useChannelMutation('dunning:save-scenario', {
    onSuccess: (s) => {
      notifications.show({ color: 'green', message: `Scénario « ${s.name} » enregistré.` })
      onClose()
    }
  })
  const setStep = (key: string, patch: Partial<StepDraft>) =>
    setD({ ...d, steps: d.steps.map((s) => (s.key === key ? { ...s, ...patch } : s)) })
  const move = (index: number, by: number) => {
    const steps = [...d.steps]
    const [step] = steps.splice(index, 1)
    steps.splice(index + by, 0, step!)
    setD({ ...d, steps })
  }
  const submit = () => {
    const input: ChannelInput<'dunning:save-scenario'> = {
      id: d.id,
      version: d.version,
      code: d.code,
      name: d.name,
      description: d.description.trim() || null,
      isDefault: d.isDefault,
      active: d.active,
      steps: d.steps.map((s) => ({
        id: s.id,
        name: s.name,
        delayDays: s.delayDays,
        delayFrom: s.delayFrom,
        channel: s.channel,
        templateCode: s.channel === 'call' ? null : s.templateCode,
        debtorCondition: s.debtorCondition,
        minBalanceCents: s.minBalanceCents,
        phaseChange: s.phaseChange
      }))
    }
    save.mutate(input)
  }
  return (
    <Stack>
      <Group grow align="flex-start">
        <TextInput label="Nom" value={d.name} onChange={(e) => setD({ ...d, name: e.currentTarget.value })} />
        <TextInput
          label="Code"
          description="Celui que les conventions désignent"
          value={d.code}
          onChange={(e) => setD({ ...d, code: e.currentTarget.value })}
        />
      </Group>
      <Textarea
        label="Description"
        autosize
        minRows={1}
        value={d.description}
        onChange={(e) => setD({ ...d, description: e.currentTarget.value })}
      />
      <Group>
        <Checkbox
          label="Scénario par défaut (conventions sans scénario)"
          checked={d.isDefault}
          onChange={(e) => setD({ ...d, isDefault: e.currentTarget.checked })}
        />
        <Checkbox label="Actif" checked={d.active} onChange={(e) => setD({ ...d, active: e.currentTarget.checked })} />
      </Group>
      <ScrollArea>
        <Table data-testid="scenario-steps" verticalSpacing={4} miw={1100}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Étape</Table.Th>
              <Table.Th>Délai (jours)</Table.Th>
              <Table.Th>Compté</Table.Th>
              <Table.Th>Canal</Table.Th>
              <Table.Th>Modèle</Table.Th>
              <Table.Th>Débiteurs</Table.Th>
              <Table.Th>Solde minimum (€)</Table.Th>
              <Table.Th>Phase ensuite</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.steps.map((s, i) => (
              <Table.Tr key={s.key}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={`Nom de l’étape ${i + 1}`}
                    value={s.name}
                    onChange={(e) => setStep(s.key, { name: e.currentTarget.value })}
                    miw={180}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    size="xs"
                    aria-label={`Délai de l’étape ${i + 1}`}
                    value={s.delayDays}
                    allowDecimal={false}
                    min={-90}
                    max={730}
                    onChange={(v) => setStep(s.key, { delayDays: typeof v === 'number' ? v : Number(v) || 0 })}
                    w={80}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Référence du délai ${i + 1}`}
                    data={DUNNING_DELAY_FROM.map((v) => ({ value: v, label: DUNNING_DELAY_FROM_LABELS[v] }))}
                    value={s.delayFrom}
                    allowDeselect={false}
                    onChange={(v) => v && setStep(s.key, { delayFrom: v as StepDraft['delayFrom'] })}
                    w={175}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Canal de l’étape ${i + 1}`}
                    data={DUNNING_CHANNELS.map((v) => ({ value: v, label: DUNNING_CHANNEL_LABELS[v] }))}
                    value={s.channel}
                    allowDeselect={false}
                    onChange={(v) => v && setStep(s.key, { channel: v as StepDraft['channel'] })}
                    w={175}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Modèle de l’étape ${i + 1}`}
                    disabled={s.channel === 'call'}
                    data={DUNNING_TEMPLATES.map((v) => ({ value: v, label: DUNNING_TEMPLATE_LABELS[v] ?? v }))}
                    value={s.channel === 'call' ? null : s.templateCode}
                    onChange={(v) => setStep(s.key, { templateCode: v })}
                    w={165}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Débiteurs concernés ${i + 1}`}
                    data={DUNNING_DEBTOR_CONDITIONS.map((v) => ({
                      value: v,
                      label: DUNNING_DEBTOR_CONDITION_LABELS[v]
                    }))}
                    value={s.debtorCondition}
                    allowDeselect={false}
                    onChange={(v) => v && setStep(s.key, { debtorCondition: v as StepDraft['debtorCondition'] })}
                    w={140}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    size="xs"
                    aria-label={`Solde minimum ${i + 1}`}
                    value={s.minBalanceCents === null ? '' : s.minBalanceCents / 100}
                    min={0}
                    decimalScale={2}
                    decimalSeparator=","
                    thousandSeparator=" "
                    onChange={(v) =>
                      setStep(s.key, {
                        minBalanceCents: v === '' || v === null ? null : Math.round(Number(v) * 100)
                      })
                    }
                    w={95}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Phase après l’étape ${i + 1}`}
                    data={PHASE_OPTIONS}
                    value={s.phaseChange ?? ''}
                    allowDeselect={false}
                    onChange={(v) => setStep(s.key, { phaseChange: v ? (v as StepDraft['phaseChange']) : null })}
                    w={150}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon variant="subtle" aria-label="Monter" disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label="Descendre"
                      disabled={i === d.steps.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label="Supprimer l’étape"
                      disabled={d.steps.length === 1}
                      onClick={() => setD({ ...d, steps: d.steps.filter((x) => x.key !== s.key) })}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Group justify="space-between">
        <Button
          variant="light"
          onClick={() =>
            setD({
              ...d,
              steps: [
                ...d.steps,
                {
                  id: null,
                  key: newKey(),
                  name: 'Nouvelle étape',
                  delayDays: 15,
                  delayFrom: 'previous_step',
                  channel: 'letter',
                  templateCode: 'reminder',
                  debtorCondition: 'any',
                  minBalanceCents: null,
                  phaseChange: null
                }
              ]
            })
          }
        >
          Ajouter une étape
        </Button>
        <Group>
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="scenario-save">
            Enregistrer
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        Une étape supprimée est retirée du scénario mais reste dans l’historique des dossiers où elle a été faite. Les
        délais comptés « après l’étape précédente » partent du jour où elle a été faite.
      </Text>
      {save.isError && <ErrorPanel error={save.error} />}
    </Stack>
  )
}

function MandatesTable({ scenarios }: { scenarios: DunningScenarioDto[] }) {
  const mandates = useChannel('dunning:mandates', {})
  const assign = useChannelMutation('dunning:set-mandate-scenario')
  const defaultName = scenarios.find((s) => s.isDefault)?.name ?? 'défaut'
  if (!mandates.data || mandates.data.length === 0) return null
  return (
    <ScrollArea.Autosize mah={260}>
      <Table striped data-testid="mandate-scenarios">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            <Table.Th>Convention</Table.Th>
            <Table.Th>Scénario</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mandates.data.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>{m.clientName}</Table.Td>
              <Table.Td className="tabular">{m.reference}</Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  aria-label={`Scénario de ${m.reference}`}
                  data={[
                    { value: '', label: `Par défaut (${defaultName})` },
                    ...scenarios.filter((s) => s.active).map((s) => ({ value: s.code, label: s.name }))
                  ]}
                  value={m.scenarioCode && scenarios.some((s) => s.code === m.scenarioCode) ? m.scenarioCode : ''}
                  allowDeselect={false}
                  onChange={(v) => assign.mutate({ mandateId: m.id, scenarioCode: v ? v : null })}
                  w={260}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  )
}

/** Paramètres › Scénarios de relance: the scenarios, their steps, and which mandate uses which. */
export function ScenariosCard() {
  const scenarios = useChannel('dunning:scenarios', {})
  const [editing, setEditing] = useState<Draft | null>(null)
  return (
    <Card withBorder data-testid="scenarios-card">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Scénarios de relance</Title>
        <Button size="xs" variant="light" onClick={() => setEditing(toDraft(null))}>
          Nouveau scénario
        </Button>
      </Group>
      {scenarios.isError && <ErrorPanel error={scenarios.error} />}
      <Stack gap="md">
        {scenarios.data?.map((s) => (
          <div key={s.id} data-testid="scenario">
            <Group justify="space-between">
              <Group gap="xs">
                <Text fw={600}>{s.name}</Text>
                <Badge size="xs" variant="outline">
                  {s.code}
                </Badge>
                {s.isDefault && (
                  <Badge size="xs" color="blue">
                    Par défaut
                  </Badge>
                )}
                {!s.active && (
                  <Badge size="xs" color="gray">
                    Inactif
                  </Badge>
                )}
                <Text size="xs" c="dimmed">
                  {s.mandateCount} convention(s)
                </Text>
              </Group>
              <Button size="xs" variant="subtle" onClick={() => setEditing(toDraft(s))} data-testid="scenario-edit">
                Modifier
              </Button>
            </Group>
            <Table verticalSpacing={2} fz="sm">
              <Table.Tbody>
                {s.steps.map((step, i) => (
                  <Table.Tr key={step.id}>
                    <Table.Td w={24} c="dimmed">
                      {i + 1}
                    </Table.Td>
                    <Table.Td>{step.name}</Table.Td>
                    <Table.Td>
                      <ChannelBadge channel={step.channel} />
                    </Table.Td>
                    <Table.Td c="dimmed">
                      {describeStep(step).split(' — ')[0]}
                      {step.minBalanceCents !== null && ` · solde ≥ ${formatCents(step.minBalanceCents)}`}
                      {step.debtorCondition !== 'any' &&
                        ` · ${DUNNING_DEBTOR_CONDITION_LABELS[step.debtorCondition].toLowerCase()}`}
                      {step.phaseChange && ` · puis phase « ${CASE_PHASES.labels[step.phaseChange]} »`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
        {scenarios.data && <MandatesTable scenarios={scenarios.data} />}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.id ? 'Modifier le scénario' : 'Nouveau scénario'}
        size="100%"
      >
        {editing && <ScenarioEditor draft={editing} onClose={() => setEditing(null)} />}
      </Modal>
    </Card>
  )
}
