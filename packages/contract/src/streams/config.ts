import { Type, type Static } from '@sinclair/typebox';
import { CONTRACT_VERSION } from '../version.js';
import { EpochMs } from './envelope.js';

/** The record streams a terminal may be told to stop sending; `device` always goes (it carries the acknowledgement). */
export const SWITCHABLE_STREAMS = Object.freeze(['status', 'trip', 'door', 'fault', 'alarm', 'env', 'counters', 'registry', 'wave'] as const);
export type SwitchableStream = (typeof SWITCHABLE_STREAMS)[number];

/** `config`: settings for the terminal, sent retained by the platform; applied without a restart. */
export const ConfigMessage = Type.Object({
  schemaVersion: Type.Literal(CONTRACT_VERSION),
  configVersion: Type.Integer({ minimum: 0, description: 'Increases with every change; the terminal acknowledges it in its device record' }),
  ts: EpochMs,
  statusIdleS: Type.Optional(Type.Number({ minimum: 1, maximum: 3_600, description: 'Status period while idle, s' })),
  statusMovingS: Type.Optional(Type.Number({ minimum: 0.1, maximum: 60, description: 'Status period while moving, s' })),
  deviceS: Type.Optional(Type.Number({ minimum: 10, maximum: 86_400, description: 'Device health period, s' })),
  envS: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400 })),
  entrapmentS: Type.Optional(Type.Number({ minimum: 10, maximum: 900, description: 'Terminal entrapment rule timer, s' })),
  waveVibA95ZMps2: Type.Optional(Type.Number({ minimum: 0.01, maximum: 20, description: 'A trip whose vertical vibration A95 exceeds this sends its raw windows, m/s² (default 0.20, GB/T 10058)' })),
  waveVibA95XYMps2: Type.Optional(Type.Number({ minimum: 0.01, maximum: 20, description: 'Same for the horizontal axes, m/s² (default 0.15, GB/T 10058)' })),
  enabledStreams: Type.Optional(Type.Array(Type.Union(SWITCHABLE_STREAMS.map((s) => Type.Literal(s))), {
    uniqueItems: true, maxItems: SWITCHABLE_STREAMS.length,
    description: 'The record streams the terminal sends (device always goes); absent: every stream its source has',
  })),
}, { $id: 'config', additionalProperties: false, description: 'Settings for the terminal' });
export type ConfigMessage = Static<typeof ConfigMessage>;

/**
 * `cmd`: a request to the terminal. Terminals are read-only towards the controller
 * (GB/T 42616 scope): no command here can move the lift.
 */
export const CmdMessage = Type.Object({
  schemaVersion: Type.Literal(CONTRACT_VERSION),
  cmdId: Type.String({ minLength: 1, maxLength: 64 }),
  ts: EpochMs,
  cmd: Type.Union([Type.Literal('sendWave'), Type.Literal('sendStatus'), Type.Literal('selfTest'), Type.Literal('restart')], {
    description: 'selfTest: check the terminal and the alarm device link and report; restart: the terminal\'s software starts again (never the lift)',
  }),
}, { $id: 'cmd', additionalProperties: false, description: 'Request to the terminal' });
export type CmdMessage = Static<typeof CmdMessage>;
