import type nock from 'nock'

/**
 * nock, loaded on first use. Importing nock replaces node:http's request functions for the whole process,
 * and its interceptor leaves a rejection unhandled when a passed-through answer stalls mid-body and is
 * timed out (a socket error emitted twice, mswjs/interceptors#795). The runner's CLI loads this entry to
 * offer `dev record`, so nock must not be active until a recording or replay actually runs.
 */
export async function loadNock(): Promise<typeof nock> {
  return (await import('nock')).default
}
