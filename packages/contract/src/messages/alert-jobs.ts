import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { ChannelAddress, EscalationReminder, EscalationStep } from '../alerting-api.js';
import type { AlertJobKind } from '../queues.js';

/** The same fields, but open: a job queued by a newer node may carry a field this node does not know. */
const open = <P extends TProperties>(schema: TObject<P>) => Type.Object(schema.properties);

/** Job `escalate`: step `step` of the alert's policy, as the policy was when the alert opened. */
export const EscalateJobPayload = Type.Object({
  alertId: Type.Integer(),
  step: Type.Integer({ minimum: 0 }),
  def: open(EscalationStep),
});
export type EscalateJobPayload = Static<typeof EscalateJobPayload>;

/** Job `remind`: the n-th reminder (1, 2, …) of an alert nobody has taken yet. */
export const RemindJobPayload = Type.Object({
  alertId: Type.Integer(),
  n: Type.Integer({ minimum: 1 }),
  def: open(EscalationReminder),
});
export type RemindJobPayload = Static<typeof RemindJobPayload>;

/** Job `deliver`: one notification of one recipient on one channel; `cause` is the step or reminder, `label` its words. */
export const DeliverJobPayload = Type.Object({
  alertId: Type.Integer(),
  cause: Type.String(),
  label: Type.String(),
  recipient: Type.Object({ id: Type.String(), name: Type.String(), language: Type.Optional(Type.String({ description: 'The language the recipient reads (zh-CN when absent)' })) }),
  to: open(ChannelAddress),
});
export type DeliverJobPayload = Static<typeof DeliverJobPayload>;

/** The payload of each kind of alerting job, as the queue carries it between nodes. */
export const AlertJobPayloads = {
  escalate: EscalateJobPayload,
  remind: RemindJobPayload,
  deliver: DeliverJobPayload,
} as const satisfies Record<AlertJobKind, TSchema>;
export type AlertJobPayload<K extends AlertJobKind = AlertJobKind> = Static<(typeof AlertJobPayloads)[K]>;
