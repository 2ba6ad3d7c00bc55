import {
  CONTRACT_VERSION, parseJson, validateMessage, validateRecord,
  type CmdMessage, type ConfigMessage, type RecordStream,
} from '@liftwatch/contract';
import { measureClockOffset, parseNtpServer } from './clock-offset.js';
import { createEdgeProcessor, DEFAULT_WAVE_THRESHOLDS, type WaveThresholds } from './edge/edge-processor.js';
import { createPublisher, type PublisherOptions, type PublisherStats } from './publisher.js';
import { createStatusThrottle } from './status-throttle.js';
import type { SensorSource } from './sources/source.js';
import { openSqliteSpool } from './spool/sqlite-spool.js';
import type { RecordDraft, Spool, SpoolStats } from './spool/spool.js';

export interface EdgeAgentConfig extends Omit<PublisherOptions, 'liftId' | 'brokerUrl'> {
  readonly brokerUrl: string;
  readonly liftId: string;
  /** Spool file, used when no spool is given in deps. @defaultValue `./spool/${liftId}.db` */
  readonly spoolPath?: string;
  /** First seq of a terminal whose spool is new. @defaultValue ms since the epoch × 1000 */
  readonly firstSeq?: number;
  /** Period of the terminal's own `device` record, s; the remote config may change it. @defaultValue 600 */
  readonly deviceS?: number;
  /** Reported in the device record. @defaultValue 'liftwatch-edge-0.1.0' */
  readonly fwVersion?: string;
  /** When a trip's raw windows are sent unasked; the remote config may change them. @defaultValue DEFAULT_WAVE_THRESHOLDS */
  readonly waveThresholds?: WaveThresholds;
  /** NTP server (host or host:port) asked before each device record for the clock offset. @defaultValue none: no clockOffsetMs */
  readonly ntpServer?: string;
}

