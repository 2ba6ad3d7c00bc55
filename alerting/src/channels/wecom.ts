import type { ChannelAddress } from '@liftwatch/contract';
import { createJsonPoster, markdownText, type AlertChannel, type AlertNotification } from './channel.js';
import { robotAnswer, type RobotOptions } from './dingtalk.js';

/** WeCom answers errcode 45009 when a robot sends more than 20 messages a minute; -1 is "system busy". */
const WECOM_TRANSIENT = new Set([45009, -1]);

/**
 * A WeCom (企业微信) group robot: POST `{ msgtype: "markdown", markdown: { content } }` to
 * `…/cgi-bin/webhook/send?key=…`. The key in the URL is the robot's only credential (WeCom robots
 * have no signing); markdown content is at most 4096 bytes.
 */
export function createWecomChannel(options: RobotOptions = {}): AlertChannel {
  const poster = createJsonPoster('wecom', { timeoutMs: options.timeoutMs ?? 10_000 });
  return {
    kind: 'wecom',
    async send(n: AlertNotification, to: ChannelAddress): Promise<void> {
      let content = markdownText(n);
      while (Buffer.byteLength(content) > 4096) content = content.slice(0, -64);
      const answer = await poster.post(to.to, { msgtype: 'markdown', markdown: { content } }) as { errcode?: number; errmsg?: string };
      robotAnswer('wecom', to.to, answer, WECOM_TRANSIENT);
    },
    async close() { poster.close(); },
  };
}
