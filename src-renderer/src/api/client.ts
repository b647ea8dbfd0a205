import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query'
import { RpcCallError, type ChannelInput, type ChannelName, type ChannelResult } from '@shared/contract'
import type { Invoke } from './transport'

let invoke: Invoke | null = null

export function setInvoke(transport: Invoke): void {
  invoke = transport
}

/** Calls a channel of the contract; a refusal from the main process throws an RpcCallError. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
  if (!invoke) throw new Error('Transport not initialised')
  const response = await invoke(channel, input)
  if (!response.ok) throw new RpcCallError(channel, response.error)
  return response.data as ChannelResult<C>
}

/** A read channel as a cached query, keyed by channel and input. */
export function useChannel<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C>,
  options: Omit<UseQueryOptions<ChannelResult<C>, RpcCallError>, 'queryKey' | 'queryFn'> = {}
) {
  return useQuery<ChannelResult<C>, RpcCallError>({
    queryKey: [channel, input],
    queryFn: () => call(channel, input),
    ...options
  })
}

/**
 * A write channel; every cached read is refreshed after it succeeds. Put what must happen on
 * success (a notification) in `onSuccess` here, not in `mutate(…, { onSuccess })`: the refresh
 * can unmount the calling component (the welcome page once the demo exists), and TanStack Query
 * drops the callbacks given to `mutate` when that happens.
 */
export function useChannelMutation<C extends ChannelName>(
  channel: C,
  options: { onSuccess?: (data: ChannelResult<C>) => void } = {}
) {
  const queryClient = useQueryClient()
  return useMutation<ChannelResult<C>, RpcCallError, ChannelInput<C>>({
    mutationFn: (input) => call(channel, input),
    onSuccess: (data) => {
      options.onSuccess?.(data)
      return queryClient.invalidateQueries()
    }
  })
}
