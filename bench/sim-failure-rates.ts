// Functional failures per lift-year, per fault family and scenario mix, as the simulator writes them
// to the ground truth (with a 95 % interval, Poisson), and the share of failures per family. What
// docs/failure-modes.md states as the rates the mixes are set to. Bounded: fixed counts.
//
//   npx tsx bench/sim-failure-rates.ts [--lifts 50] [--days 365] [--seed 1] [--mixes city-mixed,old-stock,busy-offices,residential-quiet]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FAMILY_IDS, mixNames, simulateFleet, type FamilyId } from '@liftwatch/simulator';
import { resultRow, type ResultRow } from './figures.js';

const { values } = parseArgs({ options: { lifts: { type: 'string', default: '50' }, days: { type: 'string', default: '365' }, seed: { type: 'string', default: '1' }, mixes: { type: 'string' } } });
const LIFTS = Number(values.lifts);
const DAYS = Number(values.days);
const SEED = Number(values.seed);
const mixes = values.mixes ? values.mixes.split(',') : mixNames();

/** 95 % interval of a Poisson count (Wilson–Hilferty approximation of the exact chi-square limits). */
function poissonInterval(n: number): [number, number] {
  const z = 1.959964;
  const lower = n === 0 ? 0 : n * (1 - 1 / (9 * n) - z / (3 * Math.sqrt(n))) ** 3;
  const m = n + 1;
  const upper = m * (1 - 1 / (9 * m) + z / (3 * Math.sqrt(m))) ** 3;
  return [lower, upper];
}

const command = `npx tsx bench/sim-failure-rates.ts --lifts ${LIFTS} --days ${DAYS} --seed ${SEED}${values.mixes ? ` --mixes ${values.mixes}` : ''}`;
const run = { command, date: new Date().toISOString() };
/** Functional failures per lift-year of one mix and family ('all': every family); the rates have no target (docs/failure-modes.md), so no reference. */
const rate = (mix: string, family: string, perLiftYear: number, extra: Record<string, unknown>) =>
  resultRow(`${mix}: ${family === 'all' ? 'all families' : family}, functional failures per lift-year`, 'failures/lift-year', perLiftYear, null, run, { mix, family, ...extra });
const rows: ResultRow[] = [];
for (const mix of mixes) {
  const failures = Object.fromEntries(FAMILY_IDS.map((f) => [f, 0])) as Record<FamilyId, number>;
  const modes = new Map<string, number>();
  let outOfServiceH = 0;
  for (const lift of simulateFleet({ mix, seed: SEED, lifts: LIFTS, days: DAYS })) {
    let failedAt: number | undefined;
    for (const e of lift.events()) {
      if (e.stream !== 'truth') continue;
      const t = e.record;
      if (t.type === 'functionalFailure') { failures[t.family]++; modes.set(`${t.family}/${t.mode}`, (modes.get(`${t.family}/${t.mode}`) ?? 0) + 1); failedAt = t.ts; }
      if (t.type === 'maintenance' && t.visit === 'corrective' && failedAt !== undefined) { outOfServiceH += (t.ts - failedAt) / 3_600_000; failedAt = undefined; }
    }
  }
  const liftYears = LIFTS * DAYS / 365;
  const total = FAMILY_IDS.reduce((s, f) => s + failures[f], 0);
  for (const f of FAMILY_IDS) {
    const [lo, hi] = poissonInterval(failures[f]);
    rows.push(rate(mix, f, +(failures[f] / liftYears).toFixed(3), { failures: failures[f], liftYears: +liftYears.toFixed(1), ci95: [+(lo / liftYears).toFixed(3), +(hi / liftYears).toFixed(3)], share: +(failures[f] / Math.max(1, total)).toFixed(3) }));
  }
  rows.push(rate(mix, 'all', +(total / liftYears).toFixed(3), { failures: total, liftYears: +liftYears.toFixed(1), outOfServiceHoursPerFailure: +(outOfServiceH / Math.max(1, total)).toFixed(1), modes: Object.fromEntries([...modes].sort()) }));
  console.log(`${mix}: ${total} failures in ${liftYears.toFixed(0)} lift-years = ${(total / liftYears).toFixed(2)} per lift-year; ` + FAMILY_IDS.map((f) => `${f} ${(failures[f] / liftYears).toFixed(3)}`).join(', '));
}
const root = new URL('../', import.meta.url).pathname;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/sim-failure-rates.json'), `${JSON.stringify(rows, null, 1)}\n`);
