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
