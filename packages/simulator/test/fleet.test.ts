import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawLift, loadMix, mixNames, parseMix, simulateFleet, simulateLift, type FleetEvent } from '../src/index.js';

const collect = (events: Iterable<FleetEvent>) => [...events];

describe('scenario mixes: named sets of per-lift random draws', () => {
  it('ships the four mixes, each valid', () => {
    expect(mixNames()).toEqual(expect.arrayContaining(['city-mixed', 'old-stock', 'busy-offices', 'residential-quiet']));
    for (const name of mixNames()) expect(loadMix(name).name).toBe(name);
  });

  it('onsets, laws and rates differ across lifts and seeds; the same (mix, seed, lift) is the same lift', () => {
    const mix = loadMix('city-mixed');
    const draws = (seed: number) => Array.from({ length: 30 }, (_, i) => drawLift(mix, seed, i, 365).truth);
    const a = draws(1);
    const onsets = a.flatMap((d) => d.faults.map((f) => f.onsetDay));
    expect(onsets.length).toBeGreaterThan(30);
    expect(new Set(onsets).size).toBe(onsets.length); // no two faults start on the same day
    expect(new Set(a.flatMap((d) => d.faults.map((f) => f.law.type))).size).toBeGreaterThan(1);
    expect(new Set(a.map((d) => d.tripsPerDay)).size).toBeGreaterThan(25);
    expect(new Set(a.map((d) => d.unitQuality)).size).toBeGreaterThan(3);
    const b = draws(2);
    for (let i = 0; i < 30; i++) expect(JSON.stringify(b[i])).not.toBe(JSON.stringify(a[i]));
    expect(JSON.stringify(draws(1))).toBe(JSON.stringify(a));
  });

  it('a lift is the same in any slice of the fleet, and its events are deterministic', () => {
    const whole = [...simulateFleet({ mix: 'residential-quiet', seed: 3, lifts: 3, days: 2 })];
    const slice = [...simulateFleet({ mix: 'residential-quiet', seed: 3, lifts: 1, days: 2, firstLift: 2 })];
    expect(slice[0]!.liftId).toBe(whole[2]!.liftId);
    expect(JSON.stringify(collect(slice[0]!.events()))).toBe(JSON.stringify(collect(whole[2]!.events())));
  });

  it('interleaves the ground truth with the records in time order, the draw first', () => {
    const lift = simulateLift(loadMix('old-stock'), 4, 0, 3);
    const events = collect(lift.events());
    expect(events[0]).toMatchObject({ stream: 'truth', record: { type: 'draw', liftId: lift.liftId, draw: lift.draw } });
    let lastRecordTs = 0;
    for (const e of events) {
      if (e.stream === 'truth') expect(e.record.ts).toBeGreaterThanOrEqual(lastRecordTs);
      else lastRecordTs = e.record.ts;
    }
    expect(events.filter((e) => e.stream === 'trip').length).toBeGreaterThan(100);
    expect(JSON.stringify([...lift.hours()].flat())).toBe(JSON.stringify(events)); // the same events, an hour at a time
  });

  it('a bad mix or fleet option is refused with the field and what to do', () => {
    const good = loadMix('city-mixed');
    expect(() => parseMix(JSON.stringify({ ...good, floors: { min: 30, max: 6 } }), 'm.json')).toThrow(/m\.json: \/floors has min 30 above max 6; swap them/);
    expect(() => parseMix(JSON.stringify({ ...good, families: { doors: good.families['door-system'] } }), 'm.json')).toThrow(/LW_ERR_SCENARIO_INVALID|m\.json: \/families/);
    expect(() => loadMix('nope')).toThrow(/No scenario mix named "nope"; known: busy-offices, city-mixed/);
    expect(() => [...simulateFleet({ mix: 'city-mixed', seed: 1, lifts: 0, days: 1 })]).toThrow(/lifts 0 must be a whole number/);
    const dir = mkdtempSync(join(tmpdir(), 'lw-mix-'));
    try {
      const file = join(dir, 'my-mix.json');
      writeFileSync(file, JSON.stringify({ ...good, name: 'my-mix' }));
      expect(loadMix(file).name).toBe('my-mix');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
