// `npm run models:health -- recompute <liftId> [--data-dir ./data] [--at ISO-time]`: the health
// score of one lift recomputed from the all-in-one's SQLite store (data/liftwatch.db), printed as JSON.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { recomputeHealth } from './recompute.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'data-dir': { type: 'string', default: './data' }, at: { type: 'string' } } });
if (positionals[0] !== 'recompute' || positionals[1] === undefined) {
  console.error('usage: npm run models:health -- recompute <liftId> [--data-dir ./data] [--at 2026-03-01T00:00:00Z]');
  process.exit(2);
}
const db = new Database(join(resolve(values['data-dir']), 'liftwatch.db'), { readonly: true, fileMustExist: true });
const store = createSqliteTelemetry(db);
const at = values.at === undefined ? Date.now() : Date.parse(values.at);
console.log(JSON.stringify(await recomputeHealth(store, positionals[1], at), null, 2));
db.close();
