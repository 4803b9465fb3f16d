/**
 * A deep copy of JSON-shaped data, which is all a SCIM resource holds (it is read from a JSON body
 * or a jsonb column): plain objects, arrays, strings, numbers, booleans and null. Several times
 * faster than structuredClone on records this small, and made on every write.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(cloneJson) as T
  const source = value as Record<string, unknown>
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    // a "__proto__" key from a JSON body is data, as JSON.parse made it, never the copy's prototype
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: cloneJson(source[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    } else copy[key] = cloneJson(source[key])
  }
  return copy as T
}
