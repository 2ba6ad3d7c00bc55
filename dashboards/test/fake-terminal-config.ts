import { configState, type TerminalCommandView, type TerminalConfigView } from '@liftwatch/contract';
import type { TerminalConfigPort } from '../src/terminal-config-port.js';
import type { FakePorts } from './fake-ports.js';

/**
 * The terminal-config port in memory over fake ports: targets resolve through the fakes' registry
 * and crew assignments; `answer` plays a terminal acknowledging or refusing its desired version.
 */
export function withTerminalConfig(ports: FakePorts, now: () => number = Date.now) {
  const configs = new Map<string, TerminalConfigView>();
  const commands: TerminalCommandView[] = [];
  const port: TerminalConfigPort = {
    async lifts(target) {
      if (target.liftIds) return target.liftIds;
      if (target.areaCode !== undefined) return [...(await ports.deps.lifts.inArea!(target.areaCode))];
      return (await ports.deps.crews.listLifts()).filter((a) => a.maintenanceUnit === target.maintenanceUnit).map((a) => a.liftId);
    },
    async push(liftIds, settings, actor) {
      return liftIds.map((liftId) => {
        const before = configs.get(liftId);
        const desiredVersion = Math.max(before?.desiredVersion ?? 0, before?.ackedVersion ?? 0, before?.rejectedVersion ?? 0) + 1;
        const next = { ackedVersion: null, ackedAt: null, rejectedVersion: null, rejectedReason: null, rejectedAt: null, ...before, liftId, desiredVersion, settings, desiredAt: now(), desiredBy: actor };
        configs.set(liftId, { ...next, state: configState(next) });
        return { liftId, configVersion: desiredVersion };
      });
    },
    async command(liftIds, cmd, actor) {
      return liftIds.map((liftId) => {
        const cmdId = `${cmd}-${commands.length + 1}`;
        commands.unshift({ cmdId, liftId, cmd, sentAt: now(), sentBy: actor, resultAt: null, ok: null, detail: null });
        return { liftId, cmdId };
      });
    },
    list: (liftIds) => [...configs.values()].filter((c) => !liftIds || liftIds.includes(c.liftId)),
    unacknowledged: () => [...configs.values()].filter((c) => c.state !== 'acknowledged').sort((a, b) => a.desiredAt - b.desiredAt),
    commands: ({ liftId, limit }) => commands.filter((c) => liftId === undefined || c.liftId === liftId).slice(0, limit),
    limits: { silentMin: 30, backlogMax: 1000, clockOffsetMaxMs: 2000 },
  };
  Object.assign(ports.deps, { terminalConfig: port });
  return {
    ports,
    /** The terminal of `liftId` acknowledged its desired version, or refused it with `reason`. */
    answer(liftId: string, reason?: string) {
      const c = configs.get(liftId)!;
      const next = reason === undefined ? { ...c, ackedVersion: c.desiredVersion, ackedAt: now() } : { ...c, rejectedVersion: c.desiredVersion, rejectedReason: reason, rejectedAt: now() };
      configs.set(liftId, { ...next, state: configState(next) });
    },
  };
}
