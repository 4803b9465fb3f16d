import { createPrivateKey, type KeyObject, randomUUID } from 'node:crypto'
import { ConnectorError } from '@hrsync/core'
import { SignedXml } from 'xml-crypto'

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256'

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
 * A SAML 2.0 bearer assertion signed by xml-crypto with RSA-SHA256 (enveloped signature after the Issuer,
 * exclusive canonicalisation), base64-encoded for the `assertion` field of SuccessFactors' token request.
 */
export function signedAssertion(input: AssertionInput): string {
  const key = readPrivateKey(input.privateKey)
  const id = input.id ?? `_${randomUUID()}`
  const issued = input.now.toISOString()
  // SuccessFactors accepts assertions valid for up to 24 hours; ten minutes is plenty for one token call
  const expires = new Date(input.now.getTime() + 10 * 60_000).toISOString()
  const xml =
    `<saml2:Assertion xmlns:saml2="${SAML_NS}" ID="${id}" IssueInstant="${issued}" Version="2.0">` +
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
    `<saml2:AttributeStatement><saml2:Attribute Name="api_key"><saml2:AttributeValue>${escapeText(input.clientId)}</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement>` +
    `</saml2:Assertion>`
  const signer = new SignedXml({
    privateKey: key.export({ format: 'pem', type: 'pkcs8' }),
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: RSA_SHA256,
  })
  signer.addReference({
    xpath: "/*[local-name(.)='Assertion']",
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: SHA256,
  })
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' },
  })
  return Buffer.from(signer.getSignedXml(), 'utf8').toString('base64')
}
