import type { Change, User } from './api.js'
import { groupChanges } from './format.js'

/** A run's changes, grouped by kind: a change alone of its kind is one line, a group opens to its lines. */
export function ChangeList({
  changes,
  users,
  teams,
  testId,
}: {
  changes: Change[]
  users: Map<string, User>
  teams: Map<string, { name: string }>
  testId?: string
}) {
  return (
    <ul class="change-list" data-testid={testId}>
      {groupChanges(changes, users, teams).map((group) =>
        group.summary === null ? (
          <li key={group.key}>{group.lines[0]}</li>
        ) : (
          <li key={group.key}>
            <details>
              <summary>{group.summary}</summary>
              <ul class="grouped-lines">
                {group.lines.map((line, index) => (
                  <li key={`${group.key}-${index}`}>{line}</li>
                ))}
              </ul>
            </details>
          </li>
        ),
      )}
    </ul>
  )
}
