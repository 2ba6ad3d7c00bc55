import { Counter, Gauge, type Registry } from 'prom-client';
import type { ModelServing } from '@liftwatch/models';

type Figures = ReturnType<ModelServing['metrics']>;

/**
 * /metrics of the models and the health score, read at scrape time: how far scoring lags behind the
 * records, how fast lifts are scored and how long a full round takes, raises per model version, the
 * distributions of health grades, health scores and each model's score, and the feature states' memory.
 */
export function registerModelMetrics(registry: Registry, read: () => Figures): void {
  let figures: { at: number; f: Figures } | undefined;
  /** One read per scrape, shared by the metrics below. */
  const get = (): Figures => {
    const t = performance.now();
    if (figures === undefined || t - figures.at > 1_000) figures = { at: t, f: read() };
    return figures.f;
  };
  const gauge = (name: string, help: string, value: (f: Figures) => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(value(get())); } });
  gauge('liftwatch_model_scoring_lag_seconds', 'How long the oldest lift due for rescoring after new records has waited (its minimum interval passed)', (f) => f.loop.lagS);
  gauge('liftwatch_model_round_seconds', 'Time the last full round took to rescore every lift (NaN before the first round ends)', (f) => f.loop.lastRoundS);
  gauge('liftwatch_model_lifts_scored_per_second', 'Lifts scored per second over the last 10 s or more (features, models and health score)', (f) => f.loop.perS);
  gauge('liftwatch_model_lifts_waiting', 'Lifts with new records waiting to be rescored', (f) => f.loop.waiting);
  gauge('liftwatch_model_feature_states', 'Lifts whose streaming feature state is in memory', (f) => f.featureStates.resident);
  gauge('liftwatch_model_feature_state_bytes', 'Bytes held for feature states (the arena: about 4 KB a lift)', (f) => f.featureStates.arenaBytes);
  new Counter({ name: 'liftwatch_model_lifts_scored_total', help: 'Lifts scored (features, models and health score), for records and in rounds', labelNames: ['why'], registers: [registry], collect() {
    this.reset();
    const f = get();
    this.inc({ why: 'records' }, f.loop.fromRecords);
    this.inc({ why: 'round' }, f.loop.fromRound);
  } });
  new Counter({ name: 'liftwatch_model_alerts_raised_total', help: 'Predicted alerts raised, by model and version', labelNames: ['model', 'version'], registers: [registry], collect() {
    this.reset();
    for (const [key, n] of Object.entries(get().alertsRaised)) { const [model, version] = key.split('@'); this.inc({ model: model!, version: version! }, n); }
  } });
  new Gauge({ name: 'liftwatch_model_score_lifts', help: 'Lifts by their latest score of each model, in bins 0.1 wide (le: upper bound)', labelNames: ['model', 'le'], registers: [registry], collect() {
    this.reset();
    for (const [model, bins] of Object.entries(get().risk)) bins.forEach((n, i) => this.set({ model, le: ((i + 1) / 10).toFixed(1) }, n));
  } });
  new Gauge({ name: 'liftwatch_health_lifts', help: 'Lifts by health grade (none: no grade yet)', labelNames: ['grade'], registers: [registry], collect() {
    this.reset();
    for (const [grade, n] of Object.entries(get().health?.grades ?? {})) this.set({ grade }, n);
  } });
  new Gauge({ name: 'liftwatch_health_score_lifts', help: 'Lifts by health score, in bins 10 points wide (le: upper bound)', labelNames: ['le'], registers: [registry], collect() {
    this.reset();
    (get().health?.bins ?? []).forEach((n, i) => this.set({ le: String((i + 1) * 10) }, n));
  } });
}
