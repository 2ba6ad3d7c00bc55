import { InfluxDB, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import { lwError, measurementOf, RECORD_STREAMS, type RecordStream } from '@liftwatch/contract';
import { fromColumns, LINE_PRECISION, streamOfMeasurement, toLine } from './line-protocol.js';
import { dayOf, type Bucket, type DailyCount, type TelemetryRow, type TelemetryStore } from './telemetry-store.js';

export interface InfluxTelemetryConfig {
  /** Base URL that takes writes, e.g. http://127.0.0.1:8086. */
  readonly writeUrl: string;
  /**
   * `v2`: /api/v2/write through @influxdata/influxdb-client (InfluxDB 2.x, 3.x, 1.8+, VictoriaMetrics).
   * `v1`: /write?db= (InfluxDB 1.x before 1.8). @defaultValue 'v2'
   */
  readonly writeApi: 'v1' | 'v2';
  /** Base URL of the InfluxQL /query endpoint (1.x, 2.x with a DBRP mapping, 3.x). @defaultValue writeUrl */
  readonly queryUrl?: string;
  /** Database (v1, InfluxQL) and bucket (v2). @defaultValue 'liftwatch' */
  readonly database: string;
  /** v2 organisation. @defaultValue 'liftwatch' */
  readonly org?: string;
  /** API token (v2) or "user:password" (v1), if the server asks for one. */
  readonly token?: string;
  /** First retry delay after a failed write, ms. @defaultValue 250 */
  readonly minRetryDelayMs?: number;
  /** Longest delay between retries, ms. @defaultValue 5000 */
  readonly maxRetryDelayMs?: number;
  /** A write still failing after this long is given up and reported to ingest (the records stay unacknowledged), ms. @defaultValue 120000 */
  readonly maxRetryTimeMs?: number;
  readonly log?: (line: string) => void;
}

interface QueryResult { results?: Array<{ error?: string; series?: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }> }>; error?: string }

setLogger({ error: () => {}, warn: () => {} }); // the client's own console lines; failures are reported by this adapter instead

const quoteId = (v: string) => `"${v.replace(/"/g, '\\"')}"`;
const quoteStr = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const regexOf = (ids: readonly string[]) => `/^(${ids.map((id) => id.replace(/[.\\/^$|?*+()[\]{}-]/g, (c) => `\\${c}`)).join('|')})$/`;

/**
 * The InfluxDB telemetry store. A write resolves only when the server took it; while the server is
 * down it is retried with backoff for up to `maxRetryTimeMs`, so ingest holds back acknowledgements
 * (terminals keep their records) instead of dropping anything it accepted.
 */
