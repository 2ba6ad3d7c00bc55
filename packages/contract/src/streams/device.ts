import { Type, type Static } from '@sinclair/typebox';
import { record } from './envelope.js';

/** `device`: the terminal's own health, every 5–15 min: firmware, link quality, spool depth, clock offset. */
export const DeviceRecord = record('device', {
  fwVersion: Type.Optional(Type.String({ maxLength: 64 })),
  rssiDbm: Type.Optional(Type.Number({ minimum: -150, maximum: 0 })),
  batteryPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  clockOffsetMs: Type.Optional(Type.Number({ minimum: -1e12, maximum: 1e12, description: 'Terminal clock minus a reference clock (its NTP server), ms: positive when the terminal is ahead' })),
  linkRttMs: Type.Optional(Type.Number({ minimum: 0, maximum: 3_600_000, description: 'Median time from publish to the broker\'s acknowledgement since the previous device record, ms: the link quality the terminal measures itself' })),
  linkDrops: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Connections to the broker lost since the previous device record' })),
  bufferBacklog: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Records waiting in the store-and-forward spool' })),
  uptimeS: Type.Optional(Type.Number({ minimum: 0 })),
  tamper: Type.Optional(Type.Boolean()),
  configVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'The configVersion of the retained config the terminal has applied: its acknowledgement' })),
  configRejectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'The newest config version the terminal refused; sent until a newer one is applied' })),
  configRejectedReason: Type.Optional(Type.String({ maxLength: 500, description: 'Why the terminal refused configRejectedVersion, naming the value' })),
  cmdId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The command this record answers (selfTest, restart, …)' })),
  cmdOk: Type.Optional(Type.Boolean({ description: 'Whether the command cmdId succeeded' })),
  cmdDetail: Type.Optional(Type.String({ maxLength: 500, description: 'What the command found or why it failed' })),
}, 'Terminal health');
export type DeviceRecord = Static<typeof DeviceRecord>;
