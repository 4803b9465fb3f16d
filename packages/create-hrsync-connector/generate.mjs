// The files of a new hrsync connector package. `npm create hrsync-connector` writes them as a standalone
// package; `pnpm new-connector` in the hrsync repository writes them under connectors/<id>. Both get a
// pull connector over an example offset-paginated REST API and a fixture for every scenario of the
// contract suite, so the package passes its tests before the first vendor fact is written.

/** The published versions a new package is built against (a test keeps them in step with the repository). */
export const VERSIONS = {
  core: '^1.0.0',
  kit: '^1.0.0',
  // 1.1: fixtures state the credentials of each request (request.headers, {{base64:…}} for Basic)
  testing: '^1.1.0',
  runner: '^0.1.0',
  typebox: '0.34.41',
  typescript: '5.9.2',
  vitest: '3.2.4',
  typesNode: '24.5.2',
}

/** How the connector authenticates, chosen by --auth or the question. */
export const AUTH_TYPES = /** @type {const} */ (['bearer', 'basic', 'header'])

/**
 * @typedef {object} ConnectorPlan
 * @property {string} id              the connector id and manifest id: lower-case letters, digits, dashes
 * @property {string} name            the vendor's name, as customers read it
 * @property {string} packageName     the npm package name
 * @property {'bearer' | 'basic' | 'header'} auth
 * @property {string} [headerName]    the header the API key travels in, for `header` auth
 * @property {'standalone' | 'monorepo'} layout
 * @property {Record<string, string>} [localPackages]  @hrsync package name → `file:` tarball, to build against unreleased packages
 */

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** `@acme/hrsync-connector-acme-hr` → `acme-hr`. */
export function idFromPackageName(packageName) {
  return packageName
    .replace(/^@[^/]+\//, '')
    .replace(/^hrsync-connector-/, '')
    .replace(/^connector-/, '')
}

/** What is wrong with a plan, in a sentence; null when it can be generated. */
export function planProblem(plan) {
  if (!ID.test(plan.id)) return `the connector id "${plan.id}" must be lower-case letters, digits and dashes`
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(plan.packageName)) {
    return `"${plan.packageName}" is not a valid npm package name`
  }
  if (!AUTH_TYPES.includes(plan.auth)) return `--auth must be one of ${AUTH_TYPES.join(', ')}`
  return null
}

