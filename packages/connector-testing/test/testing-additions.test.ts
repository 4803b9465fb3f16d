import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { leakCheck, scrubRecording } from '../src/index.js'

const connector = defineConnector({
  id: 'profit',
  name: 'Profit',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ token: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['api.profit.example.com'],
  capabilities: {
    listEmployees: { includesTerminated: 'always', managerRef: 'none', statuses: ['x'], incremental: false },
  },
  baseUrl: () => 'https://api.profit.example.com',
  auth: (c) => ({ type: 'header', name: 'authorization', value: `Token ${c.token}` }),
  async checkConnection() {},
  async *listEmployees() {
    yield [employee({ remoteId: '1', status: 'active' })]
  },
})

const write = (fixture: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'hrsync-leak-')), 'fixture.json')
  writeFileSync(path, JSON.stringify(fixture))
  return path
}
const fixture = (interactions: unknown[], config: Record<string, unknown> = {}) => ({
  meta: { description: '' },
  config,
  interactions,
  expected: {},
})
const WID = '3aa5550b7fe348b98d7b5741afc65534'

describe('leak check: ids and field names are not keys', () => {
  it('passes long snake_case field names with digits', () => {
    const path = write(
      fixture([
        { path: '/employees', response: { dependent_disabled_adults_below_65: 0, dependents_above_65: 1 } },
      ]),
    )
    expect(leakCheck([path])).toEqual([])
  })

  it('passes 32-hex Workday WIDs as ids in bodies', () => {
    const path = write(
      fixture([
        {
          path: '/ccx/service/acme/Human_Resources/v42.0',
          response: `<wd:ID wd:type="WID">${WID}</wd:ID>`,
        },
        { path: '/workers', response: { Worker_Reference: { WID }, managerId: WID } },
      ]),
    )
    expect(leakCheck([path])).toEqual([])
  })

  it('still flags hex in a query string, a header, config and a key-named field', () => {
    const path = write(
      fixture(
        [
          {
            path: `/workers?api_key=${WID}`,
            rawHeaders: ['x-api-key', WID],
            response: { client_secret: WID, sessionToken: WID },
          },
        ],
        { webhookKey: WID },
      ),
    )
    const places = leakCheck([path]).map((f) => f.path)
    expect(places).toEqual(
      expect.arrayContaining([
        'interactions[0].path',
        'interactions[0].rawHeaders[1]',
        'interactions[0].response.client_secret',
        'interactions[0].response.sessionToken',
        'config.webhookKey',
      ]),
    )
  })

  it('still flags a random key with underscores', () => {
    const path = write(fixture([{ response: { note: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc9x8Q' } }]))
    expect(leakCheck([path])[0]?.reason).toMatch(/long key-like/)
  })
})

describe('scrubber: names in other languages, connector PII keys and token fields', () => {
  it('pseudonymises AFAS Voornaam/Achternaam and keys the connector lists', () => {
    const [scrubbed] = scrubRecording(
      connector,
      { token: 'afas-token-value' },
      [
        {
          scope: 'https://api.profit.example.com:443',
          method: 'GET',
          path: '/connectors/Medewerkers',
          status: 200,
          response: {
            rows: [
              {
                Medewerker: '1001',
                Voornaam: 'Anneke',
                Achternaam: 'Jansen',
                Geboortenaam: 'de Vries',
                Naam_Partner: 'Pieter Bakker',
                BSN: 123456782,
              },
            ],
          },
        },
      ],
      { piiKeys: { fullName: ['Naam_Partner'], erased: ['BSN'] } },
    )
    const row = (scrubbed?.response as { rows: Record<string, unknown>[] }).rows[0] ?? {}
    expect(row.Medewerker).toBe('1001')
    for (const field of ['Voornaam', 'Achternaam', 'Geboortenaam', 'Naam_Partner'])
      expect(row[field], field).not.toEqual(
        { Voornaam: 'Anneke', Achternaam: 'Jansen', Geboortenaam: 'de Vries', Naam_Partner: 'Pieter Bakker' }[
          field
        ],
      )
    expect(row.Naam_Partner).toMatch(/^\S+ \S+$/)
    expect(row.BSN).toBe(0)
  })

  it('replaces a token under a token field, in the answer and wherever it is sent again', () => {
    const token = 'c2Vzc2lvbi10b2tlbi1mb3ItdGhlLXRlc3Q'
    const scrubbed = scrubRecording(connector, { token: 'afas-token-value' }, [
      {
        scope: 'https://api.profit.example.com:443',
        method: 'POST',
        path: '/login',
        status: 200,
        response: { token: { value: token, expires: 3600 } },
      },
      {
        scope: 'https://api.profit.example.com:443',
        method: 'GET',
        path: `/people?session=${token}`,
        status: 200,
        response: { echo: token, nextPageToken: 'page-2' },
      },
    ])
    expect(scrubbed[0]?.response).toEqual({ token: { value: '{{token:1}}', expires: 3600 } })
    expect(scrubbed[1]?.path).toBe('/people?session={{token:1}}')
    expect(scrubbed[1]?.response).toEqual({ echo: '{{token:1}}', nextPageToken: 'page-2' })
  })
})
