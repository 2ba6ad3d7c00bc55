import { lwError } from './errors.js';

/**
 * The registration code (注册代码) of a lift, as the usage sign in the car shows it
 * (docs/lift-registry.md#registration-code). In China it is 20 digits: a 4-digit equipment class
 * (lifts are class 3), the 6-digit GB/T 2260 code of the registering authority, the year of
 * registration (4 digits) and 6 digits that number the registrations (one published local rule
 * writes them as month and sequence; the national split of these six is unverified, so they are not
 * checked). Other regions set their own pattern (setting registrationCodePattern).
 */

/** First two digits of the GB/T 2260 codes of China's provinces, autonomous regions, municipalities and SARs. */
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);
/** Earliest registration year taken: well before any lift still in service was registered. */
const FIRST_YEAR = 1950;

/**
 * What is wrong with a registration code, or undefined when it is valid: the Chinese 20-digit
 * structure, or, when `pattern` is given, that pattern alone (another region's format).
 * `year` is the current year (a code cannot be registered in the future).
 */
export function registrationCodeProblem(code: string, pattern?: RegExp, year = new Date().getUTCFullYear()): string | undefined {
  const shown = JSON.stringify(code);
  if (pattern) return pattern.test(code) ? undefined : `registration code ${shown} does not match the pattern ${String(pattern)} set by registrationCodePattern: give the code as the lift's usage sign shows it, or change the setting`;
  if (!/^[0-9]{20}$/.test(code)) {
    return `registration code ${shown} is not 20 digits (${code.length} characters${/[^0-9]/.test(code) ? ', not only digits' : ''}): give the 20-digit registration code (注册代码) from the lift's usage sign, or set registrationCodePattern for another format`;
  }
  if (code[0] !== '3') return `registration code ${shown} starts with ${code[0]}, not 3, the equipment class of lifts: check the code on the usage sign (a boiler or crane code starts with another digit)`;
  if (!PROVINCES.has(code.slice(4, 6))) return `registration code ${shown}: digits 5–10 (${code.slice(4, 10)}) are not a GB/T 2260 area code (no province starts with ${code.slice(4, 6)}): check the code on the usage sign`;
  const registered = Number(code.slice(10, 14));
  if (registered < FIRST_YEAR || registered > year) return `registration code ${shown}: digits 11–14 (${registered}) are not a year of registration between ${FIRST_YEAR} and ${year}: check the code on the usage sign`;
  return undefined;
}

/**
 * Setting registrationCodePattern compiled (matched against the whole code), or undefined when it is
 * empty (the Chinese 20-digit structure); a pattern that does not compile stops the start.
 */
export function compileRegistrationPattern(source: string): RegExp | undefined {
  if (source === '') return undefined;
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch (err) {
    throw lwError('LW_ERR_CONFIG_INVALID', `registrationCodePattern ${JSON.stringify(source)} is not a regular expression (${(err as Error).message}): give one such as [A-Z0-9]{10,20}, or leave it empty for the Chinese 20-digit code`, err);
  }
}