export function titleCase(id) {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ')
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`
const quoted = (text) => text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")

/** The connection settings each auth type asks the customer for. */
function authParts(plan) {
  switch (plan.auth) {
    case 'basic':
      return {
        schema: `  username: Type.String({ minLength: 1, title: 'API user' }),
  password: Secret(Type.String({ minLength: 1, title: 'API password' })),`,
        spec: `({ type: 'basic', username: config.username, password: config.password })`,
        fixtureConfig: { username: 'api-user', password: '{{secret:password}}' },
        fixtureHeaders: { authorization: 'Basic {{base64:{{config:username}}:{{secret:password}}}}' },
        devConfig: { username: 'api-user', password: 'paste the API password here' },
        settings: [
          ['username', 'yes', 'the API user'],
          ['password', 'yes', "the API user's password (stored encrypted, never shown again)"],
        ],
      }
    case 'header':
      return {
        schema: `  apiKey: Secret(Type.String({ minLength: 1, title: 'API key' })),`,
        spec: `({ type: 'header', name: '${quoted(plan.headerName ?? 'X-API-Key')}', value: config.apiKey })`,
        fixtureConfig: { apiKey: '{{secret:apiKey}}' },
        fixtureHeaders: { [(plan.headerName ?? 'X-API-Key').toLowerCase()]: '{{secret:apiKey}}' },
        devConfig: { apiKey: 'paste the API key here' },
        settings: [['apiKey', 'yes', 'API key (stored encrypted, never shown again)']],
      }
    default:
      return {
        schema: `  apiKey: Secret(Type.String({ minLength: 1, title: 'API key' })),`,
        spec: `({ type: 'bearer', token: config.apiKey })`,
        fixtureConfig: { apiKey: '{{secret:apiKey}}' },
        fixtureHeaders: { authorization: 'Bearer {{secret:apiKey}}' },
        devConfig: { apiKey: 'paste the API key here' },
        settings: [['apiKey', 'yes', 'API key (stored encrypted, never shown again)']],
      }
  }
}

function packageJson(plan) {
  const standalone = plan.layout === 'standalone'
  const local = plan.localPackages ?? {}
  const hrsync = (name, range) => local[name] ?? range
  return {
    name: plan.packageName,
    version: '0.1.0',
    description: `hrsync connector for ${plan.name}.`,
    license: 'MIT',
    keywords: ['hrsync-connector', plan.id],
    type: 'module',
    engines: { node: '>=22.12' },
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    sideEffects: false,
    publishConfig: { access: 'public', ...(standalone ? {} : { provenance: true }) },
    hrsync: { kind: 'connector', id: plan.id, apiVersion: 1 },
    scripts: standalone
      ? {
          build: 'tsc -p tsconfig.build.json',
          typecheck: 'tsc -p tsconfig.json --noEmit',
          test: 'vitest run',
          dev: 'hrsync dev . --config dev.json',
          prepack: 'npm run build',
        }
      : {
          build: 'tsc -p tsconfig.build.json',
          typecheck: 'tsc -p tsconfig.json --noEmit',
          test: 'vitest run',
          record: 'vitest run',
        },
    // the runner supplies core, the kit and typebox to its plugins: one copy of each, the runner's
    peerDependencies: standalone
      ? {
          '@hrsync/connector-kit': VERSIONS.kit,
          '@hrsync/core': VERSIONS.core,
          '@sinclair/typebox': `^${VERSIONS.typebox}`,
        }
      : { '@hrsync/connector-kit': VERSIONS.kit, '@hrsync/core': VERSIONS.core },
    ...(standalone ? {} : { dependencies: { '@sinclair/typebox': VERSIONS.typebox } }),
    // the testing helpers (replay, recording, the contract suite) are for the package's own tests only
    devDependencies: standalone
      ? {
          '@hrsync/connector-kit': hrsync('@hrsync/connector-kit', VERSIONS.kit),
          '@hrsync/connector-testing': hrsync('@hrsync/connector-testing', VERSIONS.testing),
          '@hrsync/core': hrsync('@hrsync/core', VERSIONS.core),
          '@hrsync/runner': hrsync('@hrsync/runner', VERSIONS.runner),
          '@sinclair/typebox': VERSIONS.typebox,
          '@types/node': VERSIONS.typesNode,
          typescript: VERSIONS.typescript,
          vitest: VERSIONS.vitest,
        }
      : {
          '@hrsync/connector-kit': 'workspace:*',
          '@hrsync/connector-testing': 'workspace:*',
          '@hrsync/core': 'workspace:*',
        },
    // unreleased @hrsync packages: every copy in the tree, the runner's own dependencies included, from the tarballs
    ...(Object.keys(local).length > 0 ? { overrides: local } : {}),
  }
}

const STANDALONE_TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    declaration: true,
    sourceMap: true,
    skipLibCheck: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    resolveJsonModule: true,
    types: ['node'],
    rootDir: '.',
    noEmit: true,
  },
  include: ['src', 'test'],
}

function sourceFile(plan) {
  const auth = authParts(plan)
  return `import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
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

// An example offset-paginated REST API: replace the endpoint, the paging, the status table and the
// field mapping with ${plan.name}'s, one fact at a time, keeping the tests green.

/** Every documented status value, mapped (link ${plan.name}'s documentation here). */
export const STATUS = statusTable({
  active: 'active',
  on_leave: 'leave',
  hired: 'pending',
  terminated: 'terminated',
})

/** One person as the list endpoint returns it. */
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
${auth.schema}
  baseUrl: Type.Optional(
    Type.String({
      title: 'API base URL',
      description: 'A sandbox or regional API; by default the account API',
    }),
  ),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
})
export type Config = Static<typeof Config>

