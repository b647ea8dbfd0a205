import { Alert, List, Text } from '@mantine/core'
import { RpcCallError } from '@shared/contract'

/** A refusal or failure from the main process, in French, with field details when any. */
export function ErrorPanel({ error, title = 'Opération impossible' }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : String(error)
  const issues = error instanceof RpcCallError ? (error.issues ?? []) : []
  return (
    <Alert color="red" title={title} role="alert">
      <Text size="sm">{message}</Text>
      {issues.length > 0 && (
        <List size="sm" mt="xs">
          {issues.map((issue) => (
            <List.Item key={issue.path + issue.message}>
              {issue.path ? `${issue.path} : ${issue.message}` : issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  )
}
