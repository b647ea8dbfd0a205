import { InitialSchema1763856000000 } from './1763856000000-initial-schema'

/** Every migration, in order, as class references (globs do not survive bundling). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [InitialSchema1763856000000]
