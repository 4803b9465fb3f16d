/** The console's addresses: `#/c/<companyId>/<page>[/<id>]`. */
export function href(companyId: string, page: string, extra?: string): string {
  return `#/c/${encodeURIComponent(companyId)}/${page}${extra ? `/${encodeURIComponent(extra)}` : ''}`
}
