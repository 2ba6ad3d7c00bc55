import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { lwError } from '@liftwatch/contract';

/**
 * Opens (or creates) the SQLite database of the all-in-one process. WAL with synchronous=FULL:
 * a committed transaction survives a power cut, and the ingest's group commit shares one fsync
 * among all records of a batch.
 */
export function openDatabase(dataDir: string): Database.Database {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw lwError('LW_ERR_DATA_DIR', `data directory ${dir} cannot be created or written (${code}): choose another with --data-dir or fix its permissions`, err);
  }
  let db: Database.Database;
  try {
    db = new Database(join(dir, 'liftwatch.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache: records of 150,000 lifts land on random pages of the (lift, seq) key.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    throw lwError('LW_ERR_DATA_DIR', `database in ${dir} cannot be opened (${(err as Error).message}): choose another --data-dir`, err);
  }
  return db;
}
