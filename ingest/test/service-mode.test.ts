// A terminal's service mode reaches alerting (inspection starts a maintenance visit, leaving it ends
// the visit): on a change, and on a lift's first status only where a visit may be going on.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type ServiceMode } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { createIngest, type AlertSink, type SharedRuleState } from '../src/index.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const dirs: Array<{ remove: () => void }> = [];
afterEach(() => { for (const d of dirs.splice(0)) d.remove(); });
const status = (liftId: string, seq: number, serviceMode: ServiceMode) =>
  new TextEncoder().encode(JSON.stringify({ ...GOLDEN.status, liftId, seq, ts: Date.now() + seq, serviceMode }));

function open(db: Database.Database, shared?: SharedRuleState) {
  const told: Array<[string, string]> = [];
  const ingest = createIngest({ db, alerts, onServiceMode: (liftId, mode) => { told.push([liftId, mode]); }, ...(shared ? { sharedRuleState: shared } : {}) }, { writerThread: false });
  return { ingest, told };
}

describe('service modes told to alerting', () => {
  it('one node: a first status tells nothing unless in inspection; changes are told; after a restart a lift left in inspection is told it left', async () => {
    const dir = tempDir(); dirs.push(dir);
    const db = new Database(join(dir.path, 's.db'));
    const first = open(db);
    await first.ingest.handle(liftTopic('SM-1', 'status'), status('SM-1', 1, 'normal'), null);
    await first.ingest.handle(liftTopic('SM-2', 'status'), status('SM-2', 1, 'inspection'), null);
    await first.ingest.handle(liftTopic('SM-1', 'status'), status('SM-1', 2, 'normal'), null);
    await first.ingest.handle(liftTopic('SM-1', 'status'), status('SM-1', 3, 'fireRecall'), null);
    expect(first.told).toEqual([['SM-2', 'inspection'], ['SM-1', 'fireRecall']]);
    await first.ingest.close();

    const second = open(db);
    await second.ingest.handle(liftTopic('SM-1', 'status'), status('SM-1', 4, 'normal'), null);
    await second.ingest.handle(liftTopic('SM-2', 'status'), status('SM-2', 2, 'normal'), null);
    expect(second.told).toEqual([['SM-2', 'normal']]);
    await second.ingest.close();
    db.close();
  });

  it('several nodes: a lift\'s first status on this node is told, another node may have started a visit', async () => {
    const shared: SharedRuleState = { save: async () => {}, fetch: async () => undefined };
    const node = open(new Database(':memory:'), shared);
    await node.ingest.handle(liftTopic('SM-3', 'status'), status('SM-3', 1, 'normal'), null);
    await node.ingest.handle(liftTopic('SM-3', 'status'), status('SM-3', 2, 'normal'), null);
    expect(node.told).toEqual([['SM-3', 'normal']]);
    await node.ingest.close();
  });
});