export function toEmployee(record: VendorPerson, now: Date): Employee | SkippedPerson {
  const remoteId = idString(record.id) ?? ''
  const email = emailFrom(record.email)
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
  id: '${plan.id}',
  name: '${quoted(plan.name)}',
  apiVersion: 1,
  mode: 'pull',
  config: Config,
  // the only hosts the connector may call; a sandbox is reached with \`hrsync dev --allow-host\`
  allowedHosts: ['{subdomain}.${plan.id}.example.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (config) => config.baseUrl ?? \`https://\${config.subdomain}.${plan.id}.example.com/api/v1\`,
  auth: (config) => ${auth.spec},
  errorHints: {
    invalid_credentials: 'Create a new API key in ${quoted(plan.name)} and paste it again.',
  },

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
`
}

function testFile(plan) {
  return `import { fileURLToPath } from 'node:url'
import { runContractSuite } from '@hrsync/connector-testing'
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

describe('${quoted(plan.name)} mapping', () => {
  it('stringifies ids and keeps the calendar day of dates', () => {
    const person = toEmployee({ id: 7, status: 'active', start_date: '2019-01-07T00:00:00+01:00' }, now)
    expect(person).toMatchObject({ remoteId: '7', startDate: '2019-01-07' })
  })
})
`
}

/** Documented fixtures for the example API: replace them with the vendor's documented shapes, or record them. */
function fixtures(plan) {
  const scope = `https://{{config:subdomain}}.${plan.id}.example.com:443`
  const meta = (description) => ({
    source: 'documented',
    recordedAt: '2025-06-01T00:00:00.000Z',
    vendorApiVersion: 'v1',
    connectorVersion: '0.1.0',
    scrubbed: true,
    scrubberVersion: '2',
    description,
  })
  const config = (pageSize) => ({
    subdomain: '{{config:subdomain}}',
    ...authParts(plan).fixtureConfig,
    ...(pageSize ? { pageSize } : {}),
  })
  const get = (offset, limit, status, response) => ({
    scope,
    method: 'GET',
    path: `/api/v1/employees?limit=${limit}&offset=${offset}`,
    // the credentials every request carries; replay fails a request that sends other ones
    request: { headers: authParts(plan).fixtureHeaders },
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
  const linus = person(8, 'Linus', 'Torvalds', 'active', { manager_id: 1, termination_date: '2025-09-30' })

  return {
    'happy-multipage': fixture(
      'Three people over two pages of two',
      [get(0, 2, 200, { total: 3, data: [ada, alan] }), get(2, 2, 200, { total: 3, data: [grace] })],
      { employees: [canonical(ada, 'active'), canonical(alan, 'active'), canonical(grace, 'active')] },
      2,
    ),
    'auth-failure': json({
      meta: meta('The credentials are rejected, by the list and by the connection check'),
      config: config(),
      interactions: [get(0, 100, 401, { error: 'invalid api key' })],
      checkInteractions: [get(0, 1, 401, { error: 'invalid api key' })],
      expected: { error: { code: 'invalid_credentials' } },
    }),
    'rate-limited': fixture(
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
    'server-error-mid-pagination': fixture(
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
    statuses: fixture(
      'Every documented status, a future start, a past termination date and a leaver still employed',
      [get(0, 100, 200, { total: 6, data: [ada, edsger, barbara, ken, dennis, linus] })],
      {
        employees: [
          canonical(ada, 'active'),
          canonical(edsger, 'leave'),
          canonical(barbara, 'pending'),
          canonical(ken, 'terminated'),
          canonical(dennis, 'terminated'),
          canonical(linus, 'active'),
        ],
      },
    ),
    managers: fixture(
      'A three-level manager chain, listed bottom-up',
      [get(0, 100, 200, { total: 3, data: [grace, alan, ada] })],
      { employees: [canonical(grace, 'active'), canonical(alan, 'active'), canonical(ada, 'active')] },
    ),
    'empty-tenant': fixture('No employees', [get(0, 100, 200, { total: 0, data: [] })], { employees: [] }),
  }
}

function readme(plan) {
  const auth = authParts(plan)
  const rows = [
    ['subdomain', 'yes', `the account's subdomain: \`acme\` for acme.${plan.id}.example.com`],
    ...auth.settings,
    ['baseUrl', 'no', 'a sandbox or regional API base URL, when the account has one'],
    ['pageSize', 'no', 'people per request, 1–100 (default 100)'],
  ]
  const guide =
    plan.layout === 'monorepo'
      ? 'See [docs/authoring-connectors.md](../../docs/authoring-connectors.md).'
      : 'See the guide to writing connectors, `docs/authoring-connectors.md` in the hrsync repository.'
  const dev =
    plan.layout === 'monorepo'
      ? `pnpm hrsync dev connectors/${plan.id} --config connectors/${plan.id}/dev.json`
      : 'npx hrsync dev . --config dev.json'
  return `# ${plan.packageName}

Reads the people of an account on ${plan.name} for hrsync. One-way: nothing is written to ${plan.name}.

## For customers: connecting ${plan.name}

1. In ${plan.name}, open the API settings (say where: the menu path, and who may open it).
2. Create the credentials below (say which permissions or scopes they need, and on which plan the API is available).
3. In hrsync, choose ${plan.name} and paste them.

| setting | required | meaning |
|---|---|---|
${rows.map(([key, required, meaning]) => `| \`${key}\` | ${required} | ${meaning} |`).join('\n')}

The connector reads every person with their status, manager, department, job title and dates.
State here what ${plan.name}'s rate limit is and how long a first sync of a large account takes.

## For connector authors

${guide}

- \`${plan.layout === 'monorepo' ? `pnpm --filter ${plan.packageName} test` : 'npm test'}\`: the contract suite on the recorded fixtures in \`test/fixtures\`.
- \`${dev}\`: the connector against the real (or sandbox) API with the settings in \`dev.json\`
  (copy \`dev.example.json\`; \`dev.json\` is never committed). Add \`--allow-host <host>\` for a sandbox
  whose host is not in \`allowedHosts\`, \`--record <scenario>\` to write a scrubbed fixture of the run
  (the tests replay only hosts in \`allowedHosts\`: record from one of them).
`
}

/**
 * Every file of the package, by path relative to its folder. A monorepo package also gets a changeset,
 * at `../../.changeset` (returned separately: it lives outside the package).
 */
export function connectorFiles(plan) {
  const problem = planProblem(plan)
  if (problem) throw new Error(problem)
  const standalone = plan.layout === 'standalone'
  /** @type {Map<string, string>} */
  const files = new Map()
  files.set('package.json', json(packageJson(plan)))
  if (standalone) {
    files.set('tsconfig.json', json(STANDALONE_TSCONFIG))
    files.set(
      'tsconfig.build.json',
      json({
        extends: './tsconfig.json',
        compilerOptions: { rootDir: 'src', outDir: 'dist', noEmit: false },
        include: ['src'],
      }),
    )
    files.set(
      'vitest.config.ts',
      `import { defineConfig } from 'vitest/config'\n\nexport default defineConfig({\n  test: { include: ['test/**/*.test.ts'] },\n})\n`,
    )
    files.set('.gitignore', 'node_modules\ndist\ndev.json\n*.tgz\n')
  } else {
    // written as the repository's formatter writes them
    files.set(
      'tsconfig.json',
      `{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": { "rootDir": ".", "noEmit": true },\n  "include": ["src", "test"]\n}\n`,
    )
    files.set(
      'tsconfig.build.json',
      `{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": { "rootDir": "src", "outDir": "dist" },\n  "include": ["src"]\n}\n`,
    )
  }
  files.set('src/index.ts', sourceFile(plan))
  files.set(`test/${plan.id}.test.ts`, testFile(plan))
  for (const [scenario, content] of Object.entries(fixtures(plan)))
    files.set(`test/fixtures/${scenario}.json`, content)
  files.set('dev.example.json', json({ subdomain: 'your-account', ...authParts(plan).devConfig }))
  files.set('README.md', readme(plan))
  return files
}

/** The changeset announcing a monorepo connector's first release. */
export function firstReleaseChangeset(plan) {
  return `---\n"${plan.packageName}": minor\n---\n\nFirst release of the ${plan.name} connector.\n`
}
