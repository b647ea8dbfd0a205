import { benchConfig } from '../bench-config'

/** Runs the case-file measurement alone (not part of `vitest run`): see case-open.measure.ts. */
export default benchConfig(['tests/bench/case-file/*.measure.ts'])
