import { ConnectorError } from '@hrsync/core'
import { XMLBuilder, XMLParser } from 'fast-xml-parser'

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
const BSVC_NS = 'urn:com.workday/bsvc'
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'
const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText'

export interface GetWorkersPage {
  version: string
  page: number
  count: number
  /** the same moment on every page, so all pages describe one snapshot */
  asOf: Date
  /** Integration System User credentials for the WS-Security header; absent with OAuth */
  isu?: { username: string; password: string }
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' })

/** One Get_Workers request; the children of Get_Workers_Request must stay in this order. */
export function getWorkersRequest(request: GetWorkersPage): string {
  const asOf = request.asOf.toISOString()
  const security = request.isu && {
    'wsse:Security': {
      '@_soapenv:mustUnderstand': '1',
      '@_xmlns:wsse': WSSE_NS,
      'wsse:UsernameToken': {
        'wsse:Username': request.isu.username,
        'wsse:Password': { '@_Type': PASSWORD_TEXT, '#text': request.isu.password },
      },
    },
  }
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'soapenv:Envelope': {
      '@_xmlns:soapenv': SOAP_NS,
      '@_xmlns:bsvc': BSVC_NS,
      ...(security ? { 'soapenv:Header': security } : {}),
      'soapenv:Body': {
        'bsvc:Get_Workers_Request': {
          '@_bsvc:version': request.version,
          'bsvc:Request_Criteria': { 'bsvc:Exclude_Inactive_Workers': 'false' },
          'bsvc:Response_Filter': {
            'bsvc:As_Of_Effective_Date': asOf.slice(0, 10),
            'bsvc:As_Of_Entry_DateTime': asOf,
            'bsvc:Page': request.page,
            'bsvc:Count': request.count,
          },
          'bsvc:Response_Group': {
            'bsvc:Include_Reference': 'true',
            'bsvc:Include_Personal_Information': 'true',
            'bsvc:Include_Employment_Information': 'true',
            'bsvc:Include_Organizations': 'true',
          },
        },
      },
    },
  })
}

/** An XML element as fast-xml-parser gives it: text, or an object of children and `@_` attributes. */
export type Node = string | { [key: string]: Node | Node[] | undefined }

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // ids such as "030077" and booleans "0"/"1" stay text
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
})

/** The children named `name`, always as a list (XML does not say whether one child is a list). */
export function children(node: Node | Node[] | undefined, name: string): Node[] {
  const nodes = Array.isArray(node) ? node : node === undefined ? [] : [node]
  return nodes.flatMap((n) => {
    if (typeof n !== 'object') return []
    const value = n[name]
    return value === undefined ? [] : Array.isArray(value) ? value : [value]
  })
}

export const child = (node: Node | Node[] | undefined, name: string): Node | undefined =>
  children(node, name)[0]

/** The text of an element, with or without attributes; empty → undefined. */
export function text(node: Node | undefined): string | undefined {
  const value = typeof node === 'object' ? node['#text'] : node
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

export const attribute = (node: Node | undefined, name: string): string | undefined =>
  typeof node === 'object' && typeof node[`@_${name}`] === 'string'
    ? (node[`@_${name}`] as string)
    : undefined

/** The value of the `wd:ID` child of a reference whose `wd:type` is one of `types`. */
export function referenceId(reference: Node | undefined, types: readonly string[]): string | undefined {
  const id = children(reference, 'ID').find((node) => types.includes(attribute(node, 'type') ?? ''))
  return text(id)
}

export interface WorkersPage {
  workers: Node[]
  totalPages: number
}

/** Reads one Get_Workers response: its workers and the page count from Response_Results. */
export function parseWorkersPage(xml: string): WorkersPage {
  let document: Node
  try {
    document = parser.parse(xml) as Node
  } catch (error) {
    throw new ConnectorError('malformed_response', 'Workday sent a response that is not XML', undefined, {
      cause: error,
    })
  }
  const body = child(child(document, 'Envelope'), 'Body')
  const fault = child(body, 'Fault')
  if (fault) {
    throw new ConnectorError(
      'vendor_error',
      `Workday answered with a SOAP fault: ${text(child(fault, 'faultstring')) ?? text(child(fault, 'faultcode')) ?? 'no reason given'}`,
      { faultcode: text(child(fault, 'faultcode')) },
    )
  }
  const response = child(body, 'Get_Workers_Response')
  if (!response) {
    throw new ConnectorError('malformed_response', 'Workday answered without a Get_Workers_Response')
  }
  const totalPages = Number(text(child(child(response, 'Response_Results'), 'Total_Pages')) ?? Number.NaN)
  if (!Number.isInteger(totalPages) || totalPages < 0) {
    throw new ConnectorError('malformed_response', 'Workday answered without Response_Results/Total_Pages')
  }
  return { workers: children(child(response, 'Response_Data'), 'Worker'), totalPages }
}
