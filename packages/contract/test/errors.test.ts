import { describe, expect, it } from 'vitest';
import { isUnrecoverable, lwError } from '../src/errors.js';

describe('isUnrecoverable', () => {
  it('is true for an error that carries retryable: false, as the catalog marks wrong input', () => {
    expect(isUnrecoverable(lwError('LW_ERR_PAYLOAD_INVALID', 'bad'))).toBe(true);
    expect(isUnrecoverable(Object.assign(new Error('refused'), { retryable: false }))).toBe(true);
  });

  it('takes transient faults and errors that say nothing as worth another try', () => {
    expect(isUnrecoverable(lwError('LW_ERR_STORAGE', 'disk busy'))).toBe(false);
    expect(isUnrecoverable(new Error('ECONNRESET'))).toBe(false);
    expect(isUnrecoverable({ retryable: 'no' })).toBe(false);
    for (const thrown of [null, undefined, 'text', 42]) expect(isUnrecoverable(thrown)).toBe(false);
  });
});
