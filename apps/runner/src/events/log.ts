import type { HrsyncEvent, NewEvent, Queryable } from '../store/index.js'
import { appendEvents } from '../store/index.js'

/** Appends to the event log; with a webhook configured, every event also enters the outbox. */
export class EventLog {
  private readonly listeners = new Set<() => void>()

  constructor(private readonly outbox: boolean) {}

  /** Appends inside the caller's transaction; call `committed()` once it commits. */
  append(q: Queryable, events: NewEvent[]): Promise<HrsyncEvent[]> {
    return appendEvents(q, events, this.outbox)
  }

  /** Wakes the webhook dispatcher after a transaction with events commits. */
  committed(): void {
    for (const listener of this.listeners) listener()
  }

  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
