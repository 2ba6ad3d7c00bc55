import { canonicalSourceCode, type CmdMessage, type ConfigMessage, type RecordStream } from '@liftwatch/contract';
import type { RecordDraft } from '../spool/spool.js';
import { createModbusLink, parseEndpoint, type ModbusEndpoint, type ModbusLink } from './modbus-link.js';
import type { ResolvedProfile } from './modbus-profile.js';
import { decodePoint, planReads, type ReadBlock } from './modbus-read.js';
import type { SensorSource, SourceSink } from './source.js';

export interface ModbusSourceOptions {
  /** tcp://host:port, rtu-tcp://host:port or rtu:///dev/tty…?baud=9600 (modbus-link.ts). */
  readonly endpoint: string | ModbusEndpoint;
  readonly profile: ResolvedProfile;
  /** Modbus unit id (slave address) of the device. @defaultValue 1 */
  readonly unitId?: number;
  /** Time to wait for an answer, ms. @defaultValue 1000 */
  readonly timeoutMs?: number;
  /** First wait after a failed poll, ms; it doubles with each failure in a row. @defaultValue 1000 */
  readonly backoffMs?: number;
  /** Longest wait between polls of a device that does not answer, ms. @defaultValue 60000 */
  readonly maxBackoffMs?: number;
  readonly now?: () => number;
}

export interface ModbusStats {
  /** Poll cycles that read every block they needed. */
  polls: number;
  /** Read requests sent (one per block). */
  reads: number;
  /** Poll cycles that failed: no answer, refused, or an exception response. */
  failures: number;
  /** Times the device answered again after failing. */
  recoveries: number;
  /** Values the profile could not map (e.g. a number missing from an enum); the field is left out. */
  badValues: number;
  /** The wait before the next poll while the device fails, ms (0 when it answers). */
  backoffMs: number;
  lastError: string | undefined;
}

/**
 * A Modbus device as a sensor source. Every period of the fastest stream it reads the registers of
 * the streams that are due, in as few requests as the profile allows, and emits one record per
 * stream; a fault register is read every time and its changes become fault records (raised,
 * cleared) in the device's own code scheme, which the contract maps. When the device stops
 * answering nothing is emitted: the poll is retried with a backoff that doubles up to
 * `maxBackoffMs`, logged once per kind of failure, and the agent's spool and publisher go on as
 * with any source.
 */
