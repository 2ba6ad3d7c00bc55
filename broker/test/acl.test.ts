import { describe, expect, it } from 'vitest';
import { liftTopic } from '@liftwatch/contract';
import { mayPublish, maySubscribe } from '../src/acl.js';
import type { Principal } from '../src/terminal-registry.js';

const t1: Principal = { id: 'T-L1', role: 'terminal', liftId: 'L1' };
const ingest: Principal = { id: 'svc-ingest', role: 'ingest', liftId: null };
const dash: Principal = { id: 'svc-dash', role: 'dashboards', liftId: null };
const anon: Principal = { id: 'whoever', role: 'anonymous', liftId: null };

describe('who may publish where', () => {
  it('a terminal publishes every up stream of its own lift', () => {
    for (const s of ['status', 'trip', 'door', 'fault', 'alarm', 'env', 'counters', 'device', 'registry', 'wave', 'presence'] as const) {
      expect(mayPublish(t1, liftTopic('L1', s)), s).toBeNull();
    }
  });

  it('a terminal may not speak for another lift, nor send what only the platform sends, nor use unknown streams or topics', () => {
    expect(mayPublish(t1, liftTopic('L2', 'alarm'))).toBe('terminal T-L1 speaks for lift L1 and may not publish to lift/v1/L2/alarm, a topic of lift L2');
    expect(mayPublish(t1, liftTopic('L1', 'config'))).toMatch(/stream config goes from the platform to the terminal/);
    expect(mayPublish(t1, liftTopic('L1', 'cmd'))).toMatch(/may not publish/);
    expect(mayPublish(t1, 'lift/v1/L1/bogus')).toMatch(/stream "bogus" is unknown/);
    expect(mayPublish(t1, 'factory/reset')).toMatch(/not a liftwatch topic/);
    expect(mayPublish(t1, 'lift/v1/L1/status/extra')).toMatch(/has 5 levels/);
  });

  it('the dashboards account sends config and cmd to any lift; ingest publishes nothing; anonymous sends up streams only', () => {
    expect(mayPublish(dash, liftTopic('L9', 'config'))).toBeNull();
    expect(mayPublish(dash, liftTopic('L9', 'status'))).toMatch(/sends only config and cmd/);
    expect(mayPublish(ingest, liftTopic('L9', 'status'))).toMatch(/only subscribes/);
    expect(mayPublish(anon, liftTopic('L9', 'status'))).toBeNull();
    expect(mayPublish(anon, liftTopic('L9', 'cmd'))).toMatch(/anonymous client may not publish/);
  });
});

describe('who may subscribe to what', () => {
  it('a terminal reads only its own config and cmd, without wildcards', () => {
    expect(maySubscribe(t1, liftTopic('L1', 'config'))).toBeNull();
    expect(maySubscribe(t1, liftTopic('L1', 'cmd'))).toBeNull();
    for (const f of ['#', 'lift/#', 'lift/v1/+/config', 'lift/v1/L1/+', liftTopic('L2', 'config'), liftTopic('L1', 'status'), '$SYS/#', '$share/g/lift/v1/L1/config']) {
      expect(maySubscribe(t1, f), f).toMatch(/may subscribe only to its own lift's config and cmd topics/);
    }
  });

  it('service accounts read every lift, but not the broker\'s $SYS topics', () => {
    expect(maySubscribe(ingest, 'lift/v1/+/+')).toBeNull();
    expect(maySubscribe(ingest, '$share/ingest/lift/v1/+/+')).toMatch(/may subscribe only under lift\//);
    expect(maySubscribe(dash, 'lift/#')).toBeNull();
    expect(maySubscribe(ingest, '$SYS/#')).toMatch(/may subscribe only under lift\//);
  });

  it('an anonymous client reads a named lift\'s config and cmd only', () => {
    expect(maySubscribe(anon, liftTopic('L5', 'config'))).toBeNull();
    expect(maySubscribe(anon, 'lift/v1/+/config')).toMatch(/anonymous client/);
    expect(maySubscribe(anon, '#')).toMatch(/anonymous client/);
  });
});
