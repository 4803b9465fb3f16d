/** An error the admin API answers with: a stable snake_case code, a sentence, and its HTTP status. */
export class RunnerError extends Error {
  override readonly name = 'RunnerError'
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 500 | 503 = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
  }
}

export const notFound = (what: string, id: string) =>
  new RunnerError(`${what.replaceAll(' ', '_')}_not_found`, `No ${what} with id ${id}`, 404)
