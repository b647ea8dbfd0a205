/**
 * A service's work left running after the call that started it returned (a dunning run, a
 * batch of e-mails, a background count): tracked so that the app's close() can stop it and
 * wait for it before the database closes, instead of leaving it to fail on a closed connection.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>()
  /** Set by stop(): loops end after their current step, nothing new starts. */
  stopping = false

  /** Runs `work` in the background (errors are the caller's to handle: `work` should catch). */
  track(work: Promise<unknown>): void {
    this.running.add(work)
    void work.then(
      () => this.running.delete(work),
      () => this.running.delete(work)
    )
  }

  get busy(): boolean {
    return this.running.size > 0
  }

  /** Resolves once nothing tracked runs, or after `timeoutMs` (then false). */
  async idle(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.running.size > 0) {
      const left = deadline - Date.now()
      if (left <= 0) return false
      let timer: NodeJS.Timeout | undefined
      const timeout = Number.isFinite(left)
        ? new Promise((resolve) => (timer = setTimeout(resolve, left)))
        : new Promise(() => undefined)
      await Promise.race([Promise.allSettled([...this.running]), timeout])
      clearTimeout(timer)
    }
    return true
  }
}
