import { Type, type Static } from '@sinclair/typebox';

/**
 * Roles (issue 8 §2). admin: everything. manager and crew belong to a maintenance unit (维保单位)
 * and see its lifts only; a manager also runs the unit's rota and escalation policies. useUnit
 * (使用单位): its own lifts, read only. regulator: a district, reads everything in it, cannot act
 * for crews.
 */
export const Role = Type.Union([Type.Literal('admin'), Type.Literal('manager'), Type.Literal('crew'), Type.Literal('useUnit'), Type.Literal('regulator')]);
export type Role = Static<typeof Role>;

export const User = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}$', description: 'Login name' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Role,
  orgId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'Maintenance unit, use unit or district the user belongs to; null for admin' }),
  areaCode: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()], { default: null, description: 'Regulators: the GB/T 2260 area code of their district (lifts whose registry names it are in scope)' }),
  disabled: Type.Boolean({ default: false }),
  mustChangePassword: Type.Boolean({ default: false, description: 'Logged in with a one-time password: must set their own (POST /api/me/password) before anything else' }),
});
export type User = Static<typeof User>;

export const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200, description: 'At least 10 characters and hard to guess: not common, not a sequence or repetition, not your name' }),
}, { additionalProperties: false });
export type PasswordChange = Static<typeof PasswordChange>;

export const UserInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Role,
  orgId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { default: null }),
  areaCode: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()], { default: null }),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'At least 10 characters and hard to guess (checked with zxcvbn); omit to keep the current one' })),
  disabled: Type.Boolean({ default: false }),
}, { additionalProperties: false });
export type UserInput = Static<typeof UserInput>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.Integer(),
  actor: Type.String(),
  role: Type.String(),
  method: Type.String(),
  route: Type.String(),
  url: Type.String(),
  status: Type.Integer(),
  ip: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** Who may call a route. The guard checks it on every request; a route under /api without one is admin-only. */
export type Access = 'public' | 'read' | 'act' | 'manage' | 'admin';

/** Access levels each role has (`public` needs no login). */
export const ROLE_ACCESS: Record<Role, readonly Access[]> = {
  admin: ['public', 'read', 'act', 'manage', 'admin'],
  manager: ['public', 'read', 'act', 'manage'],
  crew: ['public', 'read', 'act'],
  useUnit: ['public', 'read'],
  regulator: ['public', 'read'],
};
