// The feature-state writer thread (feature-state-writer.ts): writes checkpoints of lifts' feature
// states into model_feature_states of the node's SQLite file, one transaction per message, and
// answers each with its id (or the error), so that the event loop of the ingest never waits on them.
// The table exists: the port on the event loop created it before starting this thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { PostedStates } from './feature-state-rows.js';

const { path, walAutocheckpoint } = workerData as { path: string; walAutocheckpoint: number };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
// As the connection on the event loop does: off where ingest's writer thread copies the log into the database file itself.
db.pragma(`wal_autocheckpoint = ${walAutocheckpoint}`);
const put = db.prepare('INSERT OR REPLACE INTO model_feature_states (lift_id, layout, saved_at, block, overflow) VALUES (?, ?, ?, ?, ?)');
const saveAll = db.transaction((m: PostedStates) => {
  for (let i = 0; i < m.liftIds.length; i++) put.run(m.liftIds[i], m.layouts[i], m.savedAt, m.blocks[i], m.overflows[i]);
});

parentPort!.on('message', (m: PostedStates | { close: true }) => {
  if ('close' in m) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    saveAll(m);
    parentPort!.postMessage({ id: m.id });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
