/**
 * Runs jobs one after another, in the order they were queued. The fanout uses one queue for
 * every event and for session registration, so each session sees events in publish order and a
 * session registering never misses an event that was published after its guilds were read.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues a job; resolves or rejects with its result. A failing job does not stop later ones. */
  run<T>(job: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every job queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
