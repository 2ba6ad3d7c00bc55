// Copies the SQLite write-ahead log into the database file on a thread of its own, when the writer
// thread says the log has grown enough (sqlite-writer-client.ts passes the word on). The copy and
// its fsync took a third of the writer thread's time under a city's load, and every batch behind it
// waited, with the acknowledgements of its records. In WAL mode a checkpoint runs beside a writer:
// the writer goes on appending while the frames already there are copied.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path } = workerData as { path: string };
const db = new Database(path);
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('cache_size = -2048'); // a checkpoint copies frames from the log; it reads no tree through the cache

/** Frames the writer may be left to copy itself: it finishes the checkpoint between two batches, so that the log starts over. */
const LEFT_FOR_THE_WRITER = 2_048;

parentPort!.on('message', (m: 'copy' | 'close') => {
  if (m === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    // Each pass copies what the writer appended during the one before; stop when little is left.
    let left = Infinity;
    for (let pass = 0; pass < 4 && left > LEFT_FOR_THE_WRITER; pass++) {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      if (!r || r.busy !== 0 || r.log < 0) break;
      left = r.log - r.checkpointed;
    }
    parentPort!.postMessage({ copied: true });
  } catch (err) {
    parentPort!.postMessage({ copied: false, error: err instanceof Error ? err.message : String(err) });
  }
});
