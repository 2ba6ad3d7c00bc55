import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateFleet, type FleetLift } from '@liftwatch/simulator';

/**
 * A slice of simulated fleets: these mixes × seeds, `lifts` lifts each (from `firstLift`), `days`
 * days per lift. Training, validation and evaluation each take their own slice, and keep them
 * disjoint by seed and mix (or by lift, or by time, when a split says so).
 */
export interface FleetSlice {
  /** Shipped mix names or paths to mix JSON files. */
  readonly mixes: readonly string[];
  readonly seeds: readonly number[];
  readonly lifts: number;
  readonly days: number;
  /** @defaultValue 0 */
  readonly firstLift?: number;
}

/** The lifts of a slice, one after another, generated lazily in summary mode. */
export function* sliceLifts(s: FleetSlice): Generator<FleetLift> {
  for (const mix of s.mixes) for (const seed of s.seeds) yield* simulateFleet({ mix, seed, lifts: s.lifts, days: s.days, fidelity: 'summary', firstLift: s.firstLift ?? 0 });
}

export const liftYearsOf = (s: FleetSlice): number => (s.mixes.length * s.seeds.length * s.lifts * s.days) / 365;

/** Seeds of a slice written compactly, e.g. "1-20, 31". */
export function seedsText(seeds: readonly number[]): string {
  const out: string[] = [];
  const s = [...seeds].sort((a, b) => a - b);
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * The generator's version: the simulator package's version and a digest of its source and shipped
 * mixes, so a manifest says exactly which generator made its data.
 */
export function generatorVersion(): string {
  const root = dirname(dirname(fileURLToPath(import.meta.resolve('@liftwatch/simulator'))));
  const h = createHash('sha256');
  for (const dir of ['src', 'mixes']) {
    for (const f of readdirSync(join(root, dir), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()) h.update(f).update(readFileSync(join(root, dir, f)));
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return `@liftwatch/simulator ${pkg.version}+${h.digest('hex').slice(0, 12)}`;
}
