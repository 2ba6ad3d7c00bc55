// The pages of the registry, maintenance, statistics and rescue-call screens, for the console's router (main.js).
import { overduePage } from './overdue.js';
import { rescueCallsPage } from './rescue-calls.js';
import { registryEntryPage } from './registry-entry.js';
import { registryPage } from './registry.js';
import { monthListPage, nowListPage } from './stat-lists.js';
import { statisticsPage } from './statistics.js';
import { workOrderPage, workOrdersPage } from './work-orders.js';

export { workOrderButton } from './work-orders.js';

const PAGES = {
  registry: (arg, ctx) => (arg ? registryEntryPage(decodeURIComponent(arg), ctx) : registryPage(ctx)),
  'work-orders': (_, ctx) => workOrdersPage(ctx),
  'work-order': (arg, ctx) => workOrderPage(Number(arg), ctx),
  overdue: (_, ctx) => overduePage(ctx),
  statistics: (_, ctx) => statisticsPage(ctx),
  'statistics-list': (_, ctx) => monthListPage(ctx),
  'statistics-now': (_, ctx) => nowListPage(ctx),
  'rescue-calls': (_, ctx) => rescueCallsPage(ctx),
};

/** The pages these screens answer. */
export const registryPages = new Set(Object.keys(PAGES));

/** The nodes of `#/<page>/<arg>`, one of `registryPages`. `ctx`: { h, api, me }. */
export const registryRoute = (page, arg, ctx) => PAGES[page](arg, ctx);
