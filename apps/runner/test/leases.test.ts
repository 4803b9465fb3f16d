import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, LeaseLapsedError, openDatabase, Presence, withLease } from '../src/store/index.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'

const postgres = await postgresReachable()

// Exclusive work across replicas without a connection held per lease (issue 24): what a lease
// guarantees, and how it is freed when its holder is gone.
describe.skipIf(!postgres)('leases on PostgreSQL', () => {
  const schema = freshSchema()
  let db: Database
  const presences: Presence[] = []
  const presence = () => {
    const made = new Presence({ connectionString: POSTGRES_URL })
    presences.push(made)
    return made
  }

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: POSTGRES_URL, schema })
  })
  afterAll(async () => {
    for (const made of presences) await made.close()
    await db?.close()
    await dropSchema(schema)
  })

  it('is held by one holder at a time and free once given back', async () => {
    const outcome = await withLease(db, 'k1', async () => {
      const second = await withLease(db, 'k1', async () => 'ran')
      return second
    })
    expect(outcome).toEqual({ acquired: true, value: { acquired: false } })
    expect(await withLease(db, 'k1', async () => 'ran')).toEqual({ acquired: true, value: 'ran' })
  })

  it('passes to another holder at once when its holder’s presence connection is gone, and the first can no longer save', async () => {
    const first = presence()
    const pid = await first.pid()
    expect(pid).toEqual(expect.any(Number))
    const outcome = await withLease(
      db,
      'k2',
      async (lease) => {
        // the replica is cut off from the database: its presence backend ends
        await db.query('SELECT pg_terminate_backend($1)', [pid])
        for (let i = 0; i < 50; i++) {
          const alive = await db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])
          if (alive.length === 0) break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        const other = await withLease(db, 'k2', async () => 'taken over', { presence: presence() })
        expect(other).toEqual({ acquired: true, value: 'taken over' })
        await expect(db.transaction((tx) => lease.confirm(tx))).rejects.toBeInstanceOf(LeaseLapsedError)
        return 'done'
      },
      { presence: first },
    )
    expect(outcome).toEqual({ acquired: true, value: 'done' })
  })

  it('lapses after its time when its holder stops renewing it and has no presence', async () => {
    await db.query(
      `INSERT INTO leases (key, holder, holder_pid, expires_at) VALUES ('k3', 'gone', NULL, now() + interval '300 milliseconds')`,
    )
    expect(await withLease(db, 'k3', async () => 'ran')).toEqual({ acquired: false })
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await withLease(db, 'k3', async () => 'ran')).toEqual({ acquired: true, value: 'ran' })
  })

  it('is renewed while its holder works, so a long sync keeps it', async () => {
    const outcome = await withLease(
      db,
      'k4',
      async (lease) => {
        await new Promise((resolve) => setTimeout(resolve, 700))
        expect(await withLease(db, 'k4', async () => 'ran')).toEqual({ acquired: false })
        await db.transaction((tx) => lease.confirm(tx))
        return 'kept'
      },
      { leaseMs: 300 },
    )
    expect(outcome).toEqual({ acquired: true, value: 'kept' })
  })
})
