import { setTimeout as sleep } from 'node:timers/promises'
import { ConnectorError, defineConnector, type Employee, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'

/** An HR system in memory: tests change `people` and `failing` between syncs. */
export class MemoryHr {
  people: Employee[] = []
  failing: string | null = null
  pulls = 0
  /** how long each page takes to arrive, as a vendor's latency */
  pageDelayMs = 0

  readonly connector

  /** `id` names the connector: two MemoryHr of different ids are two HR systems */
  constructor(id = 'memory') {
    this.connector = this.define(id)
  }

  private define(id: string) {
    return defineConnector({
      id,
      name: id === 'memory' ? 'Memory HR' : `Memory HR (${id})`,
      apiVersion: 1,
      mode: 'pull',
      config: Type.Object({
        tenant: Type.String({ minLength: 1 }),
        apiToken: Secret(Type.String({ minLength: 1 })),
      }),
      allowedHosts: ['example.test'],
      capabilities: {
        listEmployees: {
          includesTerminated: 'always',
          managerRef: 'remoteId',
          statuses: [],
          incremental: false,
        },
      },
      checkConnection: async (ctx) => {
        if (ctx.config.apiToken === 'wrong') {
          throw new ConnectorError('invalid_credentials', 'Memory HR rejected the API token')
        }
      },
      listEmployees: (ctx) => this.list(ctx.signal),
    })
  }

  private async *list(signal: AbortSignal): AsyncIterable<Employee[]> {
    this.pulls++
    if (this.failing) throw new ConnectorError('unreachable', this.failing)
    const pageSize = 50
    for (let i = 0; i < this.people.length; i += pageSize) {
      if (signal.aborted) return
      if (this.pageDelayMs > 0) await sleep(this.pageDelayMs, undefined, { signal }).catch(() => undefined)
      else await Promise.resolve()
      yield this.people.slice(i, i + pageSize).map((p) => ({ ...p }))
    }
  }

  /** Adds (or replaces) people; ids double as name and email. */
  hire(...people: Array<Partial<Employee> & { remoteId: string }>): void {
    for (const fields of people) {
      const person = employee({
        status: 'active',
        email: `${fields.remoteId}@acme.test`,
        firstName: fields.remoteId[0]!.toUpperCase() + fields.remoteId.slice(1),
        lastName: 'Test',
        ...fields,
      })
      this.people = [...this.people.filter((p) => p.remoteId !== person.remoteId), person]
    }
  }

  update(remoteId: string, fields: Partial<Employee>): void {
    this.people = this.people.map((p) => (p.remoteId === remoteId ? { ...p, ...fields } : p))
  }

  fire(...remoteIds: string[]): void {
    this.people = this.people.filter((p) => !remoteIds.includes(p.remoteId))
  }
}
