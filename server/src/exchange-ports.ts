import { createHash, timingSafeEqual } from 'node:crypto';
import { createRescueLine, envelopeOf, type Alerting } from '@liftwatch/alerting';
import type { ExchangePort, RescueLinePort, StatisticsPort } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';
import type { AllInOneConfig } from './config.js';
import { rescueLimits } from './roles/exchange.js';

/** The outbox as the dashboards show it, on any node: the nodes with the alerting role send it. */
export function exchangePort(state: StateStore, config: Readonly<AllInOneConfig>): ExchangePort {
  return {
    settings: {
      enabled: config.exchangeUrl !== '', host: config.exchangeUrl ? new URL(config.exchangeUrl).host : null,
      types: config.exchangeTypes.split(',').filter((t) => t !== ''), timeZone: config.timeZone,
    },
    backlog: () => state.outbox.backlog(),
    list: (filter) => state.outbox.list(filter),
    async get(id) {
      const m = await state.outbox.get(id);
      if (!m) return undefined;
      const { payload: _payload, ...view } = m;
      return { ...view, body: envelopeOf(m, config.timeZone) };
    },
    retry: (id) => state.outbox.retry(id, Date.now()),
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Rescue-line calls over alerting, and the check of the line's token (compared in constant time). */
export function rescueLinePort(state: StateStore, alerting: Alerting, config: Readonly<AllInOneConfig>, now?: () => number): RescueLinePort {
  const line = createRescueLine({ state, alerting, limits: rescueLimits(config), ...(now ? { now } : {}) });
  const expected = config.rescueLineToken === '' ? undefined : digest(config.rescueLineToken);
  return {
    ...line,
    acceptsToken: (token) => expected !== undefined && token !== undefined && timingSafeEqual(digest(token), expected),
  };
}

/** The regulator's statistics over the state store, in the settings' time zone; maintenance is due every 15 days (Regulation on Special Equipment Safety Supervision, Art. 31). */
export function statisticsPort(state: StateStore, config: Readonly<AllInOneConfig>): StatisticsPort {
  return {
    settings: { timeZone: config.timeZone, arrivalLimitMin: config.rescueArrivalLimitMin, maintenanceDays: 15 },
    lifts: () => state.statistics.lifts(),
    alerts: (from, to, codes) => state.statistics.alerts(from, to, codes),
    overdueMaintenance: (now) => state.maintenance.overdue(now),
    overdueInspections: (day) => state.inspections.dueBefore(day),
  };
}
