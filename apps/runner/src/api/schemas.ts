import { type TSchema, Type } from '@sinclair/typebox'

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'Error', description: 'Every error: a stable snake_case code and a sentence for a human' },
)

export const Id = (description: string) => Type.String({ minLength: 1, description })

export const CompanyParams = Type.Object({ companyId: Id('company id') })
export const IntegrationParams = Type.Object({ id: Id('integration id') })
export const RunParams = Type.Object({ runId: Id('sync run id') })
export const UserParams = Type.Object({ userId: Id('user id') })
export const TeamParams = Type.Object({ teamId: Id('team id') })

export const Plan = Type.Union([
  Type.Literal('starter'),
  Type.Literal('essential'),
  Type.Literal('advanced'),
  Type.Literal('beyond'),
])

export const CreateCompanyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    plan: Plan,
    timeZone: Type.String({
      minLength: 1,
      description: 'IANA time zone, e.g. Europe/Berlin',
      default: 'UTC',
    }),
  },
  { additionalProperties: false },
)

export const ConnectBody = Type.Object(
  {
    connector: Type.String({ minLength: 1, description: 'connector id, from GET /api/connectors' }),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description: 'connection settings, as the connector schema says',
    }),
    autoApply: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'apply the first sync without review; by default a pull integration starts in review: its first sync is planned and waits for POST /api/integrations/{id}/review/confirm',
      }),
    ),
  },
  { additionalProperties: false },
)

export const ChangeIntegrationBody = Type.Object(
  {
    config: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'the new connection settings, whole, as the connector schema says: they replace the stored ones. A secret field left out (or empty, or sent back as the mask ******** that GET answers) keeps its stored value; a secret given replaces it. Secrets are never returned.',
    }),
  },
  { additionalProperties: false },
)

export const SyncQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'return the plan and apply nothing', default: false })),
})

export const FinishTeamSyncBody = Type.Object(
  {
    unassignedReviewerUserId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    placements: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'app-only user id -> team key it goes to' }),
    ),
  },
  { additionalProperties: false },
)

export const UserStatus = Type.Union([
  Type.Literal('uninvited'),
  Type.Literal('invited'),
  Type.Literal('active'),
  Type.Literal('deactivated'),
])

/** Cursor pagination shared by the lists a mirror reads (users, teams). */
const PageQuery = {
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'nextCursor of the previous page; omit for the first',
    }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'rows per page' }),
  ),
  updatedSince: Type.Optional(
    Type.String({ format: 'date-time', description: 'only rows changed at or after this instant' }),
  ),
}

export const UsersQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(UserStatus),
  source: Type.Optional(
    Type.Union([Type.Literal('hr'), Type.Literal('manual')], {
      description: 'hr: created by the HR sync; manual: added by an admin (app-only)',
    }),
  ),
  linked: Type.Optional(Type.Boolean({ description: 'linked to an HR record, or not' })),
})

export const TeamsQuery = Type.Object({
  ...PageQuery,
  kind: Type.Optional(
    Type.Union([Type.Literal('ordinary'), Type.Literal('synced'), Type.Literal('unassigned')]),
  ),
})

export const CompanyUserParams = Type.Object({ companyId: Id('company id'), userId: Id('user id') })
export const CompanyTeamParams = Type.Object({ companyId: Id('company id'), teamId: Id('team id') })

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    firstName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    lastName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('member')])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('invited')])),
  },
  { additionalProperties: false },
)

export const InviteBody = Type.Object(
  { userIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
)

export const InvitationParams = Type.Object({ token: Type.String({ minLength: 1 }) })

const TeamFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  reviewerUserId: Type.Union([Type.String(), Type.Null()]),
  memberUserIds: Type.Array(Type.String()),
}
export const CreateTeamBody = Type.Object(
  {
    name: TeamFields.name,
    reviewerUserId: Type.Optional(TeamFields.reviewerUserId),
    memberUserIds: Type.Optional(TeamFields.memberUserIds),
  },
  { additionalProperties: false },
)
export const PatchTeamBody = Type.Partial(Type.Object(TeamFields), {
  additionalProperties: false,
  minProperties: 1,
})

