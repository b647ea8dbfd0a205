import { benchConfig } from '../bench-config'

/** Runs the prescription measurement alone (not part of `vitest run`): see prescription.measure.ts. */
export default benchConfig(['tests/bench/prescription/*.measure.ts'])
