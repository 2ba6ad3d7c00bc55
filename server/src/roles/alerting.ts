import {
  createAlerting, createBullmqJobQueue, createDingtalkChannel, createEmailChannel, createSmsChannel, createSqliteJobQueue, createWebhookChannel, createWecomChannel,
  type AlertChannel, type Alerting, type JobQueue,
} from '@liftwatch/alerting';
import { lwError } from '@liftwatch/contract';
import type { UserStore } from '@liftwatch/dashboards';
import type { AllInOneConfig } from '../config.js';
import { consoleUrlOf, liftLabels } from '../lift-labels.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

/**
 * The alert lifecycle over the state store, which every node that raises, shows or escalates alerts
 * builds: ingest raises, the dashboards show and move alerts. Only with the alerting role does it
 * run the escalation timers and deliveries. Every alert change goes to the change feed, with its
 * lift (whose open alerts changed); alerts changed on other nodes are counted here as they arrive.
 */
export function startAlerting(config: Readonly<AllInOneConfig>, { roles, log, node }: Shared & { node: NodeState }): Promise<Part<Alerting>> {
  return part(log, async (defer) => {
    const { state, feed, users } = node;
    const alerting = createAlerting({
      state, queue: alertQueue(config, node, roles, log), channels: alertChannels(config), admins: () => enabledAdmins(users), log,
      backend: { maxVisitMs: config.maintenanceMaxMin * 60_000, soleNode: !node.shared },
      escalation: { timeZone: config.timeZone, consoleUrl: consoleUrlOf(config, node.later) }, describeLift: liftLabels(state, node.later),
      onChange: (alert) => {
        feed.publish({ kind: 'alert', alert });
        feed.publish({ kind: 'lifts', liftIds: [alert.liftId] });
      },
    });
    defer(() => alerting.close());
    await alerting.ready();
    defer(feed.subscribeRemote((c) => {
      if (c.kind === 'alert') alerting.heard(c.alert);
    }));
    if (roles.has('alerting')) alerting.start();
    else if (roles.has('ingest') && !node.shared) {
      log('liftwatch: warning: ingest without alerting and without --state-url: alerts raised here stay in this node\'s SQLite and nobody escalates them; add alerting to --roles, or share the state (--state-url, --redis-url) with an alerting node');
    }
    return alerting;
  });
}

/**
 * Where escalation timers and deliveries wait. Several nodes (shared state on PostgreSQL) that raise
 * or escalate alerts need BullMQ on Redis: the local queue in SQLite is per node, so each node
 * would fire each timer. `alertRedisUrl`, else `redisUrl`; empty = the local queue.
 */
export function alertQueueUrl(config: Pick<AllInOneConfig, 'alertRedisUrl' | 'redisUrl'>, dialect: 'sqlite' | 'postgres' | undefined, roles: ReadonlySet<string>): string {
  if (dialect !== 'postgres') return config.alertRedisUrl;
  const url = config.alertRedisUrl || config.redisUrl;
  const raising = [...roles].filter((r) => r === 'alerting' || r === 'ingest');
  if (url === '' && raising.length > 0) {
    throw lwError('LW_ERR_CONFIG_INVALID', `the state is shared in PostgreSQL (--state-url) and this node runs ${raising.join(' and ')}, but no Redis is given for the alert queue: `
      + 'give --redis-url (or --alert-redis-url) so that escalation timers and deliveries are shared by the nodes; the local queue in SQLite is per node, so every node would fire every timer');
  }
  return url;
}

/** BullMQ on Redis when one is given (alertQueueUrl), else the local durable queue in the node's SQLite file. */
function alertQueue(config: Readonly<AllInOneConfig>, node: NodeState, roles: ReadonlySet<string>, log: (line: string) => void): JobQueue {
  const url = alertQueueUrl(config, node.state.dialect, roles);
  if (url === '') return createSqliteJobQueue(node.db, { table: 'alert_jobs' });
  const u = new URL(url);
  return createBullmqJobQueue({
    host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), reconnectMaxMs: config.alertRedisReconnectMaxMs,
    onReconnect: (attempt, delayMs) => {
      // Once when a connection is lost, then once a minute or so: an outage must be seen, not flood the log.
      if (attempt === 1 || attempt % 60 === 0) log(`liftwatch: alert queue: Redis at ${u.host} unreachable (reconnect ${attempt}, next in ${delayMs} ms); escalations and deliveries wait and go out when it is back`);
    },
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}), ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  });
}

/** Alert channels from the settings: webhook and robots always; e-mail and SMS when configured (the console channel is built in). */
function alertChannels(config: Readonly<AllInOneConfig>): Record<string, AlertChannel> {
  const channels: Record<string, AlertChannel> = { webhook: createWebhookChannel(), dingtalk: createDingtalkChannel(), wecom: createWecomChannel() };
  if (config.alertSmtpUrl) channels.email = createEmailChannel({ smtpUrl: config.alertSmtpUrl, from: config.alertEmailFrom });
  if (config.alertSmsUrl) channels.sms = createSmsChannel({ url: config.alertSmsUrl, token: config.alertSmsToken || undefined });
  return channels;
}

/** The admins who may use the console now: the last fallback of a P1 that reaches nobody else. */
async function enabledAdmins(users: UserStore): Promise<Array<{ id: string; name: string }>> {
  return (await users.list()).filter((u) => u.role === 'admin' && !u.disabled).map((u) => ({ id: u.id, name: u.name }));
}