export const EventsQuery = Type.Object({
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'only events with a greater id',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  type: Type.Optional(Type.String()),
})

export const RunsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
})

/** The documented error answers of a route, for OpenAPI. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('Error')]))
}

// ---- response bodies (documented in /docs/json; fastify serialises answers through them) ----

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
const Timestamp = (description: string) => Type.String({ format: 'date-time', description })

export const CompanyBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plan: Plan,
  timeZone: Type.String({ description: 'IANA time zone' }),
  createdAt: Timestamp('when the company was created'),
})

export const CompanyListBody = Type.Object({ companies: Type.Array(CompanyBody) })

export const CompanyDetailBody = Type.Composite([
  CompanyBody,
  Type.Object({
    integrations: Type.Array(
      Type.Object({
        id: Type.String(),
        connectorId: Type.String(),
        status: Type.String({ description: 'connected or disconnected' }),
      }),
    ),
  }),
])

export const EventListBody = Type.Object({
  events: Type.Array(
    Type.Object({
      id: Type.Integer({ description: 'increases with every event; page with ?after=' }),
      companyId: Type.String(),
      integrationId: Nullable(Type.String()),
      type: Type.String({ description: 'e.g. user.created, sync.succeeded' }),
      payload: Type.Record(Type.String(), Type.Unknown()),
      actor: Nullable(
        Type.Object(
          { keyId: Type.String(), userId: Nullable(Type.String()) },
          { description: 'who made the change through the admin API; null for the sync and SCIM' },
        ),
      ),
      createdAt: Timestamp('when the event was recorded'),
    }),
  ),
  nextAfter: Type.Integer({ description: 'pass as ?after= to read the events that follow' }),
})

const PersonRecordBody = Type.Object(
  {
    status: Type.String({ description: 'active, pending, leave or terminated' }),
    hrEmail: Nullable(Type.String()),
    firstName: Nullable(Type.String()),
    lastName: Nullable(Type.String()),
    department: Nullable(Type.String()),
    jobTitle: Nullable(Type.String()),
    managerRemoteId: Nullable(Type.String()),
    startDate: Nullable(Type.String({ format: 'date' })),
    terminationDate: Nullable(Type.String({ format: 'date' })),
  },
  { description: 'the last HR record the sync saw for a linked user' },
)

export const UserBody = Type.Object({
  id: Type.String(),
  companyId: Type.String(),
  email: Type.String(),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  status: UserStatus,
  role: Type.Union([Type.Literal('admin'), Type.Literal('member')]),
  link: Nullable(Type.Object({ integrationId: Type.String(), remoteId: Type.String() })),
  origin: Type.Union([Type.Literal('hr'), Type.Literal('manual')]),
  person: Nullable(PersonRecordBody),
  pinnedTeamKey: Nullable(Type.String()),
  adminDeactivated: Type.Boolean({
    description: 'an admin deactivated them ahead of HR: HR listing them again gives no access back',
  }),
  keepAccessUntil: Nullable(
    Type.String({ format: 'date', description: 'a leaver keeps access through this date (grace period)' }),
  ),
  invitedAt: Nullable(Timestamp('when the user was last invited')),
  acceptedAt: Nullable(Timestamp('when the user accepted')),
  createdAt: Timestamp('when the user was created'),
  updatedAt: Timestamp('when anything about the user last changed'),
})

/** A user as the admin API shows it: the stored user with its label, flags and Add people action. */
export const UserViewBody = Type.Composite([
  UserBody,
  Type.Object({
    label: Nullable(Type.String({ description: '"added via <HR system>" while linked to an integration' })),
    flags: Type.Object({
      returning: Type.Boolean(),
      leavingOn: Nullable(Type.String({ format: 'date' })),
      hrEmailDiffers: Type.Boolean(),
    }),
    action: Nullable(Type.Union([Type.Literal('invite'), Type.Literal('reactivate')])),
  }),
])

