import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** HAProxy itself checks deploy/haproxy/haproxy.cfg (Debian's haproxy, `-c`: parse and validate, no listening). */
describe('deploy/haproxy/haproxy.cfg', () => {
  it('is a configuration HAProxy accepts', async () => {
    const file = fileURLToPath(new URL('../../deploy/haproxy/haproxy.cfg', import.meta.url));
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile('haproxy', ['-c', '-f', file], { timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
    });
    expect(result.out).toMatch(/Configuration file is valid/);
    expect(result.code).toBe(0);
  });
});
