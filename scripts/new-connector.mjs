#!/usr/bin/env node
// Scaffolds connectors/<slug>: a pull connector over a documented offset-paginated API, with fixtures
// for every scenario of the contract suite, so the new package builds, lints and passes its tests
// before the first vendor fact is written. Usage: pnpm new-connector <slug> [--name "Vendor"] [--root dir]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

function parseArgs(argv) {
  const args = {
    slug: undefined,
    name: undefined,
    root: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--name') args.name = argv[++i]
    else if (argv[i] === '--root') args.root = resolve(argv[++i])
    else if (!args.slug) args.slug = argv[i]
  }
  return args
}

const { slug, name: givenName, root } = parseArgs(process.argv.slice(2))
if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
  console.error(
    'usage: pnpm new-connector <slug> [--name "Vendor name"]   (slug: lower-case letters, digits, dashes)',
  )
  process.exit(1)
}
const name =
  givenName ??
  slug
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ')
const dir = join(root, 'connectors', slug)
if (existsSync(dir)) {
  console.error(`connectors/${slug} exists already`)
  process.exit(1)
}

const files = new Map()
const json = (value) => `${JSON.stringify(value, null, 2)}\n`

files.set(
  'package.json',
  json({
    name: `@hrsync/connector-${slug}`,
    version: '0.1.0',
    description: `hrsync connector for ${name}.`,
    license: 'MIT',
    keywords: ['hrsync-connector', slug],
    type: 'module',
    engines: { node: '>=22.12' },
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    sideEffects: false,
    publishConfig: { access: 'public', provenance: true },
    hrsync: { kind: 'connector', id: slug, apiVersion: 1 },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      test: 'vitest run',
      record: 'vitest run',
    },
    peerDependencies: { '@hrsync/core': '^1.0.0' },
    dependencies: { '@hrsync/connector-kit': 'workspace:^', '@sinclair/typebox': '0.34.41' },
    devDependencies: { '@hrsync/core': 'workspace:*' },
  }),
)
files.set(
  'tsconfig.json',
  `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": ".", "noEmit": true },
  "include": ["src", "test"]
}
`,
)
files.set(
  'tsconfig.build.json',
  `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"]
}
`,
)

const host = `{subdomain}.${slug}.example.com`
files.set(
  'src/index.ts',
  `import {
  cleanString,
  idString,
  mapStatus,
  normaliseEmail,
  paginateOffset,
  terminatedIfPast,
  toIsoDate,
} from '@hrsync/connector-kit'
import {
  defineConnector,
  type Employee,
  employee,
  HostPart,
  Secret,
  type SkippedPerson,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

// Replace every example below with the facts of shared/vendors/${slug}.md: endpoint, auth, pagination,
// connection-setting keys, the status table and the field mapping.

/** Every documented status value, mapped (link the vendor's documentation here). */
export const STATUS = statusTable({
  active: 'active',
  on_leave: 'leave',
  hired: 'pending',
  terminated: 'terminated',
})

/** One person as the vendor's list endpoint returns it. */
export interface VendorPerson {
  id: number | string
  email?: string | null
  first_name?: string | null
  last_name?: string | null
  status?: string | null
  manager_id?: number | string | null
  department?: string | null
  job_title?: string | null
  start_date?: string | null
  termination_date?: string | null
}
interface VendorPage {
  total: number
  data: VendorPerson[]
}

export const Config = Type.Object({
  subdomain: HostPart(Type.String({ minLength: 1, pattern: '^[a-z0-9-]+$', title: 'Subdomain' })),
  apiKey: Secret(Type.String({ minLength: 1, title: 'API key' })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
})
export type Config = Static<typeof Config>

export function toEmployee(record: VendorPerson, now: Date): Employee | SkippedPerson {
  const remoteId = idString(record.id) ?? ''
  const email = normaliseEmail(record.email)
  const mapped = mapStatus(STATUS, record.status, { remoteId, email })
  if ('skipped' in mapped) return mapped.skipped
  const terminationDate = toIsoDate(record.termination_date)
  return employee({
    remoteId,
    email,
    firstName: cleanString(record.first_name),
    lastName: cleanString(record.last_name),
    status: terminatedIfPast(mapped.status, terminationDate, now),
    managerRemoteId: idString(record.manager_id),
    department: cleanString(record.department),
    jobTitle: cleanString(record.job_title),
    startDate: toIsoDate(record.start_date),
    terminationDate,
  })
}

export default defineConnector({
  id: '${slug}',
  name: '${name.replaceAll("'", "\\'")}',
  apiVersion: 1,
  mode: 'pull',
  config: Config,
  allowedHosts: ['${host}'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (config) => \`https://\${config.subdomain}.${slug}.example.com/api/v1\`,
  auth: (config) => ({ type: 'bearer', token: config.apiKey }),

  async checkConnection(ctx) {
    await ctx.http.request({ url: 'employees', searchParams: { limit: 1, offset: 0 } })
  },

  async *listEmployees(ctx) {
    for await (const records of paginateOffset(ctx, {
      url: 'employees',
      limit: ctx.config.pageSize ?? 100,
      items: (body: VendorPage) => body.data,
      total: (body: VendorPage) => body.total,
    })) {
      const employees: Employee[] = []
      const skipped: SkippedPerson[] = []
      for (const record of records) {
        const mapped = toEmployee(record, ctx.now)
        if ('reason' in mapped) skipped.push(mapped)
        else employees.push(mapped)
      }
      yield { employees, skipped }
    }
  },
})
`,
)

