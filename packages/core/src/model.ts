import { type Static, Type } from '@sinclair/typebox'

/** Where a person stands in their employment, as every connector reports it. */
export const EmployeeStatus = Type.Union(
  [Type.Literal('active'), Type.Literal('leave'), Type.Literal('pending'), Type.Literal('terminated')],
  { description: 'leave = employed, on leave (keeps access); pending = hired, not started' },
)
export type EmployeeStatus = Static<typeof EmployeeStatus>
export const EMPLOYEE_STATUSES: readonly EmployeeStatus[] = ['active', 'leave', 'pending', 'terminated']

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

/** One person of the HR system, in the shape every connector emits. */
export const Employee = Type.Object(
  {
    remoteId: Type.String({ minLength: 1, description: "the vendor's stable id; numbers become strings" }),
    email: Nullable(Type.String({ description: 'primary work email as the vendor gives it' })),
    firstName: Nullable(Type.String()),
    lastName: Nullable(Type.String()),
    status: EmployeeStatus,
    managerRemoteId: Nullable(Type.String({ minLength: 1 })),
    managerEmail: Nullable(Type.String()),
    department: Nullable(Type.String()),
    jobTitle: Nullable(Type.String()),
    startDate: Nullable(IsoDate),
    terminationDate: Nullable(IsoDate),
  },
  { additionalProperties: false },
)
export type Employee = Static<typeof Employee>

/** Builds an Employee; a field left out or undefined is null. Handy for connectors and tests. */
export function employee(fields: Pick<Employee, 'remoteId' | 'status'> & Partial<Employee>): Employee {
  // Built field by field, in the schema's order: a pull builds one per person, and a spread onto
  // defaults costs twice the time and an extra object.
  return {
    remoteId: fields.remoteId,
    email: fields.email ?? null,
    firstName: fields.firstName ?? null,
    lastName: fields.lastName ?? null,
    status: fields.status,
    managerRemoteId: fields.managerRemoteId ?? null,
    managerEmail: fields.managerEmail ?? null,
    department: fields.department ?? null,
    jobTitle: fields.jobTitle ?? null,
    startDate: fields.startDate ?? null,
    terminationDate: fields.terminationDate ?? null,
  }
}