const NextCursor = Nullable(
  Type.String({ description: 'pass as ?cursor= for the next page; null on the last' }),
)

export const UserListBody = Type.Object({ users: Type.Array(UserViewBody), nextCursor: NextCursor })

export const InvitationsBody = Type.Object({
  invitations: Type.Array(
    Type.Object({
      userId: Type.String(),
      email: Type.String(),
      token: Type.String({ description: 'shown once: the app sends it to the invitee' }),
    }),
  ),
})

export const AcceptedBody = Type.Object({ userId: Type.String(), email: Type.String(), status: UserStatus })

export const TeamBody = Type.Object({
  id: Type.String(),
  companyId: Type.String(),
  integrationId: Nullable(Type.String()),
  name: Type.String(),
  kind: Type.Union([Type.Literal('ordinary'), Type.Literal('synced'), Type.Literal('unassigned')]),
  key: Nullable(Type.String({ description: 'manager remoteId of a synced team' })),
  nameOverridden: Type.Boolean(),
  reviewerUserId: Nullable(Type.String()),
  memberUserIds: Type.Array(Type.String()),
  needsReviewer: Type.Boolean({
    description: 'nobody reviews this team: no reviewer, or one who no longer has access (e.g. left HR)',
  }),
  updatedAt: Timestamp('when the team, its reviewer or its members last changed'),
})

export const TeamListBody = Type.Object({ teams: Type.Array(TeamBody), nextCursor: NextCursor })

export const NoContent = Type.Null({ description: 'no content' })

const PluginFailureBody = Type.Object({
  package: Type.String(),
  version: Nullable(Type.String()),
  code: Type.String({ description: 'unsupported_connector_api, invalid_manifest, import_failed, ...' }),
  reason: Type.String(),
})

export const LivenessBody = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')], {
    description: 'down (503): the database does not answer',
  }),
})

export const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('error')], {
    description: 'degraded: a plugin failed to load; error: the database does not answer',
  }),
  database: Type.Object({
    kind: Type.String({ description: 'pglite or postgres' }),
    status: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  }),
  core: Type.Object({ version: Type.String() }),
  plugins: Type.Object({
    loaded: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        package: Type.String(),
        version: Type.String(),
        source: Type.String({ description: 'configured, workspace, node_modules or builtin' }),
      }),
    ),
    failed: Type.Array(PluginFailureBody),
  }),
})

export const ConnectorListBody = Type.Object({
  connectors: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      mode: Type.Union([Type.Literal('pull'), Type.Literal('push')]),
      docsUrl: Nullable(Type.String()),
      package: Type.String(),
      version: Type.String(),
      source: Type.String({
        description:
          'builtin, configured (HRSYNC_PLUGINS), installed (plugins add), workspace or node_modules',
      }),
      secretKeys: Type.Array(Type.String()),
      configSchema: Type.Record(Type.String(), Type.Unknown(), {
        description: 'JSON Schema of the config; secret fields are writeOnly and x-hrsync-secret',
      }),
    }),
  ),
})

/** An answer whose fields beyond those named pass through as they are (runs, plans and changes). */
const Open = <T extends Record<string, TSchema>>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: true, ...(description ? { description } : {}) })

export const IntegrationBody = Open(
  {
    id: Type.String(),
    companyId: Type.String(),
    connectorId: Type.String(),
    connectorName: Nullable(Type.String()),
    status: Type.String({ description: 'connected or disconnected' }),
    config: Type.Record(Type.String(), Type.Unknown(), { description: 'the config, secrets masked' }),
    syncing: Type.Boolean(),
    progress: Nullable(
      Type.Object(
        {
          pages: Type.Integer({ description: 'pages read so far' }),
          people: Type.Integer({ description: 'people read so far' }),
          totalPeople: Nullable(Type.Integer({ description: 'how many the vendor says it holds' })),
          startedAt: Type.String({ format: 'date-time' }),
        },
        { description: 'how far the running sync got; null when none runs' },
      ),
    ),
    needsAttention: Type.Boolean(),
    teamSync: Type.String({ description: 'off, setup or on' }),
    inReview: Type.Boolean({
      description: 'its first sync is planned and waits for an admin to confirm it (GET .../review)',
    }),
    configChangedAt: Nullable(
      Timestamp(
        'when an admin last changed the connection settings (PATCH); null when they are as connected',
      ),
    ),
  },
  'an integration: status, last and next sync, needs attention, team sync state',
)

