import { createHash, createVerify, type KeyObject } from 'node:crypto'

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#'

/**
 * Exclusive canonical XML for documents of the assertion's shape only (no comments, processing
 * instructions, whitespace between elements or inherited namespaces; attributes already in canonical
 * order): empty elements are written as start and end tag. Enough to check the signature without xml-crypto.
 */
const canonical = (xml: string) => xml.replace(/<([\w:]+)([^<>]*?)\s*\/>/g, '<$1$2></$1>')

const inner = (xml: string, element: string) =>
  new RegExp(`<ds:${element}>([^<]*)</ds:${element}>`).exec(xml)?.[1]

/**
 * Verifies an enveloped RSA-SHA256 XML signature with node:crypto alone: the SHA-256 digest of the document
 * without its Signature element, then the signature over SignedInfo canonicalised on its own (which
 * declares the ds namespace on it, as exclusive c14n of an element outside its parent does).
 */
export function verifyEnveloped(xml: string, publicKey: KeyObject): boolean {
  const signature = /<ds:Signature\b[\s\S]*<\/ds:Signature>/.exec(xml)?.[0]
  const signedInfo = signature && /<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/.exec(signature)?.[0]
  const digestValue = signedInfo && inner(signedInfo, 'DigestValue')
  const signatureValue = signature && inner(signature, 'SignatureValue')
  if (!signature || !signedInfo || !digestValue || !signatureValue) return false
  const digest = createHash('sha256')
    .update(canonical(xml.replace(signature, '')))
    .digest('base64')
  if (digest !== digestValue) return false
  const signedBytes = canonical(signedInfo).replace(
    '<ds:SignedInfo>',
    `<ds:SignedInfo xmlns:ds="${DSIG_NS}">`,
  )
  return createVerify('RSA-SHA256').update(signedBytes).verify(publicKey, signatureValue, 'base64')
}
