import { createHash, randomBytes } from 'node:crypto';
import { CONTRACT_VERSION, liftTopic, type CmdMessage, type ConfigMessage, type FleetHealthLimits, type TerminalTarget } from '@liftwatch/contract';
import type { TerminalConfigPort } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';

/** Sends one message from the platform to a terminal, QoS 1; `retain`: kept by the broker for a terminal that connects later [MQTT-3.3.1-5]. */
export type DownlinkPublish = (topic: string, payload: string, retain: boolean) => Promise<void>;

/** The fields of a stored device record that answer the platform. */
interface DeviceAnswer { configVersion?: number; configRejectedVersion?: number; configRejectedReason?: string; cmdId?: string; cmdOk?: boolean; cmdDetail?: string }

/**
 * Remote configuration over the state store and the node's broker: a push stores the desired config
 * with its new version and sends it retained on the lift's config topic, so a terminal offline now
 * takes it when it connects; a command is sent once (not retained) and recorded. The terminal's
 * device records carry its answers, which `deviceAnswers` writes back.
 */
export function terminalConfigPort(state: StateStore, publish: DownlinkPublish, limits: FleetHealthLimits, now: () => number = Date.now): TerminalConfigPort {
  async function lifts(target: TerminalTarget): Promise<string[]> {
    if (target.liftIds) return [...target.liftIds];
    if (target.areaCode !== undefined) return state.liftRegistry.inArea(target.areaCode);
    const unit = target.maintenanceUnit;
    return (await state.crew.listLifts()).filter((a) => a.maintenanceUnit === unit).map((a) => a.liftId);
  }

  return {
    lifts,
    async push(liftIds, settings, actor) {
      const at = now();
      const pushed = await state.terminalConfigs.desire(liftIds, settings, actor, at);
      for (const { liftId, configVersion } of pushed) {
        const message: ConfigMessage = { schemaVersion: CONTRACT_VERSION, configVersion, ts: at, ...settings };
        await publish(liftTopic(liftId, 'config'), JSON.stringify(message), true);
      }
      return pushed;
    },
    async command(liftIds, cmd, actor) {
      const at = now();
      const sent = liftIds.map((liftId) => ({ liftId, cmdId: `${cmd}-${at.toString(36)}-${randomBytes(5).toString('hex')}`, cmd }));
      await state.terminalConfigs.commandsSent(sent, actor, at);
      for (const c of sent) {
        const message: CmdMessage = { schemaVersion: CONTRACT_VERSION, cmdId: c.cmdId, ts: at, cmd };
        await publish(liftTopic(c.liftId, 'cmd'), JSON.stringify(message), false);
      }
      return sent.map(({ liftId, cmdId }) => ({ liftId, cmdId }));
    },
    list: (liftIds) => state.terminalConfigs.list(liftIds),
    unacknowledged: () => state.terminalConfigs.unacknowledged(),
    commands: (opts) => state.terminalConfigs.commands(opts),
    limits,
  };

}

/**
 * Takes the answers out of stored device records: the version a terminal applied or refused (with
 * the reason) and a command's result. Every device record repeats the applied version: one already
 * written is not written again.
 */
export function deviceAnswers(state: StateStore, log: (line: string) => void) {
  const acked = new Map<string, number>();
  async function take(liftId: string, rx: number, r: DeviceAnswer): Promise<void> {
    if (r.configVersion !== undefined && acked.get(liftId) !== r.configVersion) {
      await state.terminalConfigs.acknowledge(liftId, r.configVersion, rx);
      acked.set(liftId, r.configVersion);
    }
    if (r.configRejectedVersion !== undefined) await state.terminalConfigs.reject(liftId, r.configRejectedVersion, r.configRejectedReason ?? 'no reason given', rx);
    if (r.cmdId !== undefined) await state.terminalConfigs.commandResult(liftId, r.cmdId, r.cmdOk === true, r.cmdDetail ?? '', rx);
  }
  return (rows: ReadonlyArray<{ liftId: string; stream: string; rx: number; record?: Record<string, unknown> | undefined; body?: string | undefined }>): void => {
    for (const row of rows) {
      if (row.stream !== 'device') continue;
      const record = (row.record ?? JSON.parse(row.body ?? '{}')) as DeviceAnswer;
      if (record.configVersion === undefined && record.configRejectedVersion === undefined && record.cmdId === undefined) continue;
      take(row.liftId, row.rx, record).catch((err: unknown) => log(`liftwatch: answer of terminal ${row.liftId}: ${String(err)}`));
    }
  };
}

/**
 * Sends `selfTest` to every enabled terminal whose last one is older than `periodMs` (EN 81-28 asks
 * for a check of the alarm system at least every 3 days: docs/terminals.md#remote-configuration-and-commands).
 * A lift's command in one period has the same id on every node, so of several nodes one sends it.
 */
export function startSelfTests(opts: {
  state: StateStore; terminals: () => Promise<Array<{ liftId: string | null; role: string; enabled: boolean }>>;
  publish: DownlinkPublish; periodMs: number; log: (line: string) => void; now?: () => number;
}): { stop(): void; round(): Promise<number> } {
  const now = opts.now ?? Date.now;
  async function round(): Promise<number> {
    const at = now();
    const slot = Math.floor(at / opts.periodMs).toString(36);
    const last = await opts.state.terminalConfigs.lastSent('selfTest');
    const lifts = new Set((await opts.terminals()).filter((t) => t.role === 'terminal' && t.enabled && t.liftId !== null).map((t) => t.liftId!));
    let sent = 0;
    for (const liftId of lifts) {
      const previous = last.get(liftId);
      if (previous !== undefined && at - previous < opts.periodMs) continue;
      const cmdId = `selfTest-auto-${slot}-${createHash('sha256').update(liftId).digest('hex').slice(0, 24)}`;
      if (!(await opts.state.terminalConfigs.claimCommand({ cmdId, liftId, cmd: 'selfTest' }, 'platform', at))) continue;
      const message: CmdMessage = { schemaVersion: CONTRACT_VERSION, cmdId, ts: at, cmd: 'selfTest' };
      await opts.publish(liftTopic(liftId, 'cmd'), JSON.stringify(message), false);
      sent++;
    }
    return sent;
  }
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    round().catch((err: unknown) => opts.log(`liftwatch: scheduled self-tests: ${String(err)}`)).finally(() => { running = false; });
  };
  // Checked four times a period (at most hourly), so a lift waits at most a quarter period past its due
  // time; not at start, so that a fleet of nodes starting at once does not test every alarm device at once.
  const timer = setInterval(tick, Math.min(opts.periodMs / 4, 3_600_000));
  timer.unref();
  return { stop: () => clearInterval(timer), round };
}
