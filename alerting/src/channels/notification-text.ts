import { localTime } from '../exchange/payloads.js';
import type { AlertNotification } from './channel.js';

/**
 * The words of a notification in the recipient's language: which lift (its name and address), what,
 * why, when in the recipient's local time, and the link that opens the alert in the console. The
 * escalation policy's step label (`cause`) is the organisation's own text and is sent as written.
 */

const STATE_ZH: Readonly<Record<string, string>> = { open: '待确认', acknowledged: '已确认', onSite: '已到场', resolved: '已解决', falseAlarm: '误报' };
const STATE_EN: Readonly<Record<string, string>> = { open: 'open', acknowledged: 'acknowledged', onSite: 'on site', resolved: 'resolved', falseAlarm: 'false alarm' };

const zh = (n: AlertNotification) => n.language !== 'en';
/** The lift's name and address, as far as known ('' when neither). */
export const liftPlace = (n: AlertNotification): string => [n.liftName, n.address].filter((x): x is string => !!x).join(zh(n) ? '，' : ', ');
/** The lift as a person finds it: its name and address when known, and its id. */
function liftLine(n: AlertNotification): string {
  const where = liftPlace(n);
  if (zh(n)) return where ? `电梯 ${n.liftId}（${where}）` : `电梯 ${n.liftId}`;
  return where ? `lift ${n.liftId} (${where})` : `lift ${n.liftId}`;
}
const name = (n: AlertNotification) => (zh(n) ? n.nameZh : n.nameEn);
const state = (n: AlertNotification) => (zh(n) ? STATE_ZH : STATE_EN)[n.state] ?? n.state;
export const opened = (n: AlertNotification): string => (zh(n) ? `开启时间 ${localTime(n.openedAt, n.timeZone)}（${n.timeZone}）` : `opened ${localTime(n.openedAt, n.timeZone)} (${n.timeZone})`);
const link = (n: AlertNotification) => (n.link ? (zh(n) ? `查看：${n.link}` : `Open: ${n.link}`) : '');

/** One text for SMS and robots: severity, lift, what, why, when, link, then the step that sent it and the alert's state. */
export function shortText(n: AlertNotification): string {
  const l = link(n);
  // What a crew needs first comes first: an SMS gateway may cut the end of a long text.
  if (!zh(n)) return `[liftwatch ${n.severity}] ${liftLine(n)}: ${name(n)} (${n.code}). ${n.reason}. ${opened(n)}.${l ? ` ${l}.` : ''} ${n.cause}. Alert #${n.alertId}, ${n.occurrences}×, ${state(n)}.`;
  return `【liftwatch ${n.severity}】${liftLine(n)}：${name(n)}（${n.code}）。${n.reason}。${opened(n)}。${l ? `${l}。` : ''}${n.cause}。告警 #${n.alertId}，${n.occurrences} 次，${state(n)}。`;
}

/** Markdown for the DingTalk and WeCom robots. */
export function markdownText(n: AlertNotification): string {
  const lines = zh(n)
    ? [`### ${n.severity} ${name(n)}`, `**${liftLine(n)}** · **代码** ${n.code} · **告警** #${n.alertId}（${n.occurrences} 次，${state(n)}）`]
    : [`### ${n.severity} ${name(n)}`, `**${liftLine(n)}** · **code** ${n.code} · **alert** #${n.alertId} (${n.occurrences}×, ${state(n)})`];
  lines.push(`> ${n.reason}`, n.cause, opened(n));
  if (n.link) lines.push(zh(n) ? `[在控制台查看](${n.link})` : `[Open in the console](${n.link})`);
  return lines.join('\n\n');
}

/** The subject and body of an e-mail. */
export function mailText(n: AlertNotification): { subject: string; text: string } {
  return zh(n)
    ? { subject: `【${n.severity}】${liftLine(n)}：${name(n)}（告警 #${n.alertId}）`, text: `${shortText(n)}\n` }
    : { subject: `[${n.severity}] ${name(n)} on ${liftLine(n)} (alert #${n.alertId})`, text: `${shortText(n)}\n` };
}