export function createInfluxTelemetry(config: InfluxTelemetryConfig) {
  const minDelay = config.minRetryDelayMs ?? 250;
  const maxDelay = config.maxRetryDelayMs ?? 5_000;
  const maxTime = config.maxRetryTimeMs ?? 120_000;
  const queryUrl = config.queryUrl ?? config.writeUrl;
  const counters = { writes: 0, points: 0, retries: 0, failures: 0 };
  let writeApi: WriteApi | undefined;
  let down = false;

  async function sendOnce(lines: string[]): Promise<void> {
    if (config.writeApi === 'v2') {
      writeApi ??= new InfluxDB({ url: config.writeUrl, token: config.token ?? '' })
        .getWriteApi(config.org ?? 'liftwatch', config.database, LINE_PRECISION, { flushInterval: 0, maxRetries: 0, batchSize: 1_000_000, maxBufferLines: 1_000_000 });
      writeApi.writeRecords(lines);
      await writeApi.flush();
      return;
    }
    const auth = config.token ? { authorization: `Basic ${Buffer.from(config.token).toString('base64')}` } : undefined;
    const res = await fetch(`${config.writeUrl}/write?db=${encodeURIComponent(config.database)}&precision=${LINE_PRECISION}`, { method: 'POST', body: lines.join('\n'), ...(auth ? { headers: auth } : {}) });
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}: ${await res.text()}`), { statusCode: res.status });
  }

  async function write(rows: readonly TelemetryRow[]): Promise<undefined> {
    const lines = rows.map(toLine);
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await sendOnce(lines);
        if (down) config.log?.(`telemetry: InfluxDB at ${config.writeUrl} takes writes again after ${attempt} retries`);
        down = false;
        counters.writes++;
        counters.points += lines.length;
        return undefined;
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        const final = (status !== undefined && status >= 400 && status < 500 && status !== 429) || Date.now() - started > maxTime;
        if (final) {
          counters.failures++;
          throw lwError('LW_ERR_STORAGE', `InfluxDB at ${config.writeUrl} did not take ${lines.length} points (${(err as Error).message}); they stay unacknowledged`, err);
        }
        if (!down) config.log?.(`telemetry: InfluxDB at ${config.writeUrl} refused a write (${(err as Error).message}); retrying with backoff, acknowledgements wait`);
        down = true;
        counters.retries++;
        const delay = Math.min(maxDelay, minDelay * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async function query(q: string) {
    const res = await fetch(`${queryUrl}/query?db=${encodeURIComponent(config.database)}&epoch=ms&q=${encodeURIComponent(q)}`);
    const body = (await res.json()) as QueryResult;
    const error = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || error) throw lwError('LW_ERR_STORAGE', `InfluxQL query failed (${error ?? res.status}): ${q}`);
    return body.results?.[0]?.series ?? [];
  }

  const allMeasurements = `/^lift_(${RECORD_STREAMS.join('|')})$/`;
  const store: TelemetryStore & { counters: typeof counters } = {
    name: 'influxdb',
    counters,
    write,
    async latest(liftId, stream) {
      const from = stream ? quoteId(measurementOf(stream)) : allMeasurements;
      const series = await query(`SELECT * FROM ${from} WHERE "liftId" = ${quoteStr(liftId)} ORDER BY time DESC LIMIT 1`);
      const rows = series.filter((s) => s.values[0]).map((s) => fromColumns(streamOfMeasurement(s.name), liftId, s.columns, s.values[0]!));
      return rows.sort((a, b) => b.ts - a.ts || b.seq - a.seq)[0];
    },
    async latestPerLift(stream, liftIds) {
      const out = new Map<string, TelemetryRow>();
      for (let i = 0; i < liftIds.length; i += 500) {
        const chunk = liftIds.slice(i, i + 500);
        const series = await query(`SELECT * FROM ${quoteId(measurementOf(stream))} WHERE "liftId" =~ ${regexOf(chunk)} GROUP BY "liftId" ORDER BY time DESC LIMIT 1`);
        for (const s of series) {
          const liftId = s.tags?.['liftId'];
          if (liftId && s.values[0]) out.set(liftId, fromColumns(stream, liftId, s.columns.filter((c) => c !== 'liftId'), s.values[0]));
        }
      }
      return out;
    },
    async range(q) {
      const f = quoteId(q.field);
      const series = await query(`SELECT min(${f}), max(${f}), mean(${f}), count(${f}) FROM ${quoteId(measurementOf(q.stream))} WHERE "liftId" = ${quoteStr(q.liftId)} AND time >= ${q.fromMs}ms AND time < ${q.toMs}ms GROUP BY time(${q.bucketMs}ms) fill(none)`);
      return (series[0]?.values ?? []).map((v): Bucket => ({ t: v[0] as number, min: v[1] as number, max: v[2] as number, mean: v[3] as number, count: v[4] as number }));
    },
    async dailyCounts(stream, fromMs, toMs, liftId) {
      const where = liftId ? ` AND "liftId" = ${quoteStr(liftId)}` : '';
      const series = await query(`SELECT count("seq") FROM ${quoteId(measurementOf(stream))} WHERE time >= ${fromMs}ms AND time < ${toMs}ms${where} GROUP BY time(1d), "liftId" fill(none)`);
      const out: DailyCount[] = [];
      for (const s of series) for (const v of s.values) out.push({ liftId: s.tags?.['liftId'] ?? '', day: dayOf(v[0] as number), count: v[1] as number });
      return out.sort((a, b) => a.liftId.localeCompare(b.liftId) || a.day.localeCompare(b.day));
    },
    async recent(liftId, opts) {
      const from = opts.stream ? quoteId(measurementOf(opts.stream as RecordStream)) : allMeasurements;
      const since = opts.fromTs !== undefined && Number.isFinite(opts.fromTs) ? ` AND time >= ${Math.floor(opts.fromTs)}ms` : '';
      const series = await query(`SELECT * FROM ${from} WHERE "liftId" = ${quoteStr(liftId)}${since} ORDER BY time DESC LIMIT ${Math.max(1, Math.floor(opts.limit))}`);
      const rows = series.flatMap((s) => s.values.map((v) => fromColumns(streamOfMeasurement(s.name), liftId, s.columns, v)));
      return rows.sort((a, b) => b.ts - a.ts || b.seq - a.seq).slice(0, opts.limit);
    },
    async close() {
      await writeApi?.close().catch(() => {});
    },
  };
  return store;
}

export type InfluxTelemetry = ReturnType<typeof createInfluxTelemetry>;
