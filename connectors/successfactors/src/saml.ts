import { createHash, createPrivateKey, createSign, type KeyObject, randomUUID } from 'node:crypto'
import { ConnectorError } from '@hrsync/core'

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion'
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'

export interface AssertionInput {
  /** the OAuth client's API key: the assertion's `api_key` attribute */
  clientId: string
  /** the SuccessFactors user the token acts for: the subject NameID */
  userId: string
  /** `{apiServer}/oauth/token`: the recipient */
  tokenUrl: string
  privateKey: string
  now: Date
  /** for tests; a fresh random id otherwise */
  id?: string
}

const escapeText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
const escapeAttribute = (text: string) => escapeText(text).replaceAll('"', '&quot;')

/** Accepts a PEM key, or the bare base64 body SuccessFactors shows when it generates the key pair. */
export function readPrivateKey(text: string): KeyObject {
  const pem = text.includes('-----BEGIN')
    ? text
    : `-----BEGIN PRIVATE KEY-----\n${text.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----`
  try {
    return createPrivateKey(pem)
  } catch (error) {
    throw new ConnectorError(
      'invalid_config',
      'privateKey is not a readable private key: paste the PEM key (or its base64 body) of the certificate registered for the OAuth client',
      { keys: ['privateKey'] },
      { cause: error },
    )
  }
}

/**
 * A SAML 2.0 bearer assertion signed with RSA-SHA256 (enveloped signature, exclusive canonicalisation),
 * base64-encoded for the `assertion` field of SuccessFactors' token request. The XML is written already in
 * canonical form (attributes in canonical order, no self-closing tags, no whitespace), so the digest and
 * the signature are computed over exactly the bytes a verifier canonicalises.
 */
export function signedAssertion(input: AssertionInput): string {
  const key = readPrivateKey(input.privateKey)
  const id = input.id ?? `_${randomUUID()}`
  const issued = input.now.toISOString()
  // SuccessFactors accepts assertions valid for up to 24 hours; ten minutes is plenty for one token call
  const expires = new Date(input.now.getTime() + 10 * 60_000).toISOString()
  const body =
    `<saml2:Issuer>www.successfactors.com</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeText(input.userId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml2:SubjectConfirmationData NotOnOrAfter="${expires}" Recipient="${escapeAttribute(input.tokenUrl)}"></saml2:SubjectConfirmationData>` +
    `</saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${issued}" NotOnOrAfter="${expires}">` +
    `<saml2:AudienceRestriction><saml2:Audience>www.successfactors.com</saml2:Audience></saml2:AudienceRestriction>` +
    `</saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${issued}" SessionIndex="${id}">` +
    `<saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext>` +
    `</saml2:AuthnStatement>` +
    `<saml2:AttributeStatement><saml2:Attribute Name="api_key"><saml2:AttributeValue>${escapeText(input.clientId)}</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement>`
  const open = `<saml2:Assertion xmlns:saml2="${SAML_NS}" ID="${id}" IssueInstant="${issued}" Version="2.0">`
  const [issuer, rest] = [
    body.slice(0, body.indexOf('<saml2:Subject>')),
    body.slice(body.indexOf('<saml2:Subject>')),
  ]
  const digest = createHash('sha256').update(`${open}${body}</saml2:Assertion>`).digest('base64')
  const signedInfo = (declare: boolean) =>
    `<ds:SignedInfo${declare ? ` xmlns:ds="${DSIG_NS}"` : ''}>` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>` +
    `<ds:Reference URI="#${id}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${DSIG_NS}enveloped-signature"></ds:Transform>` +
    `<ds:Transform Algorithm="${EXC_C14N}"></ds:Transform>` +
    `</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`
  // exclusive canonicalisation of SignedInfo on its own declares the ds namespace on it
  const signature = createSign('RSA-SHA256').update(signedInfo(true)).sign(key, 'base64')
  const signatureElement =
    `<ds:Signature xmlns:ds="${DSIG_NS}">${signedInfo(false)}` +
    `<ds:SignatureValue>${signature}</ds:SignatureValue></ds:Signature>`
  const xml = `${open}${issuer}${signatureElement}${rest}</saml2:Assertion>`
  return Buffer.from(xml, 'utf8').toString('base64')
}
