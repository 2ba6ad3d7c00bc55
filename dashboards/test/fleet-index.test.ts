import { describe, expect, it } from 'vitest';
import { createFleetIndex } from '../src/fleet-index.js';
import { fakePorts } from './fake-ports.js';

describe('the fleet index', () => {
  it('reads a lift new to it without its status where the lifts port can (getFacts)', async () => {
    const f = fakePorts();
    f.lift('FI-1', { areaCode: '330106' });
    const index = createFleetIndex(f.deps);
    await index.entries();
    f.lift('FI-2', { areaCode: '330106' });
    const asked: string[][] = [];
    const getMany = f.deps.lifts.getMany!;
    f.deps.lifts.getMany = () => { throw new Error('getMany read the statuses'); };
    f.deps.lifts.getFacts = (ids) => {
      asked.push([...ids]);
      return getMany(ids);
    };
    f.deps.changes.publish({ kind: 'liftsSeen', liftIds: ['FI-2'], lastSeenAt: [5], presence: ['online'] });
    const entries = await index.entries('330106');
    expect(entries.map((e) => e.liftId)).toEqual(['FI-1', 'FI-2']);
    expect(asked).toEqual([['FI-2']]);
    index.close();
  });
});

describe('the fleet index with the lift numbers of ingest', () => {
  it('finds each lift once, whether it entered before or after ingest numbered it, however far its number', async () => {
    const f = fakePorts();
    f.lift('FN-1', { areaCode: '330106' });
    f.lift('FN-2', { areaCode: '330106' });
    const numbers = new Map([['FN-2', 7]]);
    const index = createFleetIndex({ ...f.deps, liftNumbers: { find: (id) => numbers.get(id) } });
    expect((await index.entries()).map((e) => e.liftId)).toEqual(['FN-1', 'FN-2']);
    numbers.set('FN-1', 3); // ingest meets FN-1 after the index read it from the store
    numbers.set('FN-3', 90_000);
    f.lift('FN-3', { areaCode: '330106' });
    f.deps.changes.publish({ kind: 'liftsSeen', liftIds: ['FN-1', 'FN-2', 'FN-3'], lastSeenAt: [0, 0, 0], presence: ['online', 'offline', 'online'] });
    const entries = await index.entries('330106');
    expect(entries.map((e) => e.liftId)).toEqual(['FN-1', 'FN-2', 'FN-3']);
    expect(['FN-1', 'FN-2'].map((id) => index.get(id)?.presence)).toEqual(['online', 'offline']); // the entries read first, changed in place
    expect(index.get('FN-3')?.areaCode).toBe('330106');
    expect(index.get('FN-4')).toBeUndefined();
    index.close();
  });
});
