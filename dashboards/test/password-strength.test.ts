import { describe, expect, it } from 'vitest';
import { checkPasswordStrength } from '../src/auth/password-strength.js';

describe('password strength (zxcvbn-ts with the common and English dictionaries)', () => {
  it.each([
    ['1234567890', /too easy to guess.*frequently used password/],
    ['aaaaaaaaaa', /too easy to guess.*Repeated characters/],
    ['          ', /only spaces/],
    ['ops-lead-7', /too easy to guess.*personal/], // the user name
    ['password12', /too easy to guess.*commonly used password/],
    ['qwertyuiop', /too easy to guess/],
    ['short', /has 5 characters: give at least 10/],
  ])('refuses %j, saying why and what to do', (password, why) => {
    expect(() => checkPasswordStrength(password, { userInputs: ['ops-lead-7', 'Ops Lead'] })).toThrow(expect.objectContaining({
      code: 'LW_ERR_PASSWORD_WEAK', message: expect.stringMatching(why),
    }));
    expect(() => checkPasswordStrength(password, { userInputs: ['ops-lead-7'] })).toThrow(/choose a longer phrase of several unrelated words/);
  });

  it('accepts a phrase of unrelated words, and a lower bar when configured', () => {
    expect(() => checkPasswordStrength('correct horse battery', { userInputs: ['ann'] })).not.toThrow();
    expect(() => checkPasswordStrength('elevator-pit-lamp', { userInputs: ['ann'] })).not.toThrow();
    expect(() => checkPasswordStrength('password12', { userInputs: [], minScore: 1 })).not.toThrow();
  });
});
