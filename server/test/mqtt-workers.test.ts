import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LiftwatchError, lwError } from '@liftwatch/contract';
import type { StoreOp } from '@liftwatch/ingest';
import { createModeFilter, createPresenceOwners } from '../src/mqtt-workers/lift-handover.js';
import { createRpc, type Channel } from '../src/mqtt-workers/rpc.js';

/** Two ends of an IPC channel in one process: what one sends, the other receives on a later turn. */
function channelPair(): [Channel & { sent: number }, Channel & { sent: number }] {
  const a = new EventEmitter(); const b = new EventEmitter();
  const end = (self: EventEmitter, other: EventEmitter) => Object.assign(self, {
    sent: 0,
    send(m: unknown) {
      this.sent++;
      setImmediate(() => other.emit('message', structuredClone(m)));
      return true;
    },
  });
  return [end(a, b), end(b, a)];
}

describe('calls between the primary and its MQTT workers', () => {
  it('answers calls, keeps the code of a LiftwatchError, and sends the calls of one turn as one message', async () => {
    const [worker, primary] = channelPair();
    createRpc(primary, {
      store: (topic: string, n: number) => (n > 0 ? `${topic}:${n}` : Promise.reject(lwError('LW_ERR_STORAGE', `could not store ${topic}`))),
    });
    const rpc = createRpc(worker, {});
    const answers = await Promise.all([rpc.call('store', 'a', 1), rpc.call('store', 'b', 2), rpc.call('store', 'c', 0).catch((e: unknown) => e)]);
    expect(answers.slice(0, 2)).toEqual(['a:1', 'b:2']);
    expect(answers[2]).toBeInstanceOf(LiftwatchError);
    expect(answers[2]).toMatchObject({ code: 'LW_ERR_STORAGE', message: 'could not store c' });
    expect(worker.sent).toBe(1);
    expect(primary.sent).toBe(1);
  });

  it('rejects the calls still waiting when the other side is gone, and later ones at once', async () => {
    const [worker] = channelPair();
    const rpc = createRpc(worker, {});
    const waiting = rpc.call('store', 'a');
    await new Promise((r) => setImmediate(r));
    rpc.close(lwError('LW_ERR_STORAGE', 'worker 1 exited'));
    await expect(waiting).rejects.toThrow('worker 1 exited');
    await expect(rpc.call('store', 'b')).rejects.toThrow('worker 1 exited');
  });
});

describe('which worker holds a lift', () => {
  const presence = (liftId: string, state: 'online' | 'offline'): StoreOp => ({ kind: 'presence', liftId, state, rx: 1 });
  const record: StoreOp = { kind: 'record', liftId: 'L1', lift: 0, stream: 'door', seq: 1, ts: 1, rx: 1, record: {} };

  it("drops the offline of a worker the lift's terminal has left, keeps the new worker's, and names the lifts of a dead worker", () => {
    const owners = createPresenceOwners();
    expect(owners.filter(1, [presence('L1', 'online'), record])).toEqual([presence('L1', 'online'), record]);
    expect(owners.filter(2, [presence('L1', 'online')])).toEqual([presence('L1', 'online')]);
    // Worker 1 notices its connection gone after worker 2 took the terminal: its offline is late.
    expect(owners.filter(1, [presence('L1', 'offline'), record])).toEqual([record]);
    owners.filter(1, [presence('L2', 'online')]);
    expect(owners.gone(1, 5)).toEqual([{ kind: 'presence', liftId: 'L2', state: 'offline', rx: 5 }]);
    expect(owners.filter(2, [presence('L1', 'offline')])).toEqual([presence('L1', 'offline')]);
    expect(owners.gone(2, 6)).toEqual([]);
  });
});

describe('service modes the workers report', () => {
  it('tells alerting when a lift enters inspection or leaves it, not of a first status in the mode it was in', () => {
    const modes = createModeFilter(['IN-1']);
    expect(modes.tell('IN-1', 'inspection')).toBe(false); // its terminal moved to another worker, still in inspection
    expect(modes.tell('N-1', 'normal')).toBe(false); // a first status: no visit of its terminal to end
    expect(modes.tell('N-1', 'inspection')).toBe(true);
    expect(modes.tell('N-1', 'inspection')).toBe(false);
    expect(modes.tell('N-1', 'normal')).toBe(true);
    expect(modes.tell('IN-1', 'fireService')).toBe(true);
    expect(modes.tell('IN-1', 'normal')).toBe(false);
  });
});
