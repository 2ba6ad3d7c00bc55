import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory; `remove()` deletes it. */
export function tempDir(prefix = 'liftwatch-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface MosquittoPubOptions {
  port: number;
  host?: string;
  topic: string;
  message: string;
  qos?: 0 | 1;
  clientId?: string;
  retain?: boolean;
  /** Credentials for a broker that authenticates: the terminal id and its token. */
  username?: string;
  password?: string;
}

/**
 * Publishes one message with Debian's mosquitto_pub (package mosquitto-clients): a real MQTT
 * client written by someone else. Resolves when it exits 0, i.e. after PUBACK for QoS 1.
 */
export function mosquittoPub(o: MosquittoPubOptions): Promise<void> {
  const args = ['-h', o.host ?? '127.0.0.1', '-p', String(o.port), '-t', o.topic, '-m', o.message, '-q', String(o.qos ?? 1), '-V', 'mqttv311'];
  if (o.clientId) args.push('-i', o.clientId);
  if (o.retain) args.push('-r');
  if (o.username !== undefined) args.push('-u', o.username);
  if (o.password !== undefined) args.push('-P', o.password);
  return new Promise((resolve, reject) => {
    execFile('mosquitto_pub', args, { timeout: 15_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`mosquitto_pub failed: ${err.message} ${stderr}`));
      else resolve();
    });
  });
}

export interface MosquittoSubOptions {
  port: number;
  host?: string;
  topic: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Messages to wait for. @defaultValue 1 */
  count?: number;
  /** Seconds to wait before giving up. @defaultValue 10 */
  timeoutS?: number;
}

/**
 * Subscribes with Debian's mosquitto_sub (package mosquitto-clients) and resolves with the payloads of the
 * first `count` messages, or rejects with its exit status and stderr (e.g. a refused connection).
 */
export function mosquittoSub(o: MosquittoSubOptions): Promise<string[]> {
  const args = ['-h', o.host ?? '127.0.0.1', '-p', String(o.port), '-t', o.topic, '-i', o.clientId, '-V', 'mqttv311', '-C', String(o.count ?? 1), '-W', String(o.timeoutS ?? 10), '-q', '1'];
  if (o.username !== undefined) args.push('-u', o.username);
  if (o.password !== undefined) args.push('-P', o.password);
  return new Promise((resolve, reject) => {
    execFile('mosquitto_sub', args, { timeout: ((o.timeoutS ?? 10) + 5) * 1000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`mosquitto_sub failed: ${err.message} ${stderr}`));
      else resolve(stdout.split('\n').filter((l) => l !== ''));
    });
  });
}
export { makeTestPki } from './pki.js';
export { startExchangeReceiver, type ExchangeReceiver } from './exchange-receiver.js';
export { freePort, startHaproxy, startMosquitto, startRedis, type RunningHaproxy } from './servers.js';
