import type { Alerting } from '@liftwatch/alerting';
import { P1_ENTRAPMENT } from '@liftwatch/alerting';
import type { RotaShift } from '@liftwatch/contract';

/**
 * The crews of the simulated fleet (`npm start -- --simulate N`): two maintenance units in one
 * district, with people on a 24/7 rota of 12-hour shifts, a supervisor, a manager and a duty
 * contact each, all notified in the console (a log line, and the inbox beside the alert). The
 * simulated lifts are shared between the units, so a simulated entrapment reaches its on-call crew
 * at once and escalates after a minute, as a real one would. Made once: what a user changes stays.
 */
const DISTRICT = 'sim-district';
const UNITS = [
  { id: 'sim-unit-east', name: 'East Lift Service (simulated)', day: [['sim-east-1', '王伟 Wang Wei'], ['sim-east-2', '李娜 Li Na']], night: [['sim-east-3', '张敏 Zhang Min'], ['sim-east-4', '刘洋 Liu Yang']], sup: ['sim-east-sup', '陈杰 Chen Jie'], mgr: ['sim-east-mgr', '杨帆 Yang Fan'] },
  { id: 'sim-unit-west', name: 'West Lift Service (simulated)', day: [['sim-west-1', '赵磊 Zhao Lei'], ['sim-west-2', '黄敏 Huang Min']], night: [['sim-west-3', '周杰 Zhou Jie'], ['sim-west-4', '吴静 Wu Jing']], sup: ['sim-west-sup', '徐强 Xu Qiang'], mgr: ['sim-west-mgr', '孙丽 Sun Li'] },
] as const;
/** Shifts of 12 hours from 08:00 and 20:00 China Standard Time (UTC+8), that is 00:00 and 12:00 UTC. */
const SHIFT_MS = 12 * 3_600_000;
/** The rota is kept this far ahead. */
const AHEAD_MS = 7 * 86_400_000;

type Crew = Alerting['crew'];
const consolePerson = (id: string, name: string, orgId: string) => ({ id, name, orgId, channels: [{ kind: 'console' as const, to: id }] });

/** The district, units and people, once (a unit that exists is left as it is). Returns whether it made them. */
async function makeCrews(alerting: Pick<Alerting, 'crew' | 'policies'>): Promise<boolean> {
  const crew = alerting.crew;
  if (await crew.getOrg(UNITS[0].id)) return false;
  await crew.upsertOrg({ id: DISTRICT, kind: 'district', name: 'Simulated district', roles: { regulator: ['sim-regulator'], duty: ['sim-district-duty'] } });
  await crew.upsertPerson(consolePerson('sim-regulator', '区监管 District regulator', DISTRICT));
  await crew.upsertPerson(consolePerson('sim-district-duty', '区值班 District duty phone', DISTRICT));
  for (const u of UNITS) {
    await crew.upsertOrg({ id: u.id, kind: 'maintenanceUnit', name: u.name, roles: { supervisor: [u.sup[0]], manager: [u.mgr[0]], duty: [u.sup[0]] } });
    for (const [id, name] of [...u.day, ...u.night, u.sup, u.mgr]) await crew.upsertPerson(consolePerson(id, name, u.id));
    // The built-in P1 policy with 2 reminders instead of 60, so that a demo's log is not all reminders.
    await alerting.policies.set(u.id, 'P1', { ...P1_ENTRAPMENT, name: 'p1-entrapment (simulated crews: 2 reminders)', reminder: { ...P1_ENTRAPMENT.reminder!, maxCount: 2 } });
  }
  return true;
}

/** Adds 12-hour shifts until each unit's rota covers `now` to `now` + 7 days. Returns how many it added. */
export async function extendSimulatedRota(crew: Crew, now: number): Promise<number> {
  let added = 0;
  for (const u of UNITS) {
    if (!(await crew.getOrg(u.id))) continue;
    const covered = Math.max(0, ...(await crew.shifts(u.id, now)).map((s) => s.endsAt));
    let start = Math.max(covered, Math.floor(now / SHIFT_MS) * SHIFT_MS);
    while (start < now + AHEAD_MS) {
      const night = Math.round(start / SHIFT_MS) % 2 === 1;
      const [primary, backup] = night ? u.night : u.day;
      const shift: RotaShift = { unitId: u.id, startsAt: start, endsAt: start + SHIFT_MS, primary: primary[0], backup: backup[0] };
      await crew.addShift(shift);
      added++;
      start += SHIFT_MS;
    }
  }
  return added;
}

/**
 * Crews for the simulated lifts: made at first start, the rota kept 7 days ahead (now and every
 * 6 hours), each simulated lift without a unit given one. Returns the function that stops the upkeep.
 */
export async function provisionSimulatedCrew(alerting: Pick<Alerting, 'crew' | 'policies'>, liftIds: readonly string[], log: (line: string) => void, now = Date.now): Promise<() => void> {
  const made = await makeCrews(alerting);
  await extendSimulatedRota(alerting.crew, now());
  const assigned = new Set((await alerting.crew.listLifts()).map((a) => a.liftId));
  const fresh = liftIds.filter((id) => !assigned.has(id));
  for (const [i, liftId] of fresh.entries()) await alerting.crew.assignLift({ liftId, maintenanceUnit: UNITS[i % UNITS.length]!.id, district: DISTRICT });
  if (made || fresh.length > 0) {
    log(`liftwatch: simulated crews: ${UNITS.map((u) => u.id).join(' and ')} in ${DISTRICT}, on call around the clock (12-hour shifts), notified in the console (log lines "notification for …" and the inbox); ${fresh.length} simulated lift(s) assigned`);
  }
  const timer = setInterval(() => {
    extendSimulatedRota(alerting.crew, now()).catch((err: unknown) => log(`liftwatch: simulated rota not extended: ${String(err)}`));
  }, 6 * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