export function createModbusSource(options: ModbusSourceOptions): SensorSource & { stats(): ModbusStats } {
  const { profile } = options;
  const now = options.now ?? Date.now;
  const endpoint = typeof options.endpoint === 'string' ? parseEndpoint(options.endpoint) : options.endpoint;
  const link: ModbusLink = createModbusLink(endpoint, options.unitId ?? 1, options.timeoutMs ?? 1000);
  const wordOrder = profile.profile.wordOrder ?? 'big';
  const periods = new Map(profile.periodsMs);
  const tickMs = () => Math.min(...periods.values());
  const lastSent = new Map<RecordStream, number>();
  const plans = new Map<string, ReadBlock[]>();
  const stats: ModbusStats = { polls: 0, reads: 0, failures: 0, recoveries: 0, badValues: 0, backoffMs: 0, lastError: undefined };
  let activeFault: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let failingSince: number | undefined;

  function dueStreams(t: number): RecordStream[] {
    return [...periods].filter(([s, ms]) => t - (lastSent.get(s) ?? -Infinity) >= ms - tickMs() / 2).map(([s]) => s);
  }

  function planFor(streams: readonly RecordStream[]): ReadBlock[] {
    const key = streams.join(',');
    let plan = plans.get(key);
    if (!plan) {
      const fault = profile.profile.fault;
      const faultPoint = fault ? [{ table: fault.table, address: fault.address, type: 'uint16' as const, width: 1, target: { stream: 'fault' as const, field: 'sourceCode', type: 'integer' as const } }] : [];
      plan = planReads([...profile.points.filter((p) => streams.includes(p.target.stream)), ...faultPoint]);
      plans.set(key, plan);
    }
    return plan;
  }

  /** The fault register's change since the last poll, as fault records in the device's scheme. */
  function faultDrafts(value: number): RecordDraft[] {
    const fault = profile.profile.fault!;
    // A register holds a number; the scheme's own text of it is kept (GB/T 5 is "05").
    const code = value === (fault.none ?? 0) ? undefined : canonicalSourceCode(fault.scheme, String(value));
    if (code === activeFault) return [];
    const drafts: RecordDraft[] = [];
    const base = { sourceScheme: fault.scheme, detector: 'controller' };
    if (activeFault !== undefined) drafts.push({ stream: 'fault', record: { ...base, sourceCode: activeFault, state: 'cleared' } });
    if (code !== undefined) drafts.push({ stream: 'fault', record: { ...base, sourceCode: code, state: 'raised' } });
    activeFault = code;
    return drafts;
  }

  async function poll(sink: SourceSink): Promise<void> {
    const t = now();
    const streams = dueStreams(t);
    const records = new Map<RecordStream, Record<string, unknown>>(streams.map((s) => [s, {}]));
    const drafts: RecordDraft[] = [];
    for (const block of planFor(streams)) {
      const data = await link.read(block.table, block.address, block.length);
      stats.reads++;
      for (const p of block.points) {
        if (p.target.stream === 'fault') {
          drafts.push(...faultDrafts(data[p.address - block.address] as number));
          continue;
        }
        const v = decodePoint(p, data, block, wordOrder);
        if (v.ok) records.get(p.target.stream)![p.target.field] = v.value;
        else if (++stats.badValues <= 20) sink.log(`modbus: ${v.reason}; the field is left out`);
      }
    }
    for (const c of profile.constants) {
      const record = records.get(c.target.stream);
      if (record) record[c.target.field] = c.value;
    }
    for (const [stream, record] of records) {
      drafts.push({ stream, record });
      lastSent.set(stream, t);
    }
    stats.polls++;
    if (drafts.length > 0) sink.emit(drafts);
  }

  function schedule(sink: SourceSink, delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = poll(sink).then(() => {
        if (failingSince !== undefined) {
          stats.recoveries++;
          sink.log(`modbus ${describe()}: the device answers again after ${Math.round((now() - failingSince) / 1000)} s`);
        }
        failingSince = undefined;
        stats.backoffMs = 0;
        stats.lastError = undefined;
        schedule(sink, tickMs());
      }, (err: unknown) => {
        stats.failures++;
        const why = err instanceof Error ? err.message : String(err);
        failingSince ??= now();
        stats.backoffMs = Math.min(options.maxBackoffMs ?? 60_000, stats.backoffMs === 0 ? options.backoffMs ?? 1000 : stats.backoffMs * 2);
        // Once per kind of failure, not once per attempt.
        if (why !== stats.lastError) sink.log(`modbus ${describe()}: LW_ERR_DEVICE_UNAVAILABLE ${why}; nothing is read until it answers, next try in ${stats.backoffMs} ms (doubling up to ${options.maxBackoffMs ?? 60_000} ms)`);
        stats.lastError = why;
        schedule(sink, stats.backoffMs);
      });
    }, delayMs);
  }

  const describe = () => (endpoint.kind === 'rtu' ? `rtu ${endpoint.path}` : `${endpoint.kind}://${endpoint.host}:${endpoint.port}`);

  return {
    kind: 'modbus',
    stats: () => ({ ...stats }),
    start(sink: SourceSink) {
      sink.log(`modbus ${describe()}: polling ${[...periods].map(([s, ms]) => `${s} every ${ms / 1000} s`).join(', ')}${profile.profile.fault ? ', faults every poll' : ''}`);
      schedule(sink, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
      link.close();
    },
    applyConfig(config: ConfigMessage) {
      if (config.envS !== undefined && periods.has('env')) periods.set('env', config.envS * 1000);
    },
    command(cmd: CmdMessage) {
      if (cmd.cmd === 'sendStatus') lastSent.delete('status');
    },
  };
}
