import { CONTRACT_VERSION, validateRecord, type CmdMessage, type ConfigMessage, type RecordStream } from '@liftwatch/contract';
import { measureClockOffset, parseNtpServer } from './clock-offset.js';
import { decideConfig, readCommand, type CommandResult, type ConfigRefusal } from './downlink.js';
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
  /** Records not sent because the config turned their stream off. */
  readonly streamsOff: number;
  /** Times the software started again on a `restart` command. */
  readonly restarts: number;
}

const CONFIG_KEY = 'config';
const REFUSED_KEY = 'configRefused';

/**
 * One terminal: a source's records are checked against the contract, numbered and stored in the
 * spool (accept), then the publisher sends them and removes them after PUBACK. The retained
 * `config` is applied without a restart and acknowledged by the next `device` record, sent at once;
 * one the terminal cannot follow is refused with the reason in that record instead. A command's
 * result goes in the device record sent after it.
 */
export function createEdgeAgent(config: EdgeAgentConfig, deps: EdgeAgentDeps) {
  const { liftId } = config;
  const log = deps.log ?? (() => {});
  const now = deps.now ?? Date.now;
  const ownSpool = deps.spool === undefined;
  const spool = deps.spool ?? openSqliteSpool({ path: config.spoolPath ?? `./spool/${liftId}.db` });
  let startedAt = now();
  let invalid = 0;
  let notAccepted = 0;
  let deviceTimer: NodeJS.Timeout | undefined;
  const ntp = config.ntpServer === undefined ? undefined : parseNtpServer(config.ntpServer);
  let clockOffsetMs: number | undefined;
  let clockError = '';
  let dropsReported = 0;
  let closing = false;
  let applied = loadMeta<ConfigMessage>(CONFIG_KEY);
  let refused = loadMeta<ConfigRefusal>(REFUSED_KEY);
  let streamsOff = 0;
  let restarts = 0;
  let publisher: ReturnType<typeof createPublisher> | undefined;
  const throttle = createStatusThrottle();
  const edge = createEdgeProcessor((drafts) => accept(drafts), config.waveThresholds ?? DEFAULT_WAVE_THRESHOLDS);

  function loadMeta<T>(key: string): T | undefined {
    const text = spool.getMeta(liftId, key);
    return text === undefined || text === '' ? undefined : JSON.parse(text) as T;
  }

  /** False for a record of a stream the config turned off; `device` always goes. */
  function enabled(stream: RecordStream): boolean {
    const on = applied?.enabledStreams;
    if (on === undefined || stream === 'device' || (on as readonly string[]).includes(stream)) return true;
    streamsOff++;
    return false;
  }

  /** The named steps a draft goes through: envelope, contract check, spool, send. */
  function accept(drafts: readonly RecordDraft[]): void {
    const ts = now();
    const ok: RecordDraft[] = [];
    for (const d of drafts) {
      if (!enabled(d.stream) || !throttle.pass(d)) continue;
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

  /** The terminal's health: firmware, spool depth, link quality since the last record, clock offset; a refused config; a command's result. */
  function deviceRecord(result?: CommandResult): RecordDraft {
    const record: Record<string, unknown> = {
      fwVersion: config.fwVersion ?? 'liftwatch-edge-0.1.0',
      bufferBacklog: spool.stats(liftId).backlog,
      uptimeS: Math.round((now() - startedAt) / 1000),
    };
    if (applied) record['configVersion'] = applied.configVersion;
    if (refused) Object.assign(record, { configRejectedVersion: refused.configVersion, configRejectedReason: refused.reason.slice(0, 500) });
    if (result) Object.assign(record, { cmdId: result.cmdId, cmdOk: result.ok, cmdDetail: result.detail.slice(0, 500) });
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
  function sendDevice(result?: CommandResult): void {
    if (!ntp) return accept([deviceRecord(result)]);
    measureClockOffset(ntp, 2_000, now).then((sample) => {
      clockOffsetMs = sample.offsetMs;
      clockError = '';
    }, (err: unknown) => {
      clockOffsetMs = undefined; // an old offset is not reported as current
      const why = err instanceof Error ? err.message : String(err);
      if (why !== clockError) log(`agent ${liftId}: no clock offset: ${why}`);
      clockError = why;
    }).finally(() => {
      if (!closing) accept([deviceRecord(result)]);
    });
  }

  function scheduleDevice(): void {
    if (deviceTimer) clearInterval(deviceTimer);
    deviceTimer = setInterval(sendDevice, (applied?.deviceS ?? config.deviceS ?? 600) * 1000);
    deviceTimer.unref();
  }

  /** Remote config: applied if newer and possible, kept in the spool across restarts, acknowledged; or refused with the reason. */
  function onConfig(payload: Buffer): void {
    const d = decideConfig(payload, { applied: applied?.configVersion, refused: refused?.configVersion }, deps.source);
    if (d.kind === 'ignore') {
      if (!d.reason.includes('seen before')) log(`agent ${liftId}: config ignored: ${d.reason}`);
      return;
    }
    if (d.kind === 'reject') {
      refused = { configVersion: d.configVersion, reason: d.reason };
      spool.setMeta(liftId, REFUSED_KEY, JSON.stringify(refused));
      log(`agent ${liftId}: config ${d.configVersion} refused: ${d.reason}`);
      return sendDevice();
    }
    applied = d.config;
    refused = undefined;
    spool.setMeta(liftId, CONFIG_KEY, JSON.stringify(applied));
    spool.setMeta(liftId, REFUSED_KEY, '');
    applyLocally(applied);
    scheduleDevice();
    log(`agent ${liftId}: config ${applied.configVersion} applied`);
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

  /** A command from the platform: carried out, then its result goes in a device record. */
  function onCmd(payload: Buffer): void {
    const read = readCommand(payload);
    if (!read.ok) return log(`agent ${liftId}: cmd ignored: ${read.reason}`);
    const { cmd } = read;
    void runCommand(cmd).then((r) => ({ cmdId: cmd.cmdId, ...r }), (err: unknown) => ({ cmdId: cmd.cmdId, ok: false, detail: String(err) }))
      .then((result) => { if (!closing) sendDevice(result); });
  }

  async function runCommand(cmd: CmdMessage): Promise<{ ok: boolean; detail: string }> {
    deps.source.command?.(cmd);
    switch (cmd.cmd) {
      case 'selfTest':
        return deps.source.selfTest ? deps.source.selfTest() : { ok: false, detail: `the ${deps.source.kind} source reads no alarm device: nothing to test` };
      case 'sendWave':
        return edge.sendWave() > 0 ? { ok: true, detail: 'raw windows of the last trip sent' } : { ok: false, detail: 'no trip with raw signals yet' };
      case 'sendStatus':
        return { ok: true, detail: `asked the ${deps.source.kind} source for a status` };
      case 'restart':
        await restart();
        return { ok: true, detail: `software started again at ${new Date(now()).toISOString()}` };
    }
  }

  /** Connects and reads the lift from the start again: what waits in the spool stays there and is sent. */
  function begin(): void {
    publisher = createPublisher({ ...config }, {
      spool, log,
      onDownlink: (stream, payload) => (stream === 'config' ? onConfig(payload) : onCmd(payload)),
    });
    if (applied) applyLocally(applied);
    deps.source.start({ emit: accept, trip: (raw) => edge.trip(raw), door: (raw) => edge.door(raw), log });
    scheduleDevice();
  }

  async function restart(): Promise<void> {
    log(`agent ${liftId}: restarting on the platform's command`);
    await deps.source.stop();
    if (deviceTimer) clearInterval(deviceTimer);
    await publisher?.close();
    restarts++;
    startedAt = now();
    dropsReported = 0;
    if (!closing) begin();
  }

  return {
    liftId,
    start(): void {
      if (config.firstSeq !== undefined) spool.seedSeq(liftId, config.firstSeq);
      begin();
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
      streamsOff,
      restarts,
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
