// `npm run models:health -- recompute <liftId> [--data-dir ./data] [--at ISO-time] [--records-to ms]`: the health
// score of one lift recomputed from the all-in-one's SQLite file (data/liftwatch.db: its stored records,
// alerts and visits), printed as JSON.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { openStateStore } from '@liftwatch/state-store';
import { recomputeHealth } from './recompute.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'data-dir': { type: 'string', default: './data' }, at: { type: 'string' }, 'records-to': { type: 'string' } } });
if (positionals[0] !== 'recompute' || positionals[1] === undefined) {
  console.error('usage: npm run models:health -- recompute <liftId> [--data-dir ./data] [--at 2026-03-01T00:00:00Z] [--records-to <ms: the score\'s recordsTo>]');
  process.exit(2);
}
const db = new Database(join(resolve(values['data-dir']), 'liftwatch.db'), { fileMustExist: true });
const state = await openStateStore({ url: `sqlite:${db.name}`, connection: db });
const at = values.at === undefined ? Date.now() : Date.parse(values.at);
if (Number.isNaN(at)) {
  console.error(`--at ${values.at} is not a time: give an ISO time such as 2026-03-01T00:00:00.000Z (the served score's "at")`);
  process.exit(2);
}
const recordsTo = values['records-to'] === undefined ? at : Number(values['records-to']);
console.log(JSON.stringify(await recomputeHealth(createSqliteTelemetry(db), state, positionals[1], at, recordsTo), null, 2));
db.close();
