import { Type } from '@sinclair/typebox'

export const PluginBody = Type.Object({
  connectorId: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  package: Type.String(),
  version: Type.Union([Type.String(), Type.Null()]),
  source: Type.String({ description: 'builtin, configured, installed, workspace or node_modules' }),
  state: Type.Union([Type.Literal('loaded'), Type.Literal('failed'), Type.Literal('incomplete')]),
  reason: Type.Union([Type.String(), Type.Null()]),
})

export const PluginListBody = Type.Object({ plugins: Type.Array(PluginBody) })

export const AddPluginBody = Type.Object(
  {
    spec: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'an npm spec (name or name@version), or a tarball or package folder on the runner machine',
    }),
  },
  { additionalProperties: false },
)

export const RemovePluginQuery = Type.Object(
  {
    package: Type.String({ minLength: 1, maxLength: 214 }),
    disconnect: Type.Optional(
      Type.Boolean({ default: false, description: 'disconnect the integrations that use it first' }),
    ),
  },
  { additionalProperties: false },
)

export const RemovedPluginBody = Type.Object({
  removed: Type.Array(Type.String()),
  disconnected: Type.Array(Type.String()),
})
