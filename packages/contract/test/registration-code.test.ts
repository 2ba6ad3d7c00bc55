import { describe, expect, it } from 'vitest';
import { compileRegistrationPattern, registrationCodeProblem } from '../src/index.js';

describe('registration code', () => {
  it('takes a 20-digit lift code: class 3, a GB/T 2260 area, a year of registration', () => {
    expect(registrationCodeProblem('31103301062012000123', undefined, 2025)).toBeUndefined();
    expect(registrationCodeProblem('33103101012006010101', undefined, 2025)).toBeUndefined();
  });

  it('names what is wrong and what to do', () => {
    expect(registrationCodeProblem('ABC')).toMatch(/"ABC" is not 20 digits \(3 characters, not only digits\): give the 20-digit registration code/);
    expect(registrationCodeProblem('21603101012006010101')).toMatch(/starts with 2, not 3, the equipment class of lifts/);
    expect(registrationCodeProblem('31109901062012000123')).toMatch(/digits 5–10 \(990106\) are not a GB\/T 2260 area code/);
    expect(registrationCodeProblem('31103301062031000123', undefined, 2025)).toMatch(/digits 11–14 \(2031\) are not a year of registration between 1950 and 2025/);
  });

  it('another region\'s pattern replaces the Chinese structure; a pattern that does not compile stops the start', () => {
    const pattern = compileRegistrationPattern('[A-Z]{2}-[0-9]{6}');
    expect(registrationCodeProblem('HK-123456', pattern)).toBeUndefined();
    expect(registrationCodeProblem('31103301062012000123', pattern)).toMatch(/does not match the pattern .* set by registrationCodePattern/);
    expect(registrationCodeProblem('HK-1234567', pattern)).toBeDefined(); // the whole code must match
    expect(compileRegistrationPattern('')).toBeUndefined();
    expect(() => compileRegistrationPattern('[A-')).toThrow(/registrationCodePattern "\[A-" is not a regular expression/);
  });
});
