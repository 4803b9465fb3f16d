import { fileURLToPath } from 'node:url'
import { pullEmployees } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import workday, { getWorkersRequest, STATUS, workdayStatus } from '../src/index.js'
import { child, parseWorkersPage } from '../src/soap.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(workday, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'Human_Resources v43.0',
  connectorVersion: packageJson.version,
})

describe('Workday status table', () => {
  const status = (xml: string) => workdayStatus(parseStatus(xml), '2026-01-15')
  const parseStatus = (inner: string) => {
    const page = parseWorkersPage(
      `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc"><wd:Response_Results><wd:Total_Pages>1</wd:Total_Pages></wd:Response_Results><wd:Response_Data><wd:Worker><wd:Worker_Data><wd:Employment_Data><wd:Worker_Status_Data>${inner}</wd:Worker_Status_Data></wd:Employment_Data></wd:Worker_Data></wd:Worker></wd:Response_Data></wd:Get_Workers_Response></env:Body></env:Envelope>`,
    )
    return child(child(child(page.workers[0], 'Worker_Data'), 'Employment_Data'), 'Worker_Status_Data')
  }

  it.each([
    ['<wd:Active>0</wd:Active><wd:Terminated>1</wd:Terminated>', 'terminated'],
    [
      '<wd:Active>1</wd:Active><wd:Terminated>1</wd:Terminated><wd:Leave_Status_Data><wd:On_Leave>1</wd:On_Leave></wd:Leave_Status_Data>',
      'terminated',
    ],
    [
      '<wd:Active>1</wd:Active><wd:Terminated>0</wd:Terminated><wd:Leave_Status_Data><wd:On_Leave>1</wd:On_Leave></wd:Leave_Status_Data>',
      'on_leave',
    ],
    ['<wd:Active>1</wd:Active><wd:Hire_Date>2026-02-01-08:00</wd:Hire_Date>', 'future_hire'],
    ['<wd:Active>0</wd:Active><wd:Hire_Date>2020-02-01-08:00</wd:Hire_Date>', 'inactive'],
    ['<wd:Active>1</wd:Active><wd:Hire_Date>2026-01-15-08:00</wd:Hire_Date>', 'active'],
    ['<wd:Hire_Date>2020-02-01-08:00</wd:Hire_Date>', undefined],
  ])('%s → %s (first matching rule wins)', (xml, expected) => {
    expect(status(xml)).toBe(expected)
  })

  it('maps every derived value to a canonical status', () => {
    expect(STATUS).toEqual({
      terminated: 'terminated',
      on_leave: 'leave',
      future_hire: 'pending',
      inactive: 'pending',
      active: 'active',
    })
  })
})

describe('Workday Get_Workers requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('asks for page after page with the configured Count, one snapshot moment and the ISU header', async () => {
    nock.disableNetConnect()
    const bodies: string[] = []
    const page = (n: number, pages: number) =>
      `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc"><wd:Response_Results><wd:Total_Results>3</wd:Total_Results><wd:Total_Pages>${pages}</wd:Total_Pages><wd:Page_Results>1</wd:Page_Results><wd:Page>${n}</wd:Page></wd:Response_Results><wd:Response_Data><wd:Worker><wd:Worker_Data><wd:Worker_ID>${n}</wd:Worker_ID><wd:Employment_Data><wd:Worker_Status_Data><wd:Active>1</wd:Active></wd:Worker_Status_Data></wd:Employment_Data></wd:Worker_Data></wd:Worker></wd:Response_Data></wd:Get_Workers_Response></env:Body></env:Envelope>`
    const scope = nock('https://wd5-services1.myworkday.com')
    for (const n of [1, 2, 3]) {
      scope
        .post('/ccx/service/acme/Human_Resources/v44.1', (body: string) => {
          bodies.push(body)
          return true
        })
        .reply(200, page(n, 3), { 'content-type': 'text/xml' })
    }
    const result = await pullEmployees(
      workday,
      {
        baseUrl: 'https://wd5-services1.myworkday.com/',
        tenant: 'acme',
        apiVersion: 'v44.1',
        username: 'ISU_Spend@acme',
        password: 'p<a&ss',
        pageSize: 1,
      },
      { now, backoffBaseMs: 0 },
    )
    expect(result.employees.map((e) => e.remoteId)).toEqual(['1', '2', '3'])
    expect(scope.isDone()).toBe(true)
    expect(
      bodies.map((b) => /<bsvc:Page>(\d+)<\/bsvc:Page><bsvc:Count>1<\/bsvc:Count>/.exec(b)?.[1]),
    ).toEqual(['1', '2', '3'])
    for (const body of bodies) {
      expect(body).toContain(
        '<bsvc:As_Of_Entry_DateTime>2026-01-15T09:00:00.000Z</bsvc:As_Of_Entry_DateTime>',
      )
      expect(body).toContain('<wsse:Username>ISU_Spend@acme</wsse:Username>')
      expect(body).toContain('>p&lt;a&amp;ss</wsse:Password>')
      expect(body).toContain('bsvc:version="v44.1"')
    }
  })

  it('keeps Request_Criteria, Response_Filter and Response_Group in the order the schema demands', () => {
    const body = getWorkersRequest({ version: 'v43.0', page: 2, count: 100, asOf: now })
    const order = ['Request_Criteria', 'Response_Filter', 'Response_Group'].map((tag) =>
      body.indexOf(`<bsvc:${tag}>`),
    )
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(body).toContain('<bsvc:Exclude_Inactive_Workers>false</bsvc:Exclude_Inactive_Workers>')
    expect(body).not.toContain('wsse:Security')
  })

  it('refuses a config with neither ISU nor API-client credentials', async () => {
    await expect(
      pullEmployees(workday, { baseUrl: 'https://wd2-impl-services1.workday.com', tenant: 'acme1' }, { now }),
    ).rejects.toMatchObject({ code: 'invalid_config' })
  })

  it('refuses hosts outside Workday', async () => {
    await expect(
      pullEmployees(
        workday,
        { baseUrl: 'https://workday.example.com', tenant: 'acme1', username: 'u@acme1', password: 'secret' },
        { now },
      ),
    ).rejects.toMatchObject({ code: 'host_not_allowed' })
  })
})
