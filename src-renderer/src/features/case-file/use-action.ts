import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ChannelInput, ChannelName, ChannelResult, RpcCallError } from '@shared/contract'
import { call } from '../../api/client'

/**
 * A case-file action. Every cached read is refreshed after it, whether it succeeded or was
 * refused: a CONFLICT means the case changed, and the form must show (and send) the new version.
 */
export function useAction<C extends ChannelName>(channel: C) {
  const queryClient = useQueryClient()
  return useMutation<ChannelResult<C>, RpcCallError, ChannelInput<C>>({
    mutationFn: (input) => call(channel, input),
    onSettled: () => queryClient.invalidateQueries()
  })
}

/** Today in the date-input format, from the main process's "today" when known. */
export function inputDate(date: string | null | undefined): string {
  return date ?? ''
}

/** "12,5" / "1 234,56" / 12.5 → cents; null when empty or not a positive amount. */
export function parseEuros(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 100) : null
  const text = value.replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.')
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null
  const [euros, cents = ''] = text.split('.')
  return Number(euros) * 100 + Number(cents.padEnd(2, '0'))
}
