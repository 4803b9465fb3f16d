import type { HrsyncEvent, NewEvent, Queryable } from '../store/index.js'
import { appendEvents } from '../store/index.js'

/** Adds what a consumer needs besides what changed, e.g. the resource's full state. */
export type EventEnricher = (q: Queryable, events: NewEvent[]) => Promise<NewEvent[]>

/** Appends to the event log; with a webhook configured, every event also enters the outbox. */
export class EventLog {
  private readonly listeners = new Set<() => void>()
  private enrich: EventEnricher = async (_q, events) => events

  constructor(private readonly outbox: boolean) {}

  /** Set once the runner's context exists (see withResourceState). */
  enrichWith(enrich: EventEnricher): void {
    this.enrich = enrich
  }

  /** Appends inside the caller's transaction; call `committed()` once it commits. */
  async append(q: Queryable, events: NewEvent[]): Promise<HrsyncEvent[]> {
    return appendEvents(q, await this.enrich(q, events), this.outbox)
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
