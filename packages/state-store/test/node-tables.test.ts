import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ensureJobQueueTable, ensureNodeTable, NODE_TABLE_NAMES } from '../src/index.js';

const tables = (db: Database.Database) => db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((r) => r.name);

describe('node-local tables', () => {
  it('each is created once, and creating it again keeps its rows', () => {
    const db = new Database(':memory:');
    for (const t of NODE_TABLE_NAMES) ensureNodeTable(db, t);
    expect(tables(db)).toEqual(['demo_history', 'model_alert_states', 'model_feature_states', 'model_held_raises', 'model_risk_days']);
    db.prepare('INSERT INTO model_alert_states (model_id, lift_id, active, since) VALUES (?, ?, ?, ?)').run('door-system', 'L-1', 1, 5);
    ensureNodeTable(db, 'model_alert_states');
    expect(db.prepare('SELECT model_id, lift_id, active, since FROM model_alert_states').all()).toEqual([{ model_id: 'door-system', lift_id: 'L-1', active: 1, since: 5 }]);
    db.close();
  });

  it('a job queue gets its table and its index of due jobs under the name given', () => {
    const db = new Database(':memory:');
    ensureJobQueueTable(db, 'alert_jobs');
    expect(tables(db)).toEqual(['alert_jobs', 'alert_jobs_due']);
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'alert_jobs_due'").pluck().get()).toMatch(/\(state, run_at\)/);
    db.close();
  });

  it('refuses a job queue name that is not a plain SQL name, saying which', () => {
    const db = new Database(':memory:');
    expect(() => ensureJobQueueTable(db, 'jobs; DROP TABLE users')).toThrow(/job queue table name "jobs; DROP TABLE users" must be lower-case letters/);
    expect(tables(db)).toEqual([]);
    db.close();
  });
});
