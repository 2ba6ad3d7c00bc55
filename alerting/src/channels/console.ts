import { lwError, type ChannelAddress } from '@liftwatch/contract';
import type { AlertChannel, AlertNotification } from './channel.js';
import { liftPlace, opened } from './notification-text.js';

export interface ConsoleChannelOptions {
  /** Where the notification goes as one line: liftwatch's log. The console's inbox reads it from the notification log. */
  readonly write: (line: string) => void;
}

/** The line a console notification writes: who, what, where, why, and the key that names the delivery. */
export function consoleLine(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): string {
  // The log's frame stays English for the operator; what the recipient reads is in their language.
  const place = liftPlace(n);
  return `liftwatch: notification for ${n.recipient.name} (${to.to}) in the console: ${n.severity} ${n.code} ${n.language === 'en' ? n.nameEn : n.nameZh} on lift ${n.liftId}${place ? ` (${place})` : ''}, `
    + `alert #${n.alertId} (${n.occurrences}×, ${n.state}): ${n.reason}. ${opened(n)}. ${n.cause}. [${idempotencyKey}]`;
}

/**
 * The built-in channel that needs no setup and no outside service: the notification is a line of
 * the log, and the console's inbox shows it beside the alert (who, when, outcome). It is the last
 * fallback of a P1 (the admins), and the channel of the simulated crews. A failing write (a full
 * disk under the log) is retried like a receiver that is down.
 */
export function createConsoleChannel(options: ConsoleChannelOptions): AlertChannel {
  return {
    kind: 'console',
    async send(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): Promise<void> {
      try {
        options.write(consoleLine(n, to, idempotencyKey));
      } catch (err) {
        throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `console notification ${idempotencyKey} could not be written to the log (${String(err)}); it is tried again`, err);
      }
    },
  };
}
