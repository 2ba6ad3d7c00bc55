import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LiftFeatureState } from '../src/features/lift-state.js';
import { saveState } from '../src/features/state-codec.js';
import { threadedFeatureStates } from '../src/serving/feature-state-writer.js';
import { createFeatureStates, sqliteFeatureStates, type LoadedCheckpoint } from '../src/serving/feature-states.js';

const door = (liftId: string, seq: number, ts: number) => ({ liftId, seq, ts, closeS: 3, openS: 2.5, reopens: 0, lockMadeMs: 40 });
const stateAt = (liftId: string, seq: number) => {
  const st = new LiftFeatureState(liftId);
  st.add('door', door(liftId, seq, seq * 1_000));
  return st;
};
const bytes = (c: LoadedCheckpoint | undefined) => [...(c !== undefined && 'block' in c ? c.block : [])];

const dirs: string[] = [];
function database() {
  const dir = mkdtempSync(join(tmpdir(), 'liftwatch-feature-states-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'node.db'));
  db.pragma('journal_mode = WAL');
  return db;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('feature-state checkpoints written on a thread of their own', () => {
  it('are in the database once settled, the newest of each lift, and a lift loaded before its write landed gets what was saved', async () => {
    const db = database();
    const port = threadedFeatureStates(db);
    port.save([['A', saveState(stateAt('A', 1))], ['B', saveState(stateAt('B', 1))]]);
    port.save([['A', saveState(stateAt('A', 2))]]);
    expect(bytes(port.load('A'))).toEqual(bytes(saveState(stateAt('A', 2)))); // from memory, whether written or not
    await port.settled();
    const other = sqliteFeatureStates(new Database(db.name));
    expect(bytes(other.load('A'))).toEqual(bytes(saveState(stateAt('A', 2))));
    expect(bytes(other.load('B'))).toEqual(bytes(saveState(stateAt('B', 1))));
    // Its row holds seq 2 now; a newer save on its way is what a load gets, never the older row.
    port.save([['A', saveState(stateAt('A', 3))]]);
    expect(bytes(port.load('A'))).toEqual(bytes(saveState(stateAt('A', 3))));
    await port.close();
    expect(bytes(other.load('A'))).toEqual(bytes(saveState(stateAt('A', 3))));
  });

  it('keeps the states of a failed write and writes them with the next save, logging it', async () => {
    const db = database();
    const lines: string[] = [];
    const port = threadedFeatureStates(db, (l) => lines.push(l));
    db.exec(`CREATE TRIGGER full BEFORE INSERT ON model_feature_states BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    port.save([['A', saveState(stateAt('A', 1))]]);
    await port.settled();
    expect(lines.join('\n')).toMatch(/1 feature states not written \(database or disk is full\)/);
    expect(bytes(port.load('A'))).toEqual(bytes(saveState(stateAt('A', 1)))); // still there for a lift loaded again
    db.exec('DROP TRIGGER full');
    port.save([['B', saveState(stateAt('B', 1))]]);
    await port.settled();
    const other = sqliteFeatureStates(new Database(db.name));
    expect(bytes(other.load('A'))).toEqual(bytes(saveState(stateAt('A', 1))));
    expect(bytes(other.load('B'))).toEqual(bytes(saveState(stateAt('B', 1))));
    await port.close();
  });

  it('a lift evicted and seen again comes back with its state, written or not, and a restart reads every checkpoint', async () => {
    const db = database();
    const port = threadedFeatureStates(db);
    const states = createFeatureStates({ port, maxResident: 2 });
    for (const id of ['A', 'B', 'C']) states.add(id, 'door', door(id, 1, 1_000)); // A is evicted, unsaved
    states.checkpoint(); // A (evicted) and B, C handed to the thread
    states.add('A', 'door', door('A', 2, 2_000)); // A comes back: from the unwritten save or its row
    expect((await states.state('A')).newest('door')).toEqual([2_000, 2]);
    states.checkpoint();
    await port.close();
    const again = createFeatureStates({ port: sqliteFeatureStates(new Database(db.name)) });
    expect((await again.state('A')).newest('door')).toEqual([2_000, 2]);
    expect((await again.state('C')).newest('door')).toEqual([1_000, 1]);
  });

  it('posts a slice from one slab shared with the thread, used again for the next slice: a checkpoint leaves no copies to collect', async () => {
    const db = database();
    const port = threadedFeatureStates(db);
    const blockOf = (liftId: string) => { const c = port.load(liftId); return c !== undefined && 'block' in c ? c.block : undefined; };
    port.save([['A', saveState(stateAt('A', 1))], ['B', saveState(stateAt('B', 1))]]);
    const slab = blockOf('A')!.buffer;
    expect(slab).toBeInstanceOf(SharedArrayBuffer);
    expect(blockOf('B')!.buffer).toBe(slab);
    await port.settled();
    port.save([['C', saveState(stateAt('C', 1))]]);
    expect(blockOf('C')!.buffer).toBe(slab);
    await port.close();
    const other = sqliteFeatureStates(new Database(db.name));
    for (const id of ['A', 'B', 'C']) expect(bytes(other.load(id))).toEqual(bytes(saveState(stateAt(id, 1))));
  });

  it('a failed write keeps its states whole while the next slices use the slab again, and they are written with the next save', async () => {
    const db = database();
    const port = threadedFeatureStates(db, () => {});
    db.exec(`CREATE TRIGGER full BEFORE INSERT ON model_feature_states BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    port.save([['A', saveState(stateAt('A', 1))]]);
    await port.settled();
    port.save([['B', saveState(stateAt('B', 7))]]); // A again and B, over the slab A was in
    await port.settled();
    expect(bytes(port.load('A'))).toEqual(bytes(saveState(stateAt('A', 1))));
    expect(bytes(port.load('B'))).toEqual(bytes(saveState(stateAt('B', 7))));
    db.exec('DROP TRIGGER full');
    await port.close();
    const other = sqliteFeatureStates(new Database(db.name));
    expect(bytes(other.load('A'))).toEqual(bytes(saveState(stateAt('A', 1))));
    expect(bytes(other.load('B'))).toEqual(bytes(saveState(stateAt('B', 7))));
  });
});
