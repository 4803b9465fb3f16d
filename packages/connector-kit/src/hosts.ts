/** Fills `{key}` templates of allowedHosts from the config; a template whose key is unset is dropped. */
export function resolveAllowedHosts(templates: readonly string[], config: Record<string, unknown>): string[] {
  const hosts: string[] = []
  for (const template of templates) {
    let complete = true
    const host = template.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = config[key]
      if (typeof value !== 'string' && typeof value !== 'number') {
        complete = false
        return ''
      }
      return String(value)
    })
    if (complete) hosts.push(host.toLowerCase())
  }
  return hosts
}

/** `*.example.com` matches any subdomain of example.com, not example.com itself. */
export function isHostAllowed(hostname: string, allowed: readonly string[]): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '')
  return allowed.some((pattern) => {
    if (pattern.startsWith('*.')) {
      const suffix = pattern.slice(1)
      return host.endsWith(suffix) && host.length > suffix.length
    }
    return host === pattern
  })
}
