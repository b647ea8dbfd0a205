import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { LetterModel } from '@shared/documents'
import { log } from '../../platform/log'
import { renderLetterPdf } from './pdf-renderer'
import type { PdfJob, PdfReply } from './pdf-worker'
import { resourcesDir } from './resources'

/**
 * @react-pdf layout is ~50 ms of CPU a letter, two thirds of a letter's cost: it runs in a
 * small pool of worker threads while the main thread reads the database and checks the next
 * letters. The worker is the bundled entry `pdf-worker.js` next to the main bundles; when it
 * is not there (tests running the sources) or cannot start, letters render in this thread.
 *
 * Size: min(2, available cores), or RECOUVRA_PDF_WORKERS (0 = in this thread). The main
 * thread spends ~25 ms a letter (reading the case, statement, rule checks, storing) against
 * ~50 ms of rendering: two workers render as fast as one main thread prepares, so a third
 * would wait for it, and each worker holds its own copy of @react-pdf and the fonts (~60 MiB).
 */
export function pdfWorkerCount(): number {
  const forced = process.env.RECOUVRA_PDF_WORKERS
  if (forced !== undefined && forced !== '' && Number.isInteger(Number(forced))) return Math.max(0, Number(forced))
  return Math.min(2, availableParallelism())
}

/**
 * Where the bundled worker may be: beside this file, or one level up when this code sits in a
 * chunk. In the packaged app this is inside `resources/app.asar/out/main/` and it stays there on
 * purpose: the worker require()s @react-pdf/renderer from app.asar/node_modules, which a copy
 * unpacked to app.asar.unpacked/ could not resolve (Node looks for node_modules beside the
 * script). Electron 17+ sets up asar support in worker threads (electron/electron#33216), so a
 * Worker starts from an app.asar path and reads its requires there; `existsSync` sees inside the
 * archive through Electron's fs. The fonts are read by path from app.asar.unpacked (asarUnpack:
 * resources/**, see resources.ts). If the worker cannot start anyway, letters render in the main
 * thread and a warning says so in the log ("PDF worker could not start").
 */
export function pdfWorkerCandidates(dir: string): string[] {
  return [join(dir, 'pdf-worker.js'), join(dir, '..', 'pdf-worker.js')]
}

/** The bundled worker file, or null (tests running the sources). */
export function pdfWorkerFile(dir = __dirname, exists: (path: string) => boolean = existsSync): string | null {
  return pdfWorkerCandidates(dir).find((candidate) => exists(candidate)) ?? null
}

interface Job {
  id: number
  model: LetterModel
  resolve: (pdf: Buffer) => void
  reject: (error: Error) => void
}

interface Slot {
  worker: Worker
  job: Job | null
}

/** Workers stop after this long without a letter (they are unref'd meanwhile: no exit blocked). */
const IDLE_MS = 30_000

export class PdfPool {
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 1
  private idleTimer: NodeJS.Timeout | null = null
  /** Set when a worker could not start: every letter then renders in this thread. */
  private broken = false

  constructor(
    private readonly file: string,
    private readonly size: number
  ) {}

  /** False once a worker failed to start or stopped: letters then render in this thread. */
  get usesWorkers(): boolean {
    return !this.broken
  }

  render(model: LetterModel): Promise<Buffer> {
    if (this.broken) return renderLetterPdf(model)
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, model, resolve, reject })
      this.pump()
    })
  }

  /** Stops the workers (tests; idle timeout). Queued letters render in this thread. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const slots = this.slots.splice(0)
    for (const slot of slots) if (slot.job) this.queue.unshift(slot.job)
    await Promise.all(slots.map((slot) => slot.worker.terminate()))
    this.drainInThread()
  }

  private pump(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null)
      if (!slot && this.slots.length < this.size) slot = this.spawn()
      if (!slot) break
      const job = this.queue.shift()!
      slot.job = job
      slot.worker.ref()
      slot.worker.postMessage({ id: job.id, model: job.model } satisfies PdfJob)
    }
    if (this.queue.length === 0 && this.slots.every((s) => s.job === null) && this.slots.length > 0) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS)
      this.idleTimer.unref()
    }
  }

  private spawn(): Slot | undefined {
    let worker: Worker
    try {
      worker = new Worker(this.file, { workerData: { resourcesDir: resourcesDir() } })
    } catch (error) {
      this.fail('could not start', error)
      return undefined
    }
    const slot: Slot = { worker, job: null }
    worker.unref()
    worker.on('message', (reply: PdfReply) => {
      const job = slot.job
      if (!job || job.id !== reply.id) return
      slot.job = null
      slot.worker.unref()
      if ('error' in reply) job.reject(new Error(`PDF worker: ${reply.error}`))
      else job.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength))
      this.pump()
    })
    const lost = (error: unknown) => {
      const index = this.slots.indexOf(slot)
      if (index < 0) return
      this.slots.splice(index, 1)
      // The letter it held renders again (here if the pool is now broken).
      if (slot.job) this.queue.unshift(slot.job)
      slot.job = null
      this.fail('stopped', error)
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)))
    this.slots.push(slot)
    return slot
  }

  private fail(what: string, error: unknown): void {
    log.warn(`PDF worker ${what}; letters render in the main thread`, error)
    this.broken = true
    for (const slot of this.slots.splice(0)) {
      if (slot.job) this.queue.unshift(slot.job)
      void slot.worker.terminate()
    }
    this.drainInThread()
  }

  private drainInThread(): void {
    for (const job of this.queue.splice(0)) renderLetterPdf(job.model).then(job.resolve, job.reject)
  }
}

let shared: PdfPool | null | undefined

/** The process's pool, or null when letters render in this thread. */
export function pdfPool(): PdfPool | null {
  if (shared === undefined) {
    const size = pdfWorkerCount()
    const file = size > 0 ? pdfWorkerFile() : null
    shared = file ? new PdfPool(file, size) : null
  }
  return shared
}

/**
 * Uses this worker file (tests and benchmarks running the sources bundle it themselves), or
 * renders in this thread with null. The previous pool is closed.
 */
export async function configurePdfPool(file: string | null, size = pdfWorkerCount()): Promise<void> {
  const previous = shared
  shared = file && size > 0 ? new PdfPool(file, size) : null
  await previous?.close()
}

/** Renders a letter model to PDF: in a worker thread when the pool is there, else here. */
export function renderPdf(model: LetterModel): Promise<Buffer> {
  const pool = pdfPool()
  return pool ? pool.render(model) : renderLetterPdf(model)
}
