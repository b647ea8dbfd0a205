import { benchConfig } from '../bench-config'

/** Runs the agency measurement alone (not part of `vitest run`): see agency.measure.ts. */
export default benchConfig(['tests/bench/agency/*.measure.ts'])
