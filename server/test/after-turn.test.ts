import { describe, expect, it } from 'vitest';
import { afterTurn } from '../src/after-turn.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('work after the turn', () => {
  it('runs after the turn that asked for it, in order, and not at all once closed', async () => {
    const done: string[] = [];
    const errors: unknown[] = [];
    const later = afterTurn((item: string) => {
      if (item === 'bad') throw new Error('bad item');
      done.push(item);
    }, (err) => errors.push(err));
    later.push('a');
    later.push('bad');
    later.push('b');
    await Promise.resolve(); // microtasks of the same turn (a raise and its plan) come first
    expect(done).toEqual([]);
    await nextTurn();
    expect(done).toEqual(['a', 'b']);
    expect(errors).toMatchObject([{ message: 'bad item' }]);
    later.push('c');
    later.close();
    await nextTurn();
    expect(done).toEqual(['a', 'b']);
  });
});
