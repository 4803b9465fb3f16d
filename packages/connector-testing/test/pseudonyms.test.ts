import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { type FixtureInteraction, scrubRecording } from '../src/index.js'

const connector = defineConnector({
  id: 'people-hr-example',
  name: 'People Example',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ apiKey: Secret(Type.String({ minLength: 1 })), clientId: Type.String() }),
  allowedHosts: ['api.people.example.com'],
  capabilities: {
    listEmployees: { includesTerminated: 'always', managerRef: 'email', statuses: ['x'], incremental: false },
  },
  baseUrl: () => 'https://api.people.example.com',
  auth: (c) => ({ type: 'basic', username: c.clientId, password: c.apiKey }),
  async checkConnection() {},
  async *listEmployees() {
    yield [employee({ remoteId: '1', status: 'active' })]
  },
})

type Row = Record<string, string | null | { label: string; value: string }>
const scope = 'https://api.people.example.com:443'
const config = { apiKey: 'live-key-0a1b2c3d', clientId: 'acme-integration' }
const answer = (
  rows: Row[],
  headers: Record<string, string> = {},
): FixtureInteraction & {
  reqheaders: Record<string, string>
} => ({ scope, method: 'GET', path: '/people', reqheaders: headers, status: 200, response: { rows } })

function scrubbedRows(rows: Row[], key = 'fixed-key'): Row[] {
  const [scrubbed] = scrubRecording(connector, config, [answer(rows)], { key })
  return (scrubbed?.response as { rows: Row[] }).rows
}

describe('pseudonymised people: a name and its email agree', () => {
  const ada = { first_name: 'Ada', last_name: 'Lovelace', email: 'al@analytical.co.uk', manager_email: null }
  const charles = {
    first_name: 'Charles',
    last_name: 'Babbage',
    email: 'c.babbage@analytical.co.uk',
    manager_email: 'AL@analytical.co.uk',
  }

  it('gives each person the email of their fake name, in their record and wherever it is referenced', () => {
    const [fakeAda, fakeCharles] = scrubbedRows([ada, charles])
    const emailOf = (row: Row | undefined) =>
      `${String(row?.first_name).toLowerCase()}.${String(row?.last_name).toLowerCase()}`
    expect(fakeAda?.first_name).not.toBe('Ada')
    expect(fakeAda?.email).toMatch(new RegExp(`^${emailOf(fakeAda)}\\d*@example\\.test$`))
    expect(fakeCharles?.email).toMatch(new RegExp(`^${emailOf(fakeCharles)}\\d*@example\\.test$`))
    // the manager reference, written in other case, still names Ada's fake address
    expect(fakeCharles?.manager_email).toBe(fakeAda?.email)
  })

  it('agrees with a full name and with names wrapped as {label, value}', () => {
    const [full] = scrubbedRows([{ display_name: 'Ada Lovelace', mail: 'al@analytical.co.uk' }])
    const [wrapped] = scrubbedRows([
      {
        first_name: { label: 'First name', value: 'Ada' },
        last_name: { label: 'Last name', value: 'Lovelace' },
        email: { label: 'Email', value: 'al@analytical.co.uk' },
      },
    ])
    const [plain] = scrubbedRows([ada])
    expect(full?.display_name).toBe(`${plain?.first_name} ${plain?.last_name}`)
    expect(full?.mail).toBe(plain?.email)
    expect(wrapped?.email).toEqual({ label: 'Email', value: plain?.email })
  })

  it('reads a first.last address without a record as that name', () => {
    const [alone] = scrubbedRows([{ note: 'ask charles.babbage@analytical.co.uk' }])
    const [named] = scrubbedRows([{ first_name: 'Charles', last_name: 'Babbage' }])
    const expected = `${String(named?.first_name).toLowerCase()}.${String(named?.last_name).toLowerCase()}`
    expect(alone?.note).toBe(`ask ${expected}@example.test`)
  })

  it('gives two people who share a fake name different addresses', () => {
    const rows = Array.from({ length: 40 }, (_, n) => ({
      first_name: `First${n}`,
      last_name: `Last${n}`,
      email: `person${n}@analytical.co.uk`,
    }))
    const emails = scrubbedRows(rows).map((row) => row.email)
    expect(new Set(emails).size).toBe(rows.length)
  })

  it('keeps the request credentials as placeholders, a setting inside Basic as {{config:key}}', () => {
    const basic = Buffer.from(`${config.clientId}:${config.apiKey}`).toString('base64')
    const [scrubbed] = scrubRecording(connector, config, [
      answer([], { authorization: `Basic ${basic}`, 'user-agent': 'got', accept: 'application/json' }),
    ])
    expect(scrubbed?.request).toEqual({
      headers: { authorization: 'Basic {{base64:{{config:clientId}}:{{secret:apiKey}}}}' },
    })
  })
})
