import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { lwError } from '@liftwatch/contract';

/** Shortest password accepted, whatever its score. */
export const MIN_PASSWORD_LENGTH = 10;
/**
 * zxcvbn's score runs 0–4; 3 means an estimated 10^8 guesses or more, "safely unguessable:
 * moderate protection from offline slow-hash scenario" in zxcvbn's own scale (D. L. Wheeler,
 * "zxcvbn: Low-Budget Password Strength Estimation", USENIX Security 2016). With scrypt and the
 * login throttle that leaves online guessing hopeless.
 */
export const DEFAULT_MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
/** The dictionaries take ~100 ms to load: once, on the first check. */
const zxcvbn = () => (estimator ??= new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations,
}));

/**
 * Refuses a password that is short, common, a sequence or repetition ("1234567890", "aaaaaaaaaa",
 * ten spaces), or made of the user's own id or name, with zxcvbn-ts (the maintained TypeScript port
 * of Dropbox's zxcvbn, with its common-password and English dictionaries). The error says why and
 * what to do instead.
 */
export function checkPasswordStrength(password: string, opts: { userInputs: readonly string[]; minScore?: number; what?: string }): void {
  const what = opts.what ?? 'the password';
  const advice = 'choose a longer phrase of several unrelated words (a password manager can make one)';
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw lwError('LW_ERR_PASSWORD_WEAK', `${what} has ${[...password].length} characters: give at least ${MIN_PASSWORD_LENGTH}; ${advice}`);
  }
  if (password.trim() === '') throw lwError('LW_ERR_PASSWORD_WEAK', `${what} is only spaces: ${advice}`);
  const result = zxcvbn().check(password, opts.userInputs.filter((s) => s !== ''));
  const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
  if (result.score >= minScore) return;
  const why = result.feedback.warning ?? 'It would be guessed quickly.';
  const tips = result.feedback.suggestions.join(' ');
  throw lwError('LW_ERR_PASSWORD_WEAK', `${what} is too easy to guess (strength ${result.score} of 4, at least ${minScore} needed): ${why}${tips ? ` ${tips}` : ''} — ${advice}`);
}
