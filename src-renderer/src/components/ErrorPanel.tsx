import { Alert, List, Text } from '@mantine/core'
import { RpcCallError } from '@shared/contract'

/** The main process's message for one input field, to show under that field. */
export function fieldError(error: unknown, path: string): string | undefined {
  if (!(error instanceof RpcCallError)) return undefined
  return error.issues?.find((issue) => issue.path === path)?.message
}

/** A refusal or failure from the main process, in French. */
export function ErrorPanel({ error, title = 'Opération impossible' }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : String(error)
  const issues = error instanceof RpcCallError ? [...new Set((error.issues ?? []).map((i) => i.message))] : []
  return (
    <Alert color="red" title={title} role="alert">
      {issues.length > 1 ? (
        <List size="sm">
          {issues.map((issue) => (
            <List.Item key={issue}>{issue}</List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm">{message}</Text>
      )}
    </Alert>
  )
}
