import 'reflect-metadata'
import { log } from '../../src-main/platform/log'

// Tests provoke refusals on purpose; keep their warnings out of the report.
log.setLevel((process.env.RECOUVRA_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'error')
