import { writeFileSync } from 'node:fs'
import type { Fixture, FixtureInteraction, FixtureRequest } from './fixture.js'
import type { CapturedRequest } from './replay.js'

/**
 * Whether the contract suite writes what each replayed request carried into the fixture's `request`
 * parts instead of checking it: HRSYNC_CAPTURE_REQUESTS=1 or --capture-requests. For fixtures written
 * before request parts existed; review the diff, since it records what the connector sends today.
 */
export const captureRequestsRequested = (): boolean =>
  process.env.HRSYNC_CAPTURE_REQUESTS === '1' || process.argv.includes('--capture-requests')

/** An interaction with its request part after the body, where a reader looks for what was sent. */
export function withRequest(interaction: FixtureInteraction, request: FixtureRequest): FixtureInteraction {
  const { scope, method, path, body, request: _old, ...answer } = interaction
  return { scope, method, path, ...(body !== undefined ? { body } : {}), request, ...answer }
}

/** The request parts captured while replaying one fixture, possibly over several replays. */
export class CapturedRequests {
  private readonly captured: CapturedRequest[] = []

  /** the `captureRequest` option of a replay */
  readonly add = (captured: CapturedRequest): void => {
    this.captured.push(captured)
  }

  /** The fixture with each captured interaction's request part replaced; the others as they were. */
  applyTo(fixture: Fixture): Fixture {
    const updated: Fixture = {
      ...fixture,
      interactions: [...fixture.interactions],
      ...(fixture.checkInteractions ? { checkInteractions: [...fixture.checkInteractions] } : {}),
    }
    for (const { list, index, request } of this.captured) {
      const interactions = updated[list]
      const interaction = interactions?.[index]
      if (interactions && interaction) interactions[index] = withRequest(interaction, request)
    }
    return updated
  }
}

export function writeFixture(path: string, fixture: Fixture): void {
  writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`)
}

/** Interactions without a request part, named for the message of a failing test. */
export function missingRequestParts(fixture: Fixture): string[] {
  const lists = [
    ['interactions', fixture.interactions],
    ['checkInteractions', fixture.checkInteractions ?? []],
  ] as const
  return lists.flatMap(([list, interactions]) =>
    interactions.flatMap((interaction, index) =>
      interaction.request === undefined
        ? [`${list}[${index}] ${interaction.method.toUpperCase()} ${interaction.scope}${interaction.path}`]
        : [],
    ),
  )
}
