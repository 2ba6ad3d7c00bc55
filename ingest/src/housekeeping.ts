import { errorText } from '@liftwatch/contract';
import type { BatchWriter } from './batch-writer.js';
import type { IngestConfig } from './config.js';
import type { Detection, Detector, ServerTime } from './detect/detector.js';
import type { RuleStateSync } from './rule-state-sync.js';
import type { Stores } from './stores.js';

export interface HousekeepingOptions {
  readonly cfg: IngestConfig;
  readonly detector: Detector;
  /** Where the detections of the timers go (pipeline/raise.ts). */
  readonly act: (detections: Detection[]) => void;
  readonly writer: BatchWriter;
  readonly stores: Stores;
  readonly ruleState: RuleStateSync;
  readonly serverTime: () => ServerTime;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/**
 * The timers of ingest: the safety rules' sweep (an entrapment timer runs on when its terminal falls
 * silent), every `sweepIntervalMs`; the lift summaries' checkpoint in quiet periods and the rules'
 * memory of changed lifts saved, every `ruleStateSaveMs`; retention of records, rollups and dead
 * letters, at start and every `retentionIntervalMs`. Failures are logged; the next run tries again.
 */
export function startHousekeeping(o: HousekeepingOptions) {
  const { cfg, writer, stores, now, log } = o;

  const sweepTimer = setInterval(() => o.act(o.detector.sweep(o.serverTime())), cfg.sweepIntervalMs);
  sweepTimer.unref();

  const checkpointAndSave = (): void => {
    writer.checkpointIdle(false).catch((err: unknown) => log(`ingest: lift summary checkpoint failed (the next one retries): ${errorText(err)}`));
    o.ruleState.save();
  };
  const saveTimer = setInterval(checkpointAndSave, cfg.ruleStateSaveMs ?? 5_000);
  saveTimer.unref();

  const retain = (): void => {
    const before = now() - stores.deadLetters.limits.days * 86_400_000;
    writer.add([{ kind: 'retainDeadLetters', before }]).catch((err: unknown) => log(`ingest: dead-letter retention failed (the next run retries): ${String(err)}`));
    stores.retainTelemetry(now())?.then(({ rawDeleted, rollupsDeleted }) => {
      if (rawDeleted + rollupsDeleted > 0) log(`ingest: retention removed ${rawDeleted} raw records and ${rollupsDeleted} rollup rows`);
    }, (err: unknown) => log(`ingest: retention failed (the next run retries): ${errorText(err)}`));
  };
  retain();
  const retentionTimer = setInterval(retain, cfg.retentionIntervalMs ?? 3_600_000);
  retentionTimer.unref();

  return {
    stop(): void {
      clearInterval(sweepTimer);
      clearInterval(retentionTimer);
      clearInterval(saveTimer);
    },
  };
}
