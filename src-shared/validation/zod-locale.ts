import { z } from 'zod'

// Validation messages reach French users as they are: zod's own French locale, set once for
// whichever process imports the contract's validation.
z.config(z.locales.fr())