files.set(
  `test/${slug}.test.ts`,
  `import { fileURLToPath } from 'node:url'
import { runContractSuite } from '@hrsync/connector-kit/testing'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import connector, { STATUS, toEmployee } from '../src/index.js'

const now = new Date('2025-06-15T10:00:00Z')

runContractSuite(connector, {
  fixturesDir: fileURLToPath(new URL('./fixtures', import.meta.url)),
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: packageJson.version,
})

describe('${name.replaceAll("'", "\\'")} mapping', () => {
  it('stringifies ids and keeps the calendar day of dates', () => {
    const person = toEmployee({ id: 7, status: 'active', start_date: '2019-01-07T00:00:00+01:00' }, now)
    expect(person).toMatchObject({ remoteId: '7', startDate: '2019-01-07' })
  })
})
`,
)

// Documented fixtures for the example API above; replace them with the vendor's documented shapes or record them.
const scope = `https://{{config:subdomain}}.${slug}.example.com:443`
const meta = (description) => ({
  source: 'documented',
  recordedAt: '2025-06-01T00:00:00.000Z',
  vendorApiVersion: 'v1',
  connectorVersion: '0.1.0',
  scrubbed: true,
  scrubberVersion: '1',
  description,
})
const config = (pageSize) => ({
  subdomain: '{{config:subdomain}}',
  apiKey: '{{secret:apiKey}}',
  ...(pageSize ? { pageSize } : {}),
})
const get = (offset, limit, status, response) => ({
  scope,
  method: 'GET',
  path: `/api/v1/employees?limit=${limit}&offset=${offset}`,
  status,
  response,
  rawHeaders: ['Content-Type', 'application/json'],
})
const person = (id, first, last, status, extra = {}) => ({
  id,
  email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
  first_name: first,
  last_name: last,
  status,
  manager_id: null,
  department: 'Operations',
  job_title: 'Specialist',
  start_date: '2020-01-06',
  termination_date: null,
  ...extra,
})
const canonical = (p, status) => ({
  remoteId: String(p.id),
  email: p.email,
  firstName: p.first_name,
  lastName: p.last_name,
  status,
  managerRemoteId: p.manager_id === null ? null : String(p.manager_id),
  managerEmail: null,
  department: p.department,
  jobTitle: p.job_title,
  startDate: p.start_date,
  terminationDate: p.termination_date,
})
const fixture = (description, interactions, expected, pageSize) =>
  json({ meta: meta(description), config: config(pageSize), interactions, expected })

const ada = person(1, 'Ada', 'Lovelace', 'active')
const alan = person(2, 'Alan', 'Turing', 'active', { manager_id: 1 })
const grace = person(3, 'Grace', 'Hopper', 'active', { manager_id: 2 })
const edsger = person(4, 'Edsger', 'Dijkstra', 'on_leave', { manager_id: 1 })
const barbara = person(5, 'Barbara', 'Liskov', 'hired', { manager_id: 1, start_date: '2030-01-07' })
const ken = person(6, 'Ken', 'Thompson', 'terminated', { manager_id: 1, termination_date: '2025-01-31' })
const dennis = person(7, 'Dennis', 'Ritchie', 'active', { manager_id: 1, termination_date: '2025-03-31' })

