import { benchConfig } from '../bench-config.mts'

/** Runs the case-file measurement alone (not part of `vitest run`): see case-open.measure.ts. */
export default benchConfig(['tests/bench/case-file/*.measure.ts'])
