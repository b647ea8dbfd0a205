import type { z } from 'zod'

/**
 * One channel of the main/renderer API: the schema its input must pass in the main process,
 * and (as a phantom type) what it returns. Defined once here, used by both sides.
 */
export interface ChannelSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  readonly input: S
  /** One line: what the channel does and which rules it enforces. */
  readonly description: string
  /** Never set at run time: carries the result type for inference. */
  readonly __result?: R
}

/** `channel<Result>()(inputSchema, description)`: the result type is given, the input inferred. */
export function channel<R>() {
  return <S extends z.ZodType>(input: S, description: string): ChannelSpec<S, R> => ({ input, description })
}