files.set(
  'test/fixtures/happy-multipage.json',
  fixture(
    'Three people over two pages of two',
    [get(0, 2, 200, { total: 3, data: [ada, alan] }), get(2, 2, 200, { total: 3, data: [grace] })],
    { employees: [canonical(ada, 'active'), canonical(alan, 'active'), canonical(grace, 'active')] },
    2,
  ),
)
files.set(
  'test/fixtures/auth-failure.json',
  json({
    meta: meta('The API key is rejected, by the list and by the connection check'),
    config: config(),
    interactions: [get(0, 100, 401, { error: 'invalid api key' })],
    checkInteractions: [get(0, 1, 401, { error: 'invalid api key' })],
    expected: { error: { code: 'invalid_credentials' } },
  }),
)
files.set(
  'test/fixtures/rate-limited.json',
  fixture(
    '429 with Retry-After, then the page',
    [
      {
        ...get(0, 100, 429, { error: 'slow down' }),
        rawHeaders: ['Content-Type', 'application/json', 'Retry-After', '1'],
      },
      get(0, 100, 200, { total: 1, data: [ada] }),
    ],
    { employees: [canonical(ada, 'active')] },
  ),
)
files.set(
  'test/fixtures/server-error-mid-pagination.json',
  fixture(
    'Page two fails on every attempt (three in replay)',
    [
      get(0, 2, 200, { total: 3, data: [ada, alan] }),
      get(2, 2, 500, { error: 'internal' }),
      get(2, 2, 500, { error: 'internal' }),
      get(2, 2, 500, { error: 'internal' }),
    ],
    { error: { code: 'vendor_error' } },
    2,
  ),
)
files.set(
  'test/fixtures/statuses.json',
  fixture(
    'Every documented status, a future start and a past termination date',
    [get(0, 100, 200, { total: 5, data: [ada, edsger, barbara, ken, dennis] })],
    {
      employees: [
        canonical(ada, 'active'),
        canonical(edsger, 'leave'),
        canonical(barbara, 'pending'),
        canonical(ken, 'terminated'),
        canonical(dennis, 'terminated'),
      ],
    },
  ),
)
files.set(
  'test/fixtures/managers.json',
  fixture(
    'A three-level manager chain, listed bottom-up',
    [get(0, 100, 200, { total: 3, data: [grace, alan, ada] })],
    {
      employees: [canonical(grace, 'active'), canonical(alan, 'active'), canonical(ada, 'active')],
    },
  ),
)
files.set(
  'test/fixtures/empty-tenant.json',
  fixture('No employees', [get(0, 100, 200, { total: 0, data: [] })], { employees: [] }),
)

files.set(
  'README.md',
  `# @hrsync/connector-${slug}

Reads the people of a ${name} account for hrsync. One-way: nothing is written to ${name}.

## For customers: connecting ${name}
Where in ${name} to create the API credentials, which permissions and attributes they need, plan
requirements and rate limits.

| setting | required | meaning |
|---|---|---|
| \`subdomain\` | yes | the account's subdomain |
| \`apiKey\` | yes | API key (stored encrypted, never shown again) |

## For connector authors
See [docs/authoring-connectors.md](../../docs/authoring-connectors.md). Record live fixtures with
\`HRSYNC_RECORD=${slug}:happy-multipage pnpm --filter @hrsync/connector-${slug} record\` and credentials in
\`connectors/${slug}/.env.local\` (\`${`HRSYNC_${slug.replaceAll('-', '_').toUpperCase()}_API_KEY`}=...\`).
`,
)

for (const [path, content] of files) {
  const target = join(dir, path)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, content)
}
const changesetDir = join(root, '.changeset')
mkdirSync(changesetDir, { recursive: true })
writeFileSync(
  join(changesetDir, `connector-${slug}-first-release.md`),
  `---\n"@hrsync/connector-${slug}": minor\n---\n\nFirst release of the ${name} connector.\n`,
)
console.log(
  `Created connectors/${slug}. Next: pnpm install, then fill in src/index.ts from shared/vendors/${slug}.md.`,
)
