import { describe, expect, it } from 'vitest';
import type { Person } from '@liftwatch/contract';
import { maskUrl, personView, withStoredSecrets } from '../src/api/channel-secrets.js';

const stored: Person = {
  id: 'p1', name: 'Wang', orgId: 'mu-A', severities: ['P1'], quietHours: null,
  channels: [
    { kind: 'dingtalk', to: 'https://oapi.dingtalk.com/robot/send?access_token=abc123', secret: 'SEC-ding' },
    { kind: 'wecom', to: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-1' },
    { kind: 'webhook', to: 'https://hooks.example.org/lift', secret: 'hmac-key' },
    { kind: 'sms', to: '+8613800000000' },
  ],
};

describe('channel secrets are write-only', () => {
  it('shows secretSet and masks credentials in robot URLs, never the values', () => {
    const view = personView(stored);
    expect(JSON.stringify(view)).not.toMatch(/SEC-ding|abc123|wecom-key-1|hmac-key/);
    expect(view.channels).toEqual([
      { kind: 'dingtalk', to: 'https://oapi.dingtalk.com/robot/send?access_token=***', secretSet: true },
      { kind: 'wecom', to: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***', secretSet: false },
      { kind: 'webhook', to: 'https://hooks.example.org/lift', secretSet: true },
      { kind: 'sms', to: '+8613800000000', secretSet: false },
    ]);
    expect(maskUrl('https://user:pw@hooks.example.org/x?token=t&a=1')).toBe('https://user:***@hooks.example.org/x?token=***&a=1');
  });

  it('a PUT of what a GET showed keeps the stored secrets and URLs; "" removes a secret; a new URL starts without one', () => {
    const back = withStoredSecrets({ ...personView(stored), name: 'Wang Wei' }, stored) as Person;
    expect(back.channels).toEqual(stored.channels);
    const removed = withStoredSecrets({ channels: [{ kind: 'webhook', to: 'https://hooks.example.org/lift', secret: '' }] }, stored) as Person;
    expect(removed.channels).toEqual([{ kind: 'webhook', to: 'https://hooks.example.org/lift' }]);
    const replaced = withStoredSecrets({ channels: [{ kind: 'webhook', to: 'https://hooks.example.org/other' }] }, stored) as Person;
    expect(replaced.channels).toEqual([{ kind: 'webhook', to: 'https://hooks.example.org/other' }]);
    expect(() => withStoredSecrets({ channels: [{ kind: 'wecom', to: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***' }] }, undefined))
      .toThrow(/masked credentials \(\*\*\*\) but is none of this person's stored wecom channels: give the full URL/);
  });
});
