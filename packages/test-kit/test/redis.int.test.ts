import { connect } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRedis } from '../src/servers.js';

/** One inline Redis command on a fresh connection (RESP's inline form), and the first line of its answer. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(`${line}\r\n`));
    s.once('error', reject);
    s.once('data', (d) => { s.destroy(); resolve(d.toString().split('\r\n')[0]!); });
  });
}

describe('startRedis', () => {
  it('with persist, keeps every key across a kill -9 and across an outage', async () => {
    const redis = await startRedis({ persist: true });
    onTestFinished(() => redis.stop());
    expect(await command(redis.port, 'SET job 1')).toBe('+OK');
    await redis.restart();
    expect(await command(redis.port, 'GET job')).toBe('$1');
    await redis.down();
    await expect(command(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
    expect(await redis.up()).toBeGreaterThan(0);
    expect(await command(redis.port, 'GET job')).toBe('$1');
  });

  it('in memory by default: a restart starts empty', async () => {
    const redis = await startRedis();
    onTestFinished(() => redis.stop());
    await command(redis.port, 'SET job 1');
    await redis.restart();
    expect(await command(redis.port, 'GET job')).toBe('$-1');
  });

  it('with a password, asks for it, and its URL carries it', async () => {
    const redis = await startRedis({ password: 's3cret pw' });
    onTestFinished(() => redis.stop());
    expect(await command(redis.port, 'PING')).toMatch(/^-NOAUTH/);
    expect(redis.url).toBe(`redis://:s3cret%20pw@127.0.0.1:${redis.port}`);
  });
});
