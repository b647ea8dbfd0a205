import { useState } from 'react'
import { ActionIcon, Badge, Button, Group, Menu, Modal, Select, Stack, Text, TextInput } from '@mantine/core'
import type { CaseListFilters, CaseSort, PortfolioView } from '@shared/contract'
import { useChannel, useChannelMutation } from '../../api/client'
import { sameQuery } from './portfolio-state'

type Dialog =
  { kind: 'create' } | { kind: 'rename'; view: PortfolioView } | { kind: 'delete'; view: PortfolioView } | null

/**
 * The user's saved views: pick one to apply its filters and sort; save the current filters as a
 * new view, or into the current one; rename or delete it. The search text is never saved.
 */
export function SavedViews({
  viewId,
  filters,
  sort,
  onApply
}: {
  viewId: string | null
  filters: CaseListFilters
  sort: CaseSort
  onApply(view: PortfolioView | null): void
}) {
  const views = useChannel('portfolio:list-views', {}, { staleTime: 60_000 })
  const create = useChannelMutation('portfolio:create-view')
  const update = useChannelMutation('portfolio:update-view')
  const remove = useChannelMutation('portfolio:delete-view')
  const [dialog, setDialog] = useState<Dialog>(null)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)

  const current = views.data?.find((v) => v.id === viewId) ?? null
  const { text: _text, ...saved } = filters
  const modified = current !== null && !sameQuery(current, { filters: saved, sort })

  const open = (next: Dialog) => {
    setDialog(next)
    setError(null)
    setName(next?.kind === 'rename' ? next.view.name : '')
  }
  const submit = async () => {
    try {
      if (dialog?.kind === 'create') {
        const view = await create.mutateAsync({ name, filters: saved, sort })
        onApply(view)
      } else if (dialog?.kind === 'rename') {
        await update.mutateAsync({ id: dialog.view.id, name })
      } else if (dialog?.kind === 'delete') {
        await remove.mutateAsync({ id: dialog.view.id })
        if (dialog.view.id === viewId) onApply(null)
      }
      setDialog(null)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <Group gap={6} wrap="nowrap" data-testid="saved-views">
      <Select
        aria-label="Vue enregistrée"
        size="xs"
        placeholder="Vues enregistrées"
        data={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
        value={current?.id ?? null}
        onChange={(id) => onApply(views.data?.find((v) => v.id === id) ?? null)}
        allowDeselect={false}
        w={270}
        comboboxProps={{ width: 300 }}
      />
      {modified && (
        <Badge variant="light" color="orange" size="sm" radius="sm" tt="none" data-testid="view-modified">
          modifiée
        </Badge>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="md" aria-label="Gérer les vues">
            ⋯
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            disabled={!current || !modified}
            onClick={() => current && update.mutate({ id: current.id, filters: saved, sort })}
          >
            Enregistrer dans « {current?.name ?? 'cette vue'} »
          </Menu.Item>
          <Menu.Item onClick={() => open({ kind: 'create' })}>Enregistrer comme nouvelle vue…</Menu.Item>
          <Menu.Item disabled={!current} onClick={() => current && open({ kind: 'rename', view: current })}>
            Renommer…
          </Menu.Item>
          <Menu.Item color="red" disabled={!current} onClick={() => current && open({ kind: 'delete', view: current })}>
            Supprimer…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>

      <Modal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        title={
          dialog?.kind === 'create'
            ? 'Nouvelle vue'
            : dialog?.kind === 'rename'
              ? 'Renommer la vue'
              : 'Supprimer la vue'
        }
        size="sm"
      >
        <form
          onSubmit={(event) => {
            event.preventDefault()
            void submit()
          }}
        >
          <Stack gap="sm">
            {dialog?.kind === 'delete' ? (
              <Text size="sm">La vue « {dialog.view.name} » sera supprimée. Les dossiers ne changent pas.</Text>
            ) : (
              <TextInput
                label="Nom de la vue"
                data-autofocus
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                maxLength={60}
                error={error}
              />
            )}
            {dialog?.kind === 'delete' && error && (
              <Text size="sm" c="red">
                {error}
              </Text>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="xs" onClick={() => setDialog(null)}>
                Annuler
              </Button>
              <Button
                type="submit"
                size="xs"
                color={dialog?.kind === 'delete' ? 'red' : undefined}
                loading={create.isPending || update.isPending || remove.isPending}
              >
                {dialog?.kind === 'delete' ? 'Supprimer' : 'Enregistrer'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  )
}
