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

/**
 * A company whose plan no longer includes an HR integration (a downgrade): its syncs and SCIM writes
 * wait until it is on an eligible plan again.
 */
export const companyPaused = (company: { name: string }) =>
  new RunnerError(
    'company_paused',
    `${company.name} is paused: its plan does not include an HR integration, so syncs and SCIM changes wait until it moves to the Advanced or Beyond plan`,
    409,
  )
