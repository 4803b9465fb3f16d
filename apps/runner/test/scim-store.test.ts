import {
  isUserNameTaken,
  parseFilter,
  ScimError,
  type ScimUser,
  type ScimUserRecord,
  scimUser,
} from '@hrsync/scim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countScimDeactivations, SqlScimStore } from '../src/scim/store.js'
import {
  hashScimToken,
  integrationOfScimToken,
  newScimToken,
  rotateScimTokenHash,
  ScimTokenCache,
} from '../src/scim/tokens.js'
import { ScimWrites } from '../src/scim/writes.js'
import { createCompany, createIntegration, createSecretBox, generateKey } from '../src/store/index.js'
import {
  countStatements,
  ENGINES,
  openTestDatabase,
  postgresReachable,
  type TestDatabase,
} from './support/databases.js'

const email = (value: string) => [{ value, type: 'work', primary: true }]

const postgres = await postgresReachable()

// PostgreSQL may be missing outside CI: its half is skipped visibly then (CI requires it)
for (const engine of ENGINES)
  describe.skipIf(engine === 'postgres' && !postgres)(`SCIM store on ${engine}`, () => {
    let test: TestDatabase | undefined
    let store: SqlScimStore
    let a: string
    let b: string
    const box = createSecretBox(generateKey())
    const tokenA = newScimToken()

    beforeAll(async () => {
      test = await openTestDatabase(engine)
      store = new SqlScimStore(test.db)
      a = await connectOkta('A', tokenA)
      b = await connectOkta('B')
    }, 120_000)
    afterAll(async () => {
      await test?.close()
    })

    /** A company of its own connected to Okta; answers the integration's id. */
    async function connectOkta(name: string, token = newScimToken()): Promise<string> {
      const db = (test as TestDatabase).db
      const company = await createCompany(db, { name, plan: 'advanced', timeZone: 'UTC' })
      const integration = await createIntegration(db, box, {
        companyId: company.id,
        connectorId: 'okta',
        mode: 'push',
        config: {},
        nextSyncAt: null,
        scimTokenHash: hashScimToken(token),
      })
      return integration.id
    }

    it('creates, reads and lists within one integration only', async () => {
      const maja = await store.create(
        a,
        scimUser({ userName: 'Maja@Nordvik.test', emails: email('maja@nordvik.test') }),
      )
      expect(maja).toMatchObject({ version: 1, user: { userName: 'Maja@Nordvik.test' } })
      expect(await store.get(a, maja.id)).toEqual(maja)
      expect(await store.get(b, maja.id)).toBeNull()
      const found = await store.list(a, {
        filter: parseFilter('userName eq "maja@nordvik.TEST"'),
        startIndex: 1,
        count: 10,
      })
      expect(found.records.map((r) => r.id)).toEqual([maja.id])
      expect((await store.list(b, { filter: null, startIndex: 1, count: 10 })).totalResults).toBe(0)
      const byEmail = await store.list(a, {
        filter: parseFilter('emails[type eq "work"].value eq "MAJA@nordvik.test"'),
        startIndex: 1,
        count: 10,
      })
      expect(byEmail.totalResults).toBe(1)
    })

    it('a userName taken in any case is UserNameTakenError; racing creates give exactly one user', async () => {
      await expect(store.create(a, scimUser({ userName: 'MAJA@nordvik.test' }))).rejects.toSatisfy(
        isUserNameTaken,
      )
      // the same userName in another integration is fine
      expect((await store.create(b, scimUser({ userName: 'maja@nordvik.test' }))).user.userName).toBe(
        'maja@nordvik.test',
      )
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => store.create(a, scimUser({ userName: 'race@nordvik.test' }))),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      expect(rejected).toHaveLength(4)
      expect(rejected.every((r) => isUserNameTaken(r.reason))).toBe(true)
    })

    it('patch: a throwing change writes nothing; a rename onto a taken userName is refused', async () => {
      const olof = await store.create(a, scimUser({ userName: 'olof@nordvik.test' }))
      await expect(
        store.patch(a, olof.id, () => {
          throw new ScimError(400, 'invalidPath', 'no such attribute')
        }),
      ).rejects.toBeInstanceOf(ScimError)
      expect((await store.get(a, olof.id))!.version).toBe(1)
      await expect(store.replace(a, olof.id, scimUser({ userName: 'maja@NORDVIK.test' }))).rejects.toSatisfy(
        isUserNameTaken,
      )
      const renamed = await store.patch(a, olof.id, (user) => ({ ...user, title: 'CFO' }))
      expect(renamed).toMatchObject({ version: 2, user: { title: 'CFO' } })
      expect(await store.patch(b, olof.id, (user) => user)).toBeNull()
    })

    it('concurrent patches of one user: a write whose version moved is read again, then locked; no update is lost', async () => {
      const counter = await store.create(a, scimUser({ userName: 'counter@nordvik.test', title: '0' }))
      const writes = 20
      await Promise.all(
        Array.from({ length: writes }, () =>
          store.patch(a, counter.id, (user) => ({ ...user, title: String(Number(user.title) + 1) })),
        ),
      )
      expect(await store.get(a, counter.id)).toMatchObject({
        version: writes + 1,
        user: { title: String(writes) },
      })
    })

    it('two replicas: a write starts from the version its store wrote last, and reads the user when the other wrote in between', async () => {
      const counting = countStatements(test!.db)
      const counted = new SqlScimStore(counting.q)
      const other = new SqlScimStore(test!.db)
      const ines = await counted.create(a, scimUser({ userName: 'ines@nordvik.test', title: 'a' }))
      const append = (letter: string) => (user: ScimUser) => ({ ...user, title: `${user.title}${letter}` })
      counting.statements = 0
      expect((await counted.patch(a, ines.id, append('b')))?.user.title).toBe('ab')
      expect(counting.statements).toBe(1) // no read: the store wrote this version itself
      expect((await other.patch(a, ines.id, append('c')))?.user.title).toBe('abc')
      counting.statements = 0
      expect((await counted.patch(a, ines.id, append('d')))?.user.title).toBe('abcd') // nothing of the other lost
      expect(counting.statements).toBe(3) // the write on the old version missed, the user was read, then written
      // a change that does not fit the version it knows is decided on the user as it is now
      await other.patch(a, ines.id, (user) => ({ ...user, title: 'ready' }))
      const onlyWhenReady = (user: ScimUser) => {
        if (user.title !== 'ready') throw new ScimError(400, 'invalidValue', 'not ready')
        return { ...user, title: 'done' }
      }
      expect((await counted.patch(a, ines.id, onlyWhenReady))?.user.title).toBe('done')
      // deleted by the other: gone for this one too
      expect(await other.tombstone(a, ines.id)).toBe(true)
      expect(await counted.patch(a, ines.id, append('e'))).toBeNull()
      expect(await counted.get(a, ines.id)).toBeNull()
    })

    it('SCIM users are stored with room on each page for in-place (HOT) rewrites', async () => {
      const [row] = await test!.db.query<{ reloptions: string[] | null }>(
        "SELECT reloptions FROM pg_class WHERE relname = 'scim_users' AND relnamespace = to_regnamespace(current_schema())::oid",
      )
      expect(row?.reloptions).toContain('fillfactor=70')
    })

    it('writes arriving together are one statement, each with its own version check, deactivation and userName check', async () => {
      const counting = countStatements(test!.db)
      const together = new SqlScimStore(counting.q)
      const since = new Date(Date.now() - 60_000)
      const c = await connectOkta('C')
      const users = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          together.create(c, scimUser({ userName: `batch${i}@nordvik.test`, title: 't' })),
        ),
      )
      // every user is known to this store: 30 patches need no read and go out as one statement
      counting.statements = 0
      const patched = await Promise.all(
        users.map((user, i) =>
          together.patch(c, user.id, (current) => ({ ...current, title: `t${i}`, active: i % 10 !== 0 })),
        ),
      )
      expect(counting.statements).toBe(1)
      expect(patched.map((record) => record?.version)).toEqual(users.map(() => 2))
      for (const [i, user] of users.entries()) {
        expect(await store.get(c, user.id)).toMatchObject({
          version: 2,
          user: { title: `t${i}`, active: i % 10 !== 0 },
        })
      }
      expect(await countScimDeactivations(test!.db, c, since)).toBe(3)

      // one user twice at once: the second write waits for the next statement, misses the version,
      // reads the user and is written on top of the first
      const [first, second] = await Promise.all([
        together.patch(c, users[1]!.id, (current) => ({ ...current, title: `${current.title}+x` })),
        together.patch(c, users[1]!.id, (current) => ({ ...current, title: `${current.title}+y` })),
      ])
      expect([first?.version, second?.version]).toEqual([3, 4])
      expect((await store.get(c, users[1]!.id))?.user.title).toBe('t1+x+y')

      // one of the writes takes a userName in use: that one fails, the others are written
      const results = await Promise.allSettled(
        [2, 3, 4].map((i) =>
          together.patch(c, users[i]!.id, (current) => ({
            ...current,
            userName: i === 3 ? 'BATCH2@nordvik.test' : current.userName,
            title: 'renamed',
          })),
        ),
      )
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(isUserNameTaken((results[1] as PromiseRejectedResult).reason)).toBe(true)
      expect((await store.get(c, users[2]!.id))?.user.title).toBe('renamed')
      expect(await store.get(c, users[3]!.id)).toMatchObject({ version: 2, user: { title: 't3' } })
      expect((await store.get(c, users[4]!.id))?.user.title).toBe('renamed')

      // a value PostgreSQL cannot store (NUL) is the client's mistake, refused before it reaches a
      // statement: the writes beside it are written
      const mixed = await Promise.allSettled(
        [5, 6, 7].map((i) =>
          together.patch(c, users[i]!.id, (current) => ({
            ...current,
            title: i === 6 ? 'a\u0000b' : 'fine',
          })),
        ),
      )
      expect(mixed.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect((mixed[1] as PromiseRejectedResult).reason).toMatchObject({
        status: 400,
        scimType: 'invalidValue',
      })
      expect((await store.get(c, users[6]!.id))?.user.title).toBe('t6')
      expect((await store.get(c, users[7]!.id))?.user.title).toBe('fine')
      await expect(
        together.create(
          c,
          scimUser({ userName: 'nul@nordvik.test', emails: email('n\u0000l@nordvik.test') }),
        ),
      ).rejects.toMatchObject({ status: 400 })

      // a row the database refuses fails alone; the rest of its statement is written again without it
      const writes = new ScimWrites(test!.db)
      const [eight, nine] = [(await store.get(c, users[8]!.id))!, (await store.get(c, users[9]!.id))!]
      const next = (record: typeof eight, lastModified: string) => ({
        integrationId: c,
        record: {
          ...record,
          version: record.version + 1,
          lastModified,
          user: { ...record.user, title: 'again' },
        },
        expected: record.version,
        deactivated: false,
      })
      const alone = await Promise.allSettled([
        writes.write(next(eight, 'not a time')),
        writes.write(next(nine, new Date().toISOString())),
      ])
      expect(alone.map((result) => result.status)).toEqual(['rejected', 'fulfilled'])
      expect((alone[1] as PromiseFulfilledResult<boolean>).value).toBe(true)
      expect((await store.get(c, users[8]!.id))?.user.title).toBe('t8')
      expect((await store.get(c, users[9]!.id))?.user.title).toBe('again')

      // a user deleted after its version was read: the version moved with the deletion, so a write checked
      // against the old one is refused, and a patch through a store that knew the user finds it gone
      const eleven = (await store.get(c, users[11]!.id))!
      expect(await store.tombstone(c, users[11]!.id)).toBe(true)
      expect(await writes.write(next(eleven, new Date().toISOString()))).toBe(false)
      expect(await together.patch(c, users[12]!.id, (current) => current)).not.toBeNull()
      expect(await store.tombstone(c, users[12]!.id)).toBe(true)
      expect(await together.patch(c, users[12]!.id, (current) => ({ ...current, title: 'ghost' }))).toBeNull()
      const [row] = await test!.db.query<{ title: string | null; deleted: boolean }>(
        "SELECT resource->>'title' AS title, deleted_at IS NOT NULL AS deleted FROM scim_users WHERE id = $1",
        [users[12]!.id],
      )
      expect(row).toEqual({ title: 't12', deleted: true })
    })

    it('deactivations and deletes of active users are counted for the rolling window; tombstones free the userName', async () => {
      const since = new Date(Date.now() - 60_000)
      const before = await countScimDeactivations(test!.db, a, since)
      const one = await store.create(a, scimUser({ userName: 'one@nordvik.test' }))
      const two = await store.create(a, scimUser({ userName: 'two@nordvik.test' }))
      await store.patch(a, one.id, (user) => ({ ...user, active: false }))
      await store.patch(a, one.id, (user) => ({ ...user, active: false })) // already inactive: not counted again
      expect(await store.tombstone(a, two.id)).toBe(true)
      expect(await store.tombstone(a, two.id)).toBe(false)
      expect(await store.get(a, two.id)).toBeNull()
      expect(await countScimDeactivations(test!.db, a, since)).toBe(before + 2)
      expect(await countScimDeactivations(test!.db, b, since)).toBe(0)
      expect((await store.create(a, scimUser({ userName: 'TWO@nordvik.test' }))).id).not.toBe(two.id)
      expect((await store.users(a)).some((r) => r.id === two.id)).toBe(false)
    })

    it("lookups by userName and by id, and grouped writes, use their keys' indexes without fresh statistics", async () => {
      const db = (test as TestDatabase).db
      const lookups = await connectOkta('Lookups')
      for (let i = 0; i < 1000; i++) {
        await store.create(
          lookups,
          scimUser({
            userName: `lookup${i}@nordvik.test`,
            externalId: `00u${i}`,
            displayName: `Lookup Person ${i}`,
            name: { givenName: 'Lookup', familyName: `Person ${i}`, formatted: `Lookup Person ${i}` },
            emails: email(`lookup${i}@nordvik.test`),
          }),
        )
      }
      // the statements the store and the writer send, kept to be explained
      const asked: Array<{ sql: string; params: unknown[] }> = []
      const watched = {
        ...db,
        query: <T>(sql: string, params?: unknown[]) => {
          asked.push({ sql, params: params ?? [] })
          return db.query<T>(sql, params)
        },
      }
      const watching = new SqlScimStore(watched)
      const explain = async (statement: { sql: string; params: unknown[] } | undefined) => {
        const [row] = await db.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) ${statement?.sql}`,
          statement?.params,
        )
        return JSON.stringify(
          typeof row?.['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row?.['QUERY PLAN'],
        )
      }
      const plan = async (filter: string) => {
        asked.length = 0
        const page = await watching.list(lookups, {
          filter: parseFilter(filter),
          startIndex: 1,
          count: 100,
        })
        return { page, statements: asked.length, text: await explain(asked[0]) }
      }
      const found = await plan('userName eq "LOOKUP250@nordvik.test"')
      expect(found.page.records.map((r) => r.user.userName)).toEqual(['lookup250@nordvik.test'])
      expect([found.page.totalResults, found.statements]).toEqual([1, 1])
      expect(found.text).toContain('"Index Name":"scim_users_user_name"')
      expect(found.text).not.toContain('scim_users_page')
      // a filter that is not on a key still walks the list in order
      const listed = await plan('active eq true')
      expect(listed.page.records).toHaveLength(100)
      expect(listed.text).not.toContain('scim_users_user_name')
      // by id: the primary key, whatever else the statement checks
      const target = found.page.records[0] as ScimUserRecord
      asked.length = 0
      expect((await watching.get(lookups, target.id))?.user.userName).toBe('lookup250@nordvik.test')
      expect(await watching.get(b, target.id)).toBeNull()
      let text = await explain(asked[0])
      expect(text).toContain('"Index Name":"scim_users_pkey"')
      expect(text).not.toMatch(/scim_users_(page|external_id|user_name)/)
      // grouped writes: the rows of the batch by the primary key, not a hash of every SCIM user of every
      // integration nor a walk over the index of live users
      const users = (await store.list(lookups, { filter: null, startIndex: 1, count: 3 })).records
      asked.length = 0
      const writes = new ScimWrites(watched)
      const written = await Promise.all(
        users.map((user) =>
          writes.write({
            integrationId: lookups,
            record: { ...user, version: user.version + 1 },
            expected: user.version,
            deactivated: false,
          }),
        ),
      )
      expect(written).toEqual([true, true, true])
      text = await explain(asked.at(-1))
      expect(text).toContain('"Index Name":"scim_users_pkey"')
      expect(text).not.toContain('"Node Type":"Seq Scan"')
      expect(text).not.toMatch(/scim_users_(page|external_id|user_name)/)
    })

    it('pages are stable: created then id', async () => {
      const all = await store.list(a, { filter: null, startIndex: 1, count: 200 })
      const paged = [
        ...(await store.list(a, { filter: null, startIndex: 1, count: 3 })).records,
        ...(await store.list(a, { filter: null, startIndex: 4, count: 200 })).records,
      ]
      expect(paged.map((r) => r.id)).toEqual(all.records.map((r) => r.id))
      expect((await store.list(a, { filter: null, startIndex: 1, count: 0 })).records).toEqual([])
    })

    it('totalResults is the whole count on every page: full, last, past the end, empty, none asked', async () => {
      const total = (await store.list(a, { filter: null, startIndex: 1, count: 1000 })).records.length
      expect(total).toBeGreaterThan(3)
      const page = (startIndex: number, count: number) =>
        store
          .list(a, { filter: null, startIndex, count })
          .then((found) => [found.totalResults, found.records.length])
      expect(await page(1, 3)).toEqual([total, 3])
      expect(await page(total - 1, 3)).toEqual([total, 2])
      expect(await page(total + 5, 3)).toEqual([total, 0])
      expect(await page(1, 0)).toEqual([total, 0])
      expect(await page(1, total)).toEqual([total, total])
      const none = await store.list(a, {
        filter: parseFilter('userName eq "nobody@nordvik.test"'),
        startIndex: 1,
        count: 10,
      })
      expect([none.totalResults, none.records.length]).toEqual([0, 0])
    })

    it('tokens: found by hash, the previous one valid after one rotation only', async () => {
      expect(await integrationOfScimToken(test!.db, tokenA)).toEqual({ integrationId: a })
      expect(await integrationOfScimToken(test!.db, 'hrsync_scim_unknown')).toBeNull()
      expect(await integrationOfScimToken(test!.db, '')).toBeNull()
      const second = newScimToken()
      expect(await rotateScimTokenHash(test!.db, a, hashScimToken(second))).toBe(true)
      expect(await integrationOfScimToken(test!.db, tokenA)).toEqual({ integrationId: a })
      expect(await integrationOfScimToken(test!.db, second)).toEqual({ integrationId: a })
      expect(await rotateScimTokenHash(test!.db, a, hashScimToken(newScimToken()))).toBe(true)
      expect(await integrationOfScimToken(test!.db, tokenA)).toBeNull()
      expect(await integrationOfScimToken(test!.db, second)).toEqual({ integrationId: a })
    })

    it('token cache: a found token is asked for once per moment, an unknown one every time, a forgotten one again', async () => {
      const counting = countStatements(test!.db)
      let clock = 1_000
      const cache = new ScimTokenCache(counting.q, { ttlMs: 1_000, now: () => clock })
      const current = newScimToken()
      expect(await rotateScimTokenHash(test!.db, b, hashScimToken(current))).toBe(true)
      expect(await cache.lookup(current)).toEqual({ integrationId: b })
      expect(await cache.lookup(current)).toEqual({ integrationId: b })
      expect(counting.statements).toBe(1)
      expect(await cache.lookup('hrsync_scim_unknown')).toBeNull()
      expect(await cache.lookup('hrsync_scim_unknown')).toBeNull()
      expect(counting.statements).toBe(3)
      expect(await cache.lookup('')).toBeNull()
      expect(counting.statements).toBe(3)
      // after the moment, asked again
      clock += 1_000
      expect(await cache.lookup(current)).toEqual({ integrationId: b })
      expect(counting.statements).toBe(4)
      // a rotation elsewhere is seen once the moment is over; on this replica, forget() sees it at once
      expect(await rotateScimTokenHash(test!.db, b, hashScimToken(newScimToken()))).toBe(true)
      expect(await rotateScimTokenHash(test!.db, b, hashScimToken(newScimToken()))).toBe(true)
      expect(await cache.lookup(current)).toEqual({ integrationId: b })
      cache.forget(b)
      expect(await cache.lookup(current)).toBeNull()
      expect(counting.statements).toBe(5)
    })
  })
