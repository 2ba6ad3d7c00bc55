import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiftFeatureState } from '../src/features/lift-state.js';
import { saveState, type SavedFeatureState } from '../src/features/state-codec.js';
import { createFeatureStates, sqliteFeatureStates, type FeatureStatePort, type LoadedCheckpoint } from '../src/serving/feature-states.js';
import type { RecordReader } from '../src/health/recompute.js';
import { createSqliteTelemetry } from '@liftwatch/ingest';

/** A checkpoint store in memory that counts its writes, and can be made to fail like a busy database. */
function memoryPort() {
  const saved = new Map<string, SavedFeatureState>();
  let failing = false;
  const writes: number[] = [];
  const port: FeatureStatePort = {
    load: (liftId) => saved.get(liftId),
    save: (entries) => {
      if (failing) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      writes.push(entries.length);
      for (const [liftId, json] of entries) saved.set(liftId, json);
    },
  };
  return { port, saved, writes, fail: (f: boolean) => { failing = f; } };
}

const door = (liftId: string, seq: number, ts: number) => ({ liftId, seq, ts, closeS: 3, openS: 2.5, reopens: 0, motorIAvgA: 1.2, lockMadeMs: 40 });

describe('feature states of the lifts a process serves', () => {
  it('evicts the least recently used state without writing on the record path; the next checkpoint saves it, and the lift comes back with it', async () => {
    const m = memoryPort();
    const states = createFeatureStates({ port: m.port, maxResident: 2 });
    states.add('A', 'door', door('A', 1, 1_000));
    states.add('B', 'door', door('B', 1, 1_000));
    states.add('C', 'door', door('C', 1, 1_000)); // A is evicted
    states.add('D', 'door', door('D', 1, 1_000)); // B is evicted
    expect(m.writes).toEqual([]); // nothing written while records come
    expect(states.stats()).toMatchObject({ evicted: 2, resident: 2 });
    // A comes back before any checkpoint: it goes on from its state in memory, not from nothing
    states.add('A', 'door', door('A', 2, 2_000));
    expect((await states.state('A')).newest('door')).toEqual([2_000, 2]);
    states.add('A', 'door', door('A', 1, 1_000)); // the same record again: skipped, it was counted
    expect((await states.state('A')).skipped).toBe(1);
    m.fail(true);
    expect(() => states.checkpoint()).toThrow(/locked/);
    m.fail(false);
    expect(states.checkpoint()).toBeGreaterThanOrEqual(3); // B (evicted), and the resident changed ones
    expect([...m.saved.keys()].sort()).toEqual(expect.arrayContaining(['A', 'B']));
  });

  it('catches up from stored records only the lifts stored before this process started', async () => {
    const asked: string[] = [];
    const reader: RecordReader = { recent: async (liftId, q) => { asked.push(`${liftId}:${q.stream}`); return q.stream === 'door' ? [{ record: door(liftId, 7, 500) }] as never : []; } };
    const states = createFeatureStates({ reader, storedBefore: (liftId) => liftId === 'OLD' });
    states.add('NEW', 'door', door('NEW', 1, 1_000));
    states.add('OLD', 'door', door('OLD', 8, 1_000));
    expect((await states.state('NEW')).newest('door')).toEqual([1_000, 1]);
    expect((await states.state('OLD')).newest('door')).toEqual([1_000, 8]); // the stored record, then the queued one
    expect(asked.every((a) => a.startsWith('OLD:'))).toBe(true);
    expect(asked.length).toBeGreaterThan(0);
  });

  it('a lift with a checkpoint catches up from the stored records of its newest time on, not from all of them', async () => {
    const store = createSqliteTelemetry(new Database(':memory:'));
    const rows = Array.from({ length: 100 }, (_, i) => door('OLD', i + 1, (i + 1) * 1_000));
    await store.write(rows.map((r) => ({ liftId: 'OLD', stream: 'door', seq: r.seq, ts: r.ts, rx: r.ts, record: r })));
    const m = memoryPort();
    const saved = new LiftFeatureState('OLD');
    for (const r of rows.slice(0, 90)) saved.add('door', r, r.ts);
    m.saved.set('OLD', saveState(saved));
    let read = 0;
    const reader: RecordReader = { recent: async (liftId, q) => { const got = await store.recent(liftId, q as never); read += got.length; return got; } };
    const states = createFeatureStates({ port: m.port, reader, storedBefore: () => true });
    states.add('OLD', 'door', door('OLD', 101, 101_000));
    const st = await states.state('OLD');
    expect(read).toBe(11); // the checkpoint's newest record (read again, skipped) and the ten after it
    // the same state as every record added once, but for the checkpoint's newest record, which came again and was skipped
    const direct = new LiftFeatureState('OLD');
    for (const r of [...rows.slice(0, 90), rows[89]!, ...rows.slice(90)]) direct.add('door', r, r.ts); // received when made
    direct.add('door', door('OLD', 101, 101_000));
    expect(st.skipped).toBe(1);
    expect([...st.d]).toEqual([...direct.d]);
  });

  it('reads checkpoints from SQLite: none on a fresh database, then each lift as it was saved, also by another port on the same file', () => {
    const db = new Database(':memory:');
    const port = sqliteFeatureStates(db);
    expect(port.load('A')).toBeUndefined();
    const a = new LiftFeatureState('A');
    a.add('door', door('A', 3, 3_000));
    port.save([['A', saveState(a)]]);
    const bytes = (c: LoadedCheckpoint | undefined) => [...(c !== undefined && 'block' in c ? c.block : [])];
    expect(bytes(port.load('A'))).toEqual(bytes(saveState(a)));
    expect(port.load('B')).toBeUndefined();
    // A process started on a database that holds checkpoints reads them.
    expect(bytes(sqliteFeatureStates(db).load('A'))).toEqual(bytes(saveState(a)));
  });

  it('starts a lift whose checkpoint is refused from a fresh state, in a block the arena gives once', async () => {
    const m = memoryPort();
    const old = new LiftFeatureState('A');
    old.add('door', door('A', 1, 1_000));
    m.saved.set('A', { ...saveState(old), layout: '1.0.0/1' });
    const lines: string[] = [];
    const states = createFeatureStates({ port: m.port, log: (l) => lines.push(l) });
    states.add('A', 'door', door('A', 2, 2_000));
    const st = await states.state('A');
    const fresh = new LiftFeatureState('A');
    fresh.add('door', door('A', 2, 2_000));
    expect([...st.d]).toEqual([...fresh.d]);
    expect(lines.join('\n')).toMatch(/LW_ERR_FEATURE_STATE_INVALID|feature version/);
    expect(states.stats()).toMatchObject({ refused: 1, fresh: 1, arenaBytes: expect.any(Number) });
  });
});
