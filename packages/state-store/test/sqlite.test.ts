import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
import { openStateStore, parseStateUrl } from '../src/index.js';
import { stateStoreContract } from './contract.js';

const dir = tempDir('liftwatch-state-');
afterAll(() => dir.remove());

stateStoreContract('SQLite', () => Promise.resolve(`sqlite:${join(dir.path, 'state.db')}`));

describe('state URL', () => {
  it('accepts postgres:// and sqlite:, and names the value and the forms otherwise', () => {
    expect(parseStateUrl('postgres://u:p@db:5432/liftwatch')).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db:5432/liftwatch' });
    expect(parseStateUrl('sqlite:/var/lib/liftwatch/state.db')).toEqual({ dialect: 'sqlite', file: '/var/lib/liftwatch/state.db' });
    expect(() => parseStateUrl('mysql://db/x')).toThrow(/state URL "mysql:\/\/db\/x" is neither postgres:\/\/… nor sqlite:<file>/);
    expect(() => parseStateUrl('sqlite:')).toThrow(/LW_ERR_CONFIG_INVALID|neither/);
  });

  it('adopts an all-in-one SQLite database made by the older stores, without touching its rows', async () => {
    const file = join(dir.path, 'old.db');
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(file);
    old.exec(`CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, lift_id TEXT NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, state TEXT NOT NULL,
      reason TEXT NOT NULL, opened_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, condition_cleared_at INTEGER, occurrences INTEGER NOT NULL DEFAULT 1);
      INSERT INTO alerts (lift_id, code, severity, state, reason, opened_at, updated_at, last_seen_at) VALUES ('OLD-1', 'ENTRAPMENT', 'P1', 'open', 'old', 1, 1, 1);`);
    old.close();
    const s = await openStateStore({ url: `sqlite:${file}` });
    try {
      expect(await s.alerts.list({ state: 'active', limit: 10 })).toMatchObject([{ liftId: 'OLD-1', assignee: null, occurrences: 1 }]);
    } finally {
      await s.close();
    }
  });

  it('adopts the dead letters an all-in-one ingest wrote to its own table of that name', async () => {
    const file = join(dir.path, 'dead.db');
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(file);
    old.exec(`CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, rx_ts INTEGER NOT NULL, topic TEXT NOT NULL, client_id TEXT,
      code TEXT NOT NULL, reason TEXT NOT NULL, size_bytes INTEGER NOT NULL, raw BLOB NOT NULL)`);
    old.prepare(`INSERT INTO dead_letters (rx_ts, topic, client_id, code, reason, size_bytes, raw) VALUES (5, 'lift/v1/X/trip', 'T-X', 'LW_ERR_PAYLOAD_NOT_JSON', 'not JSON', 3, ?)`).run(Buffer.from('abc'));
    old.close();
    const s = await openStateStore({ url: `sqlite:${file}` });
    try {
      expect(await s.deadLetters.list({ limit: 10, offset: 0 })).toMatchObject([{ id: 1, receivedAt: 5, clientId: 'T-X', rawText: 'abc' }]);
    } finally {
      await s.close();
    }
  });
});
