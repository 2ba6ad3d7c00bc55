import { describe, expect, it } from 'vitest';
import type { ChannelAddress } from '@liftwatch/contract';
import type { AlertChannel, AlertNotification } from '../src/channels/channel.js';
import type { Mode } from './receivers.js';

/** What the suite needs from each adapter's test: the channel, an address at a real receiver, and what the receiver got. */
export interface ChannelUnderTest {
  channel: AlertChannel;
  to: ChannelAddress;
  setMode(mode: Mode): void;
  /** What the receiver accepted, as text it shows the crew plus the idempotency key if the channel carries one. */
  received(): Array<{ text: string; key: string | undefined }>;
  /** Whether the channel carries an idempotency key (robots do not). */
  carriesKey: boolean;
  /** Whether its receiver can refuse for good (the console's log cannot: it is down or written). @defaultValue true */
  canRefuse?: boolean;
}

export const SAMPLE: AlertNotification = {
  alertId: 42, liftId: 'HZ-0001', code: 'E01', nameEn: 'Entrapment (trapped at a landing or between floors)', nameZh: '困人（平层关人 / 非平层关人）',
  severity: 'P1', state: 'open', reason: 'Alarm button pressed in the car at floor 3', language: 'en', openedAt: Date.UTC(2026, 0, 1), occurrences: 2,
  timeZone: 'Asia/Shanghai', liftName: 'Building 3 east car', address: '12 Wensan Road, Hangzhou', link: 'https://lifts.example.org/#/alert/42',
  cause: 'P1 entrapment: on-call crew notified at once', recipient: { id: 'crew-1', name: 'Wang Wei' },
};
/** The same notification for a recipient who reads Chinese (the default language). */
export const SAMPLE_ZH: AlertNotification = { ...SAMPLE, language: 'zh-CN', reason: '轿厢内按下报警按钮，3 层', liftName: '3 号楼东梯', address: '杭州市文三路 12 号' };

/** The one contract suite of the alert-channel port (docs/conventions.md#8-ports-and-their-contract-suites), run against every adapter with a real receiver. */
export function channelContract(name: string, setup: () => ChannelUnderTest): void {
  describe(`alert channel contract: ${name}`, () => {
    it('delivers a P1 notification with lift, code, severity and reason, in the receiver\'s documented format', async () => {
      const t = setup();
      t.setMode('ok');
      const before = t.received().length;
      await t.channel.send(SAMPLE, t.to, 'dlv.42.step0.crew-1.x');
      const got = t.received().slice(before);
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toContain('HZ-0001');
      expect(got[0]!.text).toContain('E01');
      expect(got[0]!.text).toContain('P1');
      expect(got[0]!.text).toContain('Alarm button pressed in the car at floor 3');
      if (t.carriesKey) expect(got[0]!.key).toContain('dlv.42.step0.crew-1.x');
    });

    it('speaks the recipient\'s language: a recipient who reads Chinese gets the Chinese name and reason', async () => {
      const t = setup();
      t.setMode('ok');
      const before = t.received().length;
      await t.channel.send(SAMPLE_ZH, t.to, 'dlv.42.step0.crew-1.zh');
      const [got] = t.received().slice(before);
      expect(got!.text).toContain('轿厢内按下报警按钮，3 层');
      expect(got!.text).toContain('困人');
      expect(got!.text).not.toContain('Alarm button pressed');
      expect(got!.text).toContain('3 号楼东梯');
      expect(got!.text).toContain('杭州市文三路 12 号');
      expect(got!.text).toContain('2026-01-01 08:00'); // midnight UTC is 08:00 in Shanghai
    });

    it('sends the same idempotency key again on a resend, so the receiver can keep one', async () => {
      const t = setup();
      if (!t.carriesKey) return; // DingTalk and WeCom robots take no key (see their adapters)
      t.setMode('ok');
      const before = t.received().length;
      await t.channel.send(SAMPLE, t.to, 'dlv.42.resend');
      await t.channel.send(SAMPLE, t.to, 'dlv.42.resend');
      const keys = t.received().slice(before).map((r) => r.key);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
    });

    it('says "do not retry" when the receiver refuses for good', async () => {
      const t = setup();
      if (t.canRefuse === false) return; // the console channel's receiver is this process's log
      t.setMode('reject');
      const err = await t.channel.send(SAMPLE, t.to, 'dlv.42.reject').then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'LW_ERR_CHANNEL_REJECTED', retryable: false });
    });

    it('says "retry" when the receiver fails for now', async () => {
      const t = setup();
      t.setMode('down');
      const err = await t.channel.send(SAMPLE, t.to, 'dlv.42.down').then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'LW_ERR_CHANNEL_UNAVAILABLE', retryable: true });
      t.setMode('ok');
    });
  });
}
