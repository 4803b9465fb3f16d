/**
 * Sets `key` in a map kept to `max` entries: the key moves to the newest place, and the oldest
 * entry is dropped when the map is full. For what is only remembered to save a query.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key)
  if (map.size >= max) {
    const oldest = map.keys().next()
    if (!oldest.done) map.delete(oldest.value)
  }
  map.set(key, value)
}
