import { describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch } from '../src/liftwatch.js';
import { login } from './helpers.js';

describe('the first admin', () => {
  it('is created once at first start with a printed one-time password that logs in', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const config = makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path });
    try {
      const first = await startLiftwatch(config, (l) => lines.push(l));
      const line = lines.find((l) => l.includes('one-time password'));
      const password = /one-time password (\S+)/.exec(line ?? '')?.[1];
      expect(password).toMatch(/^[\w-]{24}$/);
      await expect(login(first.httpUrl, 'admin', password!)).resolves.toMatch(/^[\w-]{43}$/);
      await first.close();
      lines.length = 0;
      const second = await startLiftwatch(config, (l) => lines.push(l));
      expect(lines.filter((l) => l.includes('created user'))).toEqual([]); // not again
      await expect(login(second.httpUrl, 'admin', password!)).resolves.toBeTruthy();
      await second.close();
    } finally {
      dir.remove();
    }
  });

  it('refuses a configured admin password shorter than 10 characters, saying how long it must be', async () => {
    const dir = tempDir();
    try {
      await expect(startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword: 'short' })))
        .rejects.toMatchObject({ code: 'LW_ERR_CONFIG_INVALID', message: expect.stringMatching(/5 characters; give at least 10/) });
    } finally {
      dir.remove();
    }
  });
});
