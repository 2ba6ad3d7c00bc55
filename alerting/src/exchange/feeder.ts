import type { ExchangeType } from '@liftwatch/contract';
import type { AlertAuditLine, OutboxWrite, StateStore } from '@liftwatch/state-store';
import { auditMessageKind, exchangeKeys, faultMessage, liftMessage, rescueMessage, visitMessage } from './payloads.js';
import type { RescueLimits } from './stages.js';

export interface FeederOptions {
  /** Which messages to send; the others are skipped (their feeds still move on). */
  readonly types: ReadonlySet<ExchangeType>;
  readonly limits: RescueLimits;
  readonly now: () => number;
}

/** Lines read again below a feed's position, in case a transaction that took an earlier id or time committed after the last read (PostgreSQL). */
const AUDIT_OVERLAP_IDS = 1000;
const REGISTRY_OVERLAP_MS = 60_000;
const PAGE = 500;
/** Pages one feed reads per round; the rest waits for the next round. */
const PAGES = 20;

/**
 * Fills the outbox from the shared state, as three feeds that each remember how far they read
 * (exchange_cursors), so nothing written while liftwatch was stopped or a node was down is missed:
 * - the alert audit (append-only): a fault opened or closed, every stage of an entrapment's rescue;
 * - the lift registry, by the time an admin changed an entry (all entries at the first round);
 * - maintenance visits, by id, once each has ended (from the time the exchange was turned on).
 * A feed reads a little below its position again; the idempotency keys make that harmless, and make
 * two nodes feeding at once add each message once.
 */
export function createExchangeFeeder(state: StateStore, options: FeederOptions) {
  const { outbox, exchangeSources: sources } = state;
  const wanted = (m: OutboxWrite) => options.types.has(m.type as ExchangeType);
  const fresh = async (keys: readonly string[]) => {
    const known = await outbox.known(keys);
    return (key: string) => !known.has(key);
  };

  async function feedAudit(): Promise<number> {
    let position = await outbox.cursor('audit');
    if (position === undefined) {
      // Turned on now: the alerts of before are not sent.
      await outbox.add([], options.now(), { name: 'audit', position: await sources.lastAuditId() });
      return 0;
    }
    let added = 0;
    let from = Math.max(0, position - AUDIT_OVERLAP_IDS);
    for (let page = 0; page < PAGES; page++) {
      const lines = await sources.auditAfter(from, PAGE);
      if (lines.length === 0) break;
      const kinds = lines.map((l) => ({ line: l, kind: auditMessageKind(l) }));
      const isNew = await fresh(kinds.flatMap((k) => (k.kind ? [k.kind.key] : [])));
      // A rescue message carries the whole rescue as it stands: of several lines of one entrapment read at once, the last says it all.
      const lastOfRescue = new Map<number, number>();
      for (const { line, kind } of kinds) if (kind?.type === 'rescue') lastOfRescue.set(line.alertId, line.auditId);
      const messages: OutboxWrite[] = [];
      for (const { line, kind } of kinds) {
        if (!kind || !isNew(kind.key) || !options.types.has(kind.type)) continue;
        if (kind.type === 'rescue' && lastOfRescue.get(line.alertId) !== line.auditId) continue;
        messages.push(kind.type === 'fault' ? faultMessage(line) : await rescueOf(line));
      }
      from = lines.at(-1)!.auditId;
      position = Math.max(position, from);
      added += (await outbox.add(messages, options.now(), { name: 'audit', position })).length;
      if (lines.length < PAGE) break;
    }
    return added;
  }

  async function rescueOf(line: AlertAuditLine): Promise<OutboxWrite> {
    const [audit, calls] = await Promise.all([sources.auditOf(line.alertId), state.rescueCalls.ofAlerts([line.alertId])]);
    return rescueMessage(line, audit, calls, options.limits, options.now());
  }

  async function feedRegistry(): Promise<number> {
    const position = (await outbox.cursor('registry')) ?? 0;
    const names = new Map((await state.crew.listOrgs()).map((o) => [o.id, o.name]));
    const orgName = (id: string | null) => (id === null ? null : names.get(id) ?? id);
    let after = { at: Math.max(0, position - REGISTRY_OVERLAP_MS), liftId: '' };
    let added = 0;
    for (let page = 0; page < PAGES; page++) {
      const entries = await sources.registryChangedAfter(after, PAGE);
      if (entries.length === 0) break;
      const isNew = await fresh(entries.map((e) => exchangeKeys.lift(e.liftId, e.updatedAt)));
      const sent = await outbox.subjectsWith('lift', entries.map((e) => e.liftId));
      const messages = entries.filter((e) => isNew(exchangeKeys.lift(e.liftId, e.updatedAt))).map((e) => liftMessage(e, !sent.has(e.liftId), orgName)).filter(wanted);
      const last = entries.at(-1)!;
      after = { at: last.updatedAt, liftId: last.liftId };
      added += (await outbox.add(messages, options.now(), { name: 'registry', position: last.updatedAt })).length;
      if (entries.length < PAGE) break;
    }
    return added;
  }

  async function feedVisits(): Promise<number> {
    const now = options.now();
    const position = await outbox.cursor('visits');
    if (position === undefined) {
      await outbox.add([], now, { name: 'visits', position: (await sources.lastVisitId()) + 1 });
      return 0;
    }
    // The feed's position is the first visit not ended yet: visits after it that ended are sent now, it later.
    let from = position;
    let firstOpen: number | undefined;
    const messages: OutboxWrite[] = [];
    for (let page = 0; page < PAGES; page++) {
      const visits = await sources.visitsFrom(from, PAGE);
      if (visits.length === 0) break;
      const isNew = await fresh(visits.map((v) => exchangeKeys.visit(v.id)));
      for (const v of visits) {
        const endedAt = v.endedAt ?? (v.endsBy <= now ? v.endsBy : null);
        if (endedAt === null) firstOpen ??= v.id;
        else if (isNew(exchangeKeys.visit(v.id))) messages.push(visitMessage(v, endedAt));
      }
      from = visits.at(-1)!.id + 1;
      if (visits.length < PAGE) break;
    }
    return (await outbox.add(messages.filter(wanted), now, { name: 'visits', position: firstOpen ?? from })).length;
  }

  return {
    /** One round of every feed; returns the messages added. */
    async feed(): Promise<number> {
      return (await feedAudit()) + (await feedRegistry()) + (await feedVisits());
    },
  };
}
export type ExchangeFeeder = ReturnType<typeof createExchangeFeeder>;
