import { readFileSync } from 'node:fs';
import { createExchange, parseTargets, type Exchange, type RescueLimits } from '@liftwatch/alerting';
import { lwError, type ExchangeType } from '@liftwatch/contract';
import type { AllInOneConfig } from '../config.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

/** What rescues are timed against, from the settings. */
export function rescueLimits(config: Pick<AllInOneConfig, 'rescueArrivalLimitMin' | 'rescueTargetsMin'>): RescueLimits {
  return { arrivalMin: config.rescueArrivalLimitMin, targetsMin: parseTargets(config.rescueTargetsMin) };
}

/**
 * The exchange with the government platform (docs/government-exchange.md) on a node with the
 * alerting role, when exchangeUrl is set: feeds the outbox and sends it, at once when an alert or a
 * lift changes here or on another node, else every two seconds.
 */
export function startExchange(config: Readonly<AllInOneConfig>, { log, hooks, node, metrics }: Shared & { node: NodeState }): Promise<Part<Exchange>> {
  return part(log, (defer) => {
    let ca: Buffer | undefined;
    if (config.exchangeCaFile) {
      try {
        ca = readFileSync(config.exchangeCaFile);
      } catch (err) {
        throw lwError('LW_ERR_CONFIG_INVALID', `exchangeCaFile ${JSON.stringify(config.exchangeCaFile)} cannot be read (${(err as Error).message}): give the PEM file of the platform's CA`, err);
      }
    }
    const oauth = config.exchangeTokenUrl ? { tokenUrl: config.exchangeTokenUrl, clientId: config.exchangeClientId, clientSecret: config.exchangeClientSecret } : undefined;
    const exchange = createExchange(node.state, {
      client: { url: config.exchangeUrl, token: config.exchangeToken, oauth, ca, timeoutMs: config.exchangeTimeoutS * 1000 },
      types: new Set(config.exchangeTypes.split(',').filter((t) => t !== '') as ExchangeType[]),
      timeZone: config.timeZone, limits: rescueLimits(config),
      retryFirstMs: config.exchangeRetryFirstS * 1000, retryMaxMs: config.exchangeRetryMaxS * 1000, keepDays: config.exchangeKeepDays,
      ...(hooks.now ? { now: hooks.now } : {}), log,
    });
    defer(() => exchange.close());
    defer(node.feed.subscribe((c) => { if (c.kind !== 'sessions') exchange.kick(); }));
    metrics.from({ exchange: () => node.state.outbox.backlog() });
    exchange.start();
    log(`liftwatch: exchange with ${new URL(config.exchangeUrl).host}: ${config.exchangeTypes || 'no'} messages`);
    return exchange;
  });
}
