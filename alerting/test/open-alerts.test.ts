import { describe, expect, it } from 'vitest';
import { createOpenAlerts } from '../src/open-alerts.js';

describe('open alerts per lift', () => {
  it('counts an alert while open, acknowledged or on site, once however often its change is heard', () => {
    const open = createOpenAlerts();
    open.changed({ id: 1, liftId: 'L1', state: 'open' });
    open.changed({ id: 2, liftId: 'L1', state: 'open' });
    open.changed({ id: 1, liftId: 'L1', state: 'acknowledged' }); // a move between active states
    open.changed({ id: 2, liftId: 'L1', state: 'open' }); // the same change heard again (the feed)
    open.changed({ id: 3, liftId: 'L2', state: 'onSite' });
    expect(open.perLift()).toEqual(new Map([['L1', 2], ['L2', 1]]));
    open.changed({ id: 1, liftId: 'L1', state: 'resolved' });
    open.changed({ id: 3, liftId: 'L2', state: 'falseAlarm' });
    open.changed({ id: 3, liftId: 'L2', state: 'falseAlarm' });
    open.changed({ id: 9, liftId: 'L3', state: 'resolved' }); // closed before this process heard of it
    expect(open.perLift()).toEqual(new Map([['L1', 1]]));
  });

  it('takes what the store lists on a reload, and goes on from there', () => {
    const open = createOpenAlerts();
    open.changed({ id: 1, liftId: 'L1', state: 'open' });
    open.reload([{ id: 5, liftId: 'L5' }, { id: 6, liftId: 'L5' }]);
    expect(open.perLift()).toEqual(new Map([['L5', 2]]));
    open.changed({ id: 5, liftId: 'L5', state: 'resolved' });
    expect(open.perLift()).toEqual(new Map([['L5', 1]]));
  });
});