export const ScimCredentialsBody = Type.Object(
  { baseUrl: Type.String(), token: Type.String({ description: 'shown only in this answer' }) },
  { description: 'where the identity provider pushes, and its bearer token' },
)

export const IntegrationChangedBody = Type.Object({ integration: IntegrationBody })

export const ConnectedBody = Type.Object({
  integration: IntegrationBody,
  scim: Type.Optional(ScimCredentialsBody),
})

const RunBody = Open(
  {
    id: Type.String(),
    integrationId: Type.String(),
    trigger: Type.String({
      description: 'what started it: schedule, manual (sync now), push (SCIM) or approval',
    }),
    first: Type.Boolean({
      description: "the integration's first sync (dry runs aside), the one after connecting",
    }),
    status: Type.String({ description: 'running, succeeded, failed or held' }),
    dryRun: Type.Boolean(),
    counts: Type.Unknown({ description: 'created, updated, deactivated, removed, ... by kind' }),
  },
  'a sync run with its counts, changes, warnings and failure',
)

export const SyncBody = Type.Object({
  run: RunBody,
  plan: Type.Unknown({ description: 'the planned changes (a dry run applies none of them)' }),
})
export const RunListBody = Type.Object({ runs: Type.Array(RunBody) })
export const RunDetailBody = RunBody
const SkippedRemovalBody = Type.Object(
  {
    userId: Type.String(),
    removalIds: Type.Array(Type.String(), { description: "the user's held removals left unapplied" }),
    reason: Type.Union(
      [
        Type.Literal('user_removed'),
        Type.Literal('already_done'),
        Type.Literal('user_changed'),
        Type.Literal('back_in_hr'),
        Type.Literal('access_kept_until'),
        Type.Literal('last_admin_kept'),
      ],
      {
        description:
          'user_removed: the user no longer exists; already_done: already deactivated or not invited; user_changed: status, role, email or HR link changed since the hold; back_in_hr: a later successful sync no longer finds them gone; access_kept_until: an admin granted a grace period that still runs; last_admin_kept: R17',
      },
    ),
    message: Type.String({ description: 'a sentence for the admin' }),
  },
  { description: 'a person whose held removal no longer holds: decided, not applied' },
)
export const ApprovedBody = Open(
  {
    run: RunBody,
    applied: Type.Array(Type.Unknown(), {
      description: 'the removals applied, then what they did to teams (team sync on)',
    }),
    skipped: Type.Array(SkippedRemovalBody),
    warnings: Type.Array(Type.Unknown(), { description: 'last_admin_kept when R17 kept someone' }),
  },
  'held removals decided again against the present, applied or skipped with the reason',
)
export const RejectedBody = Type.Object({ rejected: Type.Integer() })
export const ScimRotatedBody = Type.Object({ scim: ScimCredentialsBody })
export const RevokedBody = Type.Object({ revoked: Type.Boolean() })
export const DisconnectPreviewBody = Open({}, 'what disconnecting does to every user (R7)')
export const DisconnectedBody = Type.Object({
  disconnected: Type.Boolean(),
  outcome: Open({}, 'what disconnecting did to every user (R7)'),
})
export const TeamSyncPreviewBody = Open({}, 'the teams finishing team sync would build, and Unassigned')
export const TeamSyncChangedBody = Type.Object(
  {
    error: ErrorBody.properties.error,
    preview: Type.Optional(TeamSyncPreviewBody),
  },
  {
    description:
      'team_sync_preview_changed: the company changed since the preview in a way that undoes the choices made; nothing changed, review `preview` (kept for the next finish) and finish again',
  },
)
export const TeamSyncChangesBody = Type.Object({ changes: Type.Integer({ description: 'changes applied' }) })
