import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/passwords.js';
import { csvCell, toCsv } from '../src/api/csv.js';

describe('passwords (scrypt)', () => {
  it('stores a salted scrypt hash, never the password, and verifies only the right one', async () => {
    const a = await hashPassword('电梯 password 1');
    const b = await hashPassword('电梯 password 1');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(a).not.toContain('password');
    await expect(verifyPassword('电梯 password 1', a)).resolves.toBe(true);
    await expect(verifyPassword('电梯 password 2', a)).resolves.toBe(false);
    await expect(verifyPassword('x', 'plain-text-in-db')).resolves.toBe(false);
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, and disarms formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['id', 'name'], [[1, '西湖区\n1号']])).toBe('\uFEFFid,name\r\n1,"西湖区\n1号"\r\n');
  });
});
