import { parentPort, workerData } from 'node:worker_threads'
import type { LetterModel } from '@shared/documents'
import { renderLetterPdf } from './pdf-renderer'
import { useResourcesDir } from './resources'

/**
 * PDF worker thread (bundled entry `pdf-worker`, see pdf-pool.ts): renders the letter models
 * the main thread built and checked. Pure: no database, no file written.
 */
export interface PdfJob {
  id: number
  model: LetterModel
}

export type PdfReply = { id: number; pdf: Uint8Array } | { id: number; error: string }

const data = workerData as { resourcesDir?: string } | undefined
if (data?.resourcesDir) useResourcesDir(data.resourcesDir)

parentPort?.on('message', (job: PdfJob) => {
  renderLetterPdf(job.model).then(
    (pdf) => parentPort!.postMessage({ id: job.id, pdf } satisfies PdfReply),
    (error: unknown) =>
      parentPort!.postMessage({
        id: job.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error)
      } satisfies PdfReply)
  )
})