export interface EdgeAgentDeps {
  readonly source: SensorSource;
  /** A spool shared by several terminals (the simulated fleet); otherwise the agent opens its own. */
  readonly spool?: Spool;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

export interface EdgeAgentStats {
  readonly liftId: string;
  readonly publisher: PublisherStats;
  readonly spool: SpoolStats;
  /** Records a source produced that do not match the contract: logged, counted, not sent. */
  readonly invalid: number;
  /** Records the spool could not store (disk full or failing): logged and counted. */
  readonly notAccepted: number;
  /** Status records held back by the configured status periods. */
  readonly statusThrottled: number;
  /** Trips and door cycles summarised from raw signals, and raw windows sent. */
  readonly edge: { trips: number; doors: number; waveWindows: number };
  readonly configVersion: number | undefined;
}

const CONFIG_KEY = 'config';

/**
 * One terminal: a source's records are checked against the contract, numbered and stored in the
 * spool (accept), then the publisher sends them and removes them after PUBACK. The retained
 * `config` is applied without a restart and acknowledged by the next `device` record, sent at once.
 */
export function createEdgeAgent(config: EdgeAgentConfig, deps: EdgeAgentDeps) {
  const { liftId } = config;
  const log = deps.log ?? (() => {});
  const now = deps.now ?? Date.now;
  const ownSpool = deps.spool === undefined;
  const spool = deps.spool ?? openSqliteSpool({ path: config.spoolPath ?? `./spool/${liftId}.db` });
  const startedAt = now();
  let invalid = 0;
  let notAccepted = 0;
  let deviceTimer: NodeJS.Timeout | undefined;
  const ntp = config.ntpServer === undefined ? undefined : parseNtpServer(config.ntpServer);
  let clockOffsetMs: number | undefined;
  let clockError = '';
  let dropsReported = 0;
  let closing = false;
  let applied: ConfigMessage | undefined = loadConfig();
  let publisher: ReturnType<typeof createPublisher> | undefined;
  const throttle = createStatusThrottle();
  const edge = createEdgeProcessor((drafts) => accept(drafts), config.waveThresholds ?? DEFAULT_WAVE_THRESHOLDS);

  function loadConfig(): ConfigMessage | undefined {
    const text = spool.getMeta(liftId, CONFIG_KEY);
    return text === undefined ? undefined : JSON.parse(text) as ConfigMessage;
  }

  /** The named steps a draft goes through: envelope, contract check, spool, send. */
  function accept(drafts: readonly RecordDraft[]): void {
    const ts = now();
    const ok: RecordDraft[] = [];
    for (const d of drafts) {
      if (!throttle.pass(d)) continue;
      const record = { schemaVersion: CONTRACT_VERSION, liftId, ts, ...d.record, seq: 0 };
      const valid = validateRecord(d.stream, liftId, record);
      if (!valid.ok) {
        invalid++;
        if (invalid <= 20) log(`agent ${liftId}: not sent, ${valid.reason}`);
        continue;
      }
      // The record as validated: a fault sent in another code scheme has its liftwatch code filled in.
      const { seq: _seq, ...rest } = valid.record.record as Record<string, unknown>;
      ok.push({ stream: d.stream, record: rest });
    }
    try {
      spool.accept(liftId, ok);
    } catch (err) {
      // Not accepted, so not promised: counted and logged with its reason (LW_ERR_SPOOL says what to do).
      notAccepted += ok.length;
      log(`agent ${liftId}: ${ok.length} record(s) not accepted: ${String(err)}`);
      return;
    }
    publisher?.kick();
  }

  /** The terminal's health: firmware, spool depth, link quality since the last record, clock offset. */
  function deviceRecord(): RecordDraft {
    const record: Record<string, unknown> = {
      fwVersion: config.fwVersion ?? 'liftwatch-edge-0.1.0',
      bufferBacklog: spool.stats(liftId).backlog,
      uptimeS: Math.round((now() - startedAt) / 1000),
    };
    if (applied) record['configVersion'] = applied.configVersion;
    const rtt = publisher?.linkSample();
    if (rtt !== undefined) record['linkRttMs'] = rtt;
    // Every connection after the first means one was lost.
    const drops = Math.max(0, (publisher?.stats().connects ?? 0) - 1);
    if (publisher) record['linkDrops'] = drops - dropsReported;
    dropsReported = drops;
    if (clockOffsetMs !== undefined) record['clockOffsetMs'] = clockOffsetMs;
    return { stream: 'device' satisfies RecordStream, record };
  }

  /** Asks the NTP server for the clock offset (when one is set), then sends the device record. */
  function sendDevice(): void {
    if (!ntp) return accept([deviceRecord()]);
    measureClockOffset(ntp, 2_000, now).then((sample) => {
      clockOffsetMs = sample.offsetMs;
      clockError = '';
    }, (err: unknown) => {
      clockOffsetMs = undefined; // an old offset is not reported as current
      const why = err instanceof Error ? err.message : String(err);
      if (why !== clockError) log(`agent ${liftId}: no clock offset: ${why}`);
      clockError = why;
    }).finally(() => {
      if (!closing) accept([deviceRecord()]);
    });
  }

  function scheduleDevice(): void {
    if (deviceTimer) clearInterval(deviceTimer);
    deviceTimer = setInterval(sendDevice, (applied?.deviceS ?? config.deviceS ?? 600) * 1000);
    deviceTimer.unref();
  }

  /** Remote config: validated, applied if newer, kept in the spool across restarts, acknowledged. */
  function onConfig(payload: Buffer): void {
    const json = parseJson(payload);
    const valid = json.ok ? validateMessage('config', json.value) : json;
    if (!json.ok || !valid.ok) {
      log(`agent ${liftId}: config ignored: ${valid.ok ? '' : valid.reason}`);
      return;
    }
    const next = json.value as ConfigMessage;
    if (applied && next.configVersion <= applied.configVersion) return; // retained copy seen again
    applied = next;
    spool.setMeta(liftId, CONFIG_KEY, JSON.stringify(next));
    applyLocally(next);
    scheduleDevice();
    log(`agent ${liftId}: config ${next.configVersion} applied`);
    sendDevice();
  }

  /** The settings the agent itself follows; the source gets the rest. */
  function applyLocally(c: ConfigMessage): void {
    throttle.configure(c);
    edge.setThresholds({
      ...(c.waveVibA95ZMps2 === undefined ? {} : { vibA95ZMps2: c.waveVibA95ZMps2 }),
      ...(c.waveVibA95XYMps2 === undefined ? {} : { vibA95XYMps2: c.waveVibA95XYMps2 }),
    });
    deps.source.applyConfig?.(c);
  }

  function onCmd(payload: Buffer): void {
    const json = parseJson(payload);
    const valid = json.ok ? validateMessage('cmd', json.value) : json;
    if (!json.ok || !valid.ok) {
      log(`agent ${liftId}: cmd ignored: ${valid.ok ? '' : valid.reason}`);
      return;
    }
    const cmd = json.value as CmdMessage;
    if (cmd.cmd === 'selfTest') sendDevice();
    if (cmd.cmd === 'sendWave' && edge.sendWave() === 0) log(`agent ${liftId}: cmd ${cmd.cmdId} sendWave: no trip with raw signals yet`);
    deps.source.command?.(cmd);
  }

  return {
    liftId,
    start(): void {
      if (config.firstSeq !== undefined) spool.seedSeq(liftId, config.firstSeq);
      publisher = createPublisher({ ...config }, {
        spool, log,
        onDownlink: (stream, payload) => (stream === 'config' ? onConfig(payload) : onCmd(payload)),
      });
      if (applied) applyLocally(applied);
      deps.source.start({ emit: accept, trip: (raw) => edge.trip(raw), door: (raw) => edge.door(raw), log });
      scheduleDevice();
      sendDevice();
    },
    /** Records to send and what happened so far. */
    stats: (): EdgeAgentStats => ({
      liftId,
      publisher: publisher?.stats() ?? { connected: false, sent: 0, messages: 0, inflightMessages: 0, connects: 0, reconnectTries: 0 },
      spool: spool.stats(liftId),
      invalid,
      notAccepted,
      statusThrottled: throttle.skipped(),
      edge: edge.stats(),
      configVersion: applied?.configVersion,
    }),
    appliedConfig: (): ConfigMessage | undefined => applied,
    /**
     * Stops the source, then waits up to `drainMs` for the spool to empty, then disconnects
     * cleanly. What is left stays in the spool and is sent after the next start.
     */
    async close(drainMs = 5_000): Promise<void> {
      closing = true;
      await deps.source.stop();
      if (deviceTimer) clearInterval(deviceTimer);
      const deadline = now() + drainMs;
      while (publisher?.connected() && spool.stats(liftId).backlog > 0 && now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await publisher?.close();
      if (ownSpool) spool.close();
    },
  };
}

export type EdgeAgent = ReturnType<typeof createEdgeAgent>;
