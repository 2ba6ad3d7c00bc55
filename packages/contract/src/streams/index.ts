import type { Static, TSchema } from '@sinclair/typebox';
import { AlarmRecord } from './alarm.js';
import { ConfigMessage, CmdMessage } from './config.js';
import { CountersRecord } from './counters.js';
import { DeviceRecord } from './device.js';
import { DoorRecord } from './door.js';
import { EnvRecord } from './env.js';
import { FaultRecord } from './fault.js';
import { PresenceRecord } from './presence.js';
import { RegistryRecord } from './registry.js';
import { StatusRecord } from './status.js';
import { TripRecord } from './trip.js';
import { WaveRecord } from './wave.js';

export interface StreamSpec<S extends TSchema = TSchema> {
  readonly schema: S;
  /** `up`: terminal to platform; `down`: platform to terminal. */
  readonly direction: 'up' | 'down';
  /** QoS a sender should use: 1 for everything but the status snapshot, whose next copy comes in seconds (QoS 0 is acknowledged by nobody, so a crash can lose it). */
  readonly qos: 0 | 1;
  readonly retained: boolean;
  /** Records of an event stream are never dropped by an edge spool; periodic ones may be, first. */
  readonly kind: 'event' | 'periodic' | 'state';
}

/** Every stream of contract v1 and how it travels (docs/contract.md). */
export const STREAMS = {
  status: { schema: StatusRecord, direction: 'up', qos: 0, retained: false, kind: 'periodic' },
  trip: { schema: TripRecord, direction: 'up', qos: 1, retained: false, kind: 'event' },
  door: { schema: DoorRecord, direction: 'up', qos: 1, retained: false, kind: 'event' },
  fault: { schema: FaultRecord, direction: 'up', qos: 1, retained: false, kind: 'event' },
  alarm: { schema: AlarmRecord, direction: 'up', qos: 1, retained: false, kind: 'event' },
  env: { schema: EnvRecord, direction: 'up', qos: 1, retained: false, kind: 'periodic' },
  counters: { schema: CountersRecord, direction: 'up', qos: 1, retained: false, kind: 'periodic' },
  device: { schema: DeviceRecord, direction: 'up', qos: 1, retained: false, kind: 'periodic' },
  registry: { schema: RegistryRecord, direction: 'up', qos: 1, retained: true, kind: 'state' },
  wave: { schema: WaveRecord, direction: 'up', qos: 1, retained: false, kind: 'event' },
  presence: { schema: PresenceRecord, direction: 'up', qos: 1, retained: true, kind: 'state' },
  config: { schema: ConfigMessage, direction: 'down', qos: 1, retained: true, kind: 'state' },
  cmd: { schema: CmdMessage, direction: 'down', qos: 1, retained: false, kind: 'event' },
} as const satisfies Record<string, StreamSpec>;

export type StreamName = keyof typeof STREAMS;
export const STREAM_NAMES = Object.freeze(Object.keys(STREAMS) as StreamName[]);

/** Streams whose records carry the envelope (schemaVersion, liftId, seq, ts) and are stored as telemetry. */
export const RECORD_STREAMS = Object.freeze(['status', 'trip', 'door', 'fault', 'alarm', 'env', 'counters', 'device', 'registry', 'wave'] as const);
export type RecordStream = (typeof RECORD_STREAMS)[number];

/** A record of a stream as validated: a fault record always has its liftwatch `code` (decode fills it from sourceCode). */
export type RecordOf<S extends StreamName> = S extends 'fault' ? FaultRecord : Static<(typeof STREAMS)[S]['schema']>;
export type LiftRecord = { [S in RecordStream]: { stream: S; record: RecordOf<S> } }[RecordStream];

export function isStreamName(name: string): name is StreamName {
  return Object.hasOwn(STREAMS, name);
}

export function isRecordStream(name: StreamName): name is RecordStream {
  return (RECORD_STREAMS as readonly string[]).includes(name);
}

export * from './alarm.js';
export * from './config.js';
export * from './counters.js';
export * from './device.js';
export * from './door.js';
export * from './envelope.js';
export * from './env.js';
export * from './fault.js';
export * from './presence.js';
export * from './registry.js';
export * from './status.js';
export * from './trip.js';
export * from './wave.js';
