import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetHealthView, TerminalConfigView } from '@liftwatch/contract';
import { fakePorts } from '../fake-ports.js';
import { withTerminalConfig } from '../fake-terminal-config.js';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// Remote configuration of terminals and the fleet health view (src/api/terminal-config.ts) over fake ports.
let t: TestApp;
let x: ReturnType<typeof withTerminalConfig>;
beforeAll(async () => {
  x = withTerminalConfig(fakePorts());
  t = await testApp({ ports: x.ports });
  await twoUnits(t);
});
afterAll(() => t.close());

const push = (who: string, target: Record<string, unknown>, settings: Record<string, unknown> = { deviceS: 60 }) => t.call(who, 'POST', '/api/terminal-config', { target, settings });
const configs = async (who: string, query = '') => (await t.call(who, 'GET', `/api/terminal-config${query}`)).json<{ configs: TerminalConfigView[] }>().configs.map((c) => c.liftId);

describe('pushing configs and commands: admins and the lift\'s maintenance unit', () => {
  it('an admin pushes to a list, an area or a unit; each push gets the next version', async () => {
    expect((await push('admin', { liftIds: ['LA-1', 'LB-1'] })).json()).toEqual({ pushed: [{ liftId: 'LA-1', configVersion: 1 }, { liftId: 'LB-1', configVersion: 1 }] });
    expect((await push('admin', { areaCode: '330108' })).json()).toEqual({ pushed: [{ liftId: 'LB-1', configVersion: 2 }] });
    expect((await push('admin', { maintenanceUnit: 'mu-A' })).json()).toEqual({ pushed: [{ liftId: 'LA-1', configVersion: 2 }] });
  });

  it('the crew of a unit pushes to its own lifts only: another unit\'s lift, unit or area is refused', async () => {
    expect((await push('crewA', { liftIds: ['LA-1'] })).status).toBe(201);
    const other = await push('crewA', { liftIds: ['LA-1', 'LB-1'] });
    expect(other.status).toBe(404);
    expect(other.json()).toMatchObject({ error: { code: 'LW_ERR_NOT_FOUND', message: 'lift "LB-1" does not exist or is not in your scope' } });
    expect((await push('mgrA', { maintenanceUnit: 'mu-B' })).json()).toMatchObject({ error: { code: 'LW_ERR_FORBIDDEN', message: expect.stringContaining('not of "mu-B"') } });
    expect((await push('crewA', { areaCode: '330108' })).json()).toMatchObject({ error: { code: 'LW_ERR_NOT_FOUND', message: 'areaCode "330108" names no lift you may configure: check the area code or the unit\'s id' } });
    const cmd = await t.call('crewB', 'POST', '/api/terminal-commands', { target: { liftIds: ['LA-1'] }, cmd: 'restart' });
    expect(cmd.status).toBe(404);
    expect((await t.call('crewB', 'POST', '/api/terminal-commands', { target: { liftIds: ['LB-1'] }, cmd: 'selfTest' })).json()).toEqual({ sent: [{ liftId: 'LB-1', cmdId: 'selfTest-1' }] });
  });

  it('a use unit and a regulator read but may not push', async () => {
    expect((await push('useA', { liftIds: ['LA-1'] })).status).toBe(403);
    expect((await push('regA', { liftIds: ['LA-1'] })).status).toBe(403);
    expect(await configs('useA')).toEqual(['LA-1']);
    expect(await configs('crewB')).toEqual(['LB-1']);
  });

  it('bad input names what was wrong', async () => {
    expect((await push('admin', { liftIds: ['LA-1'], areaCode: '330106' })).json()).toMatchObject({ error: { message: 'target names liftIds and areaCode: give exactly one of liftIds, areaCode or maintenanceUnit' } });
    expect((await push('admin', {})).json()).toMatchObject({ error: { message: expect.stringContaining('target names no terminals') } });
    expect((await push('admin', { liftIds: ['LA-1'] }, { deviceS: 5 })).json()).toMatchObject({ error: { code: 'LW_ERR_REQUEST_INVALID', message: expect.stringContaining('deviceS') } });
    expect((await push('admin', { liftIds: ['LA-1'] }, { enabledStreams: ['device'] })).status).toBe(400);
    expect((await t.call('admin', 'POST', '/api/terminal-commands', { target: { liftIds: ['LA-1'] }, cmd: 'openDoors' })).status).toBe(400);
  });
});

describe('what terminals did with their configs', () => {
  it('lists pending and refused ones, the longest waiting first; a lift\'s own view is scoped like the lift', async () => {
    x.answer('LA-1');
    x.answer('LB-1', 'statusMovingS 0.1 s is shorter than this terminal reads the lift');
    expect(await configs('admin', '?state=rejected')).toEqual(['LB-1']);
    const waiting = (await t.call('admin', 'GET', '/api/terminal-config/unacknowledged')).json<{ terminals: TerminalConfigView[] }>().terminals;
    expect(waiting).toMatchObject([{ liftId: 'LB-1', state: 'rejected', rejectedReason: expect.stringContaining('statusMovingS') }]);
    expect((await t.call('crewA', 'GET', '/api/terminal-config/unacknowledged')).json()).toEqual({ terminals: [] });
    expect((await t.call('crewA', 'GET', '/api/lifts/LB-1/terminal-config')).status).toBe(404);
    expect((await t.call('crewB', 'GET', '/api/lifts/LB-1/terminal-config')).json()).toMatchObject({ config: { desiredVersion: 2, state: 'rejected' }, commands: [{ cmd: 'selfTest', sentBy: 'crewB', ok: null }] });
  });

  it('the fleet health view counts silent, behind and misconfigured terminals, and lists those of one problem', async () => {
    t.ports.lift('LA-1', { areaCode: '330106', lastSeenAt: Date.now() - 31 * 60_000 });
    t.ports.record('LA-1', 'device', { fwVersion: 'fw-2', bufferBacklog: 12, clockOffsetMs: 2_500, linkRttMs: 40 });
    t.ports.record('LB-1', 'device', { fwVersion: 'fw-1', bufferBacklog: 3 });
    const all = (await t.call('admin', 'GET', '/api/terminal-health')).json<FleetHealthView>();
    expect(all).toMatchObject({ limits: { silentMin: 30, backlogMax: 1000, clockOffsetMaxMs: 2000 }, total: 2, counts: { silent: 1, behind: 1, misconfigured: 1 } });
    expect(all.terminals.find((r) => r.liftId === 'LA-1')).toMatchObject({ fwVersion: 'fw-2', clockOffsetMs: 2_500, linkRttMs: 40, problems: ['silent', 'behind'] });
    const mis = (await t.call('admin', 'GET', '/api/terminal-health?problem=misconfigured')).json<FleetHealthView>();
    expect(mis.terminals).toMatchObject([{ liftId: 'LB-1', fwVersion: 'fw-1', config: { state: 'rejected', rejectedReason: expect.stringContaining('statusMovingS') }, problems: ['misconfigured'] }]);
    const crew = (await t.call('crewB', 'GET', '/api/terminal-health')).json<FleetHealthView>();
    expect(crew.terminals.map((r) => r.liftId)).toEqual(['LB-1']);
    expect((await t.call('admin', 'GET', '/api/terminal-health?problem=lost')).status).toBe(400);
  });
});
