import { z } from 'zod'
import { channel } from './define'
import { noInput } from './schemas'

/** Where the app keeps its data: the embedded file, or the agency's shared PostgreSQL server. */
export interface DatabaseTarget {
  /** The engine this session runs on. */
  engine: 'sqlite' | 'postgres'
  /** The server this session runs on (password hidden), or null on the embedded file. */
  currentUrl: string | null
  /** What Paramètres saved for the next start (password hidden); null: the embedded file. */
  savedUrl: string | null
  /** --database or RECOUVRA_DATABASE_URL decide instead of the saved choice on this machine. */
  overridden: boolean
}

export const databaseSetTargetInput = z
  .object({
    /** postgres://user:password@host:port/database, or null to go back to the embedded file. */
    url: z
      .string()
      .trim()
      .max(500, 'Adresse trop longue (500 caractères au plus)')
      .regex(
        /^postgres(ql)?:\/\/\S+$/i,
        'Adresse PostgreSQL attendue : postgres://utilisateur:motdepasse@serveur:5432/base'
      )
      .nullable()
  })
  .strict()

export interface DatabaseTargetSaved extends DatabaseTarget {
  /** The server answered (PostgreSQL and its version), checked before saving. */
  checked: string | null
  /** The choice applies at the next start of the app. */
  restartNeeded: boolean
}

export const databaseChannels = {
  'database:get-target': channel<DatabaseTarget>()(
    noInput,
    'The database this session runs on and the one saved for the next start (agency mode).'
  ),
  'database:set-target': channel<DatabaseTargetSaved>()(
    databaseSetTargetInput,
    'Saves the shared PostgreSQL server (or the embedded file) for the next start, after connecting to it once.'
  )
}
