// Builds the source of `run` from its command-line options (cli.ts reads argv; this only interprets it).
import { lwError } from '@liftwatch/contract';
import type { EdgeAgent } from './agent.js';
import { loadCsvMapping, parseMappingSpec } from './sources/csv-mapping.js';
import { createCsvSource, HUAWEI_MAPPING_FILE, type CsvSummary } from './sources/csv-source.js';
import { loadModbusProfile } from './sources/modbus-profile.js';
import { createModbusSource } from './sources/modbus-source.js';
import { createSimSource } from './sources/sim-source.js';
import type { SensorSource } from './sources/source.js';

export type CliValues = Readonly<Record<string, string | boolean | undefined>>;

export function num(name: string, text: string | boolean | undefined, fallback: number): number {
  if (text === undefined || typeof text === 'boolean') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n)) throw lwError('LW_ERR_CONFIG_INVALID', `--${name} is ${JSON.stringify(text)}: give a number`);
  return n;
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** `--csv-start`: ISO 8601 or ms since the epoch. */
function parseStart(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw lwError('LW_ERR_CONFIG_INVALID', `--csv-start is ${JSON.stringify(text)}: give an ISO 8601 time (2020-02-07T16:30:00Z) or ms since 1970`);
  return ms;
}

/** The CSV source of `run --source csv`, its mapping checked against the file before the agent starts. */
export async function csvSourceFromCli(values: CliValues): Promise<ReturnType<typeof createCsvSource>> {
  const path = str(values['csv']);
  if (!path) throw lwError('LW_ERR_CONFIG_INVALID', '--source csv needs --csv FILE');
  const spec = str(values['csv-map']);
  const mapping = spec === undefined ? loadCsvMapping(HUAWEI_MAPPING_FILE) : spec.endsWith('.json') ? loadCsvMapping(spec) : parseMappingSpec(spec);
  const timeBase = str(values['csv-time']) ?? 'now';
  if (timeBase !== 'file' && timeBase !== 'now') throw lwError('LW_ERR_CONFIG_INVALID', `--csv-time is ${JSON.stringify(timeBase)}: use file (the file's own time) or now (shifted to now)`);
  const start = str(values['csv-start']);
  const source = createCsvSource({
    path, speed: num('csv-speed', values['csv-speed'], 1), timeBase,
    mapping: {
      ...mapping,
      ...(values['csv-rate'] === undefined ? {} : { rateHz: num('csv-rate', values['csv-rate'], 4) }),
      ...(values['csv-window'] === undefined ? {} : { windowS: num('csv-window', values['csv-window'], 60) }),
    },
    ...(start === undefined ? {} : { startTs: parseStart(start) }),
  });
  await source.prepare();
  return source;
}

export async function sourceFromCli(values: CliValues, liftId: string): Promise<SensorSource & { summary?(): CsvSummary }> {
  if (values['source'] === 'csv') return csvSourceFromCli(values);
  if (values['source'] === 'modbus') {
    const endpoint = str(values['modbus']);
    const profile = str(values['modbus-profile']);
    if (!endpoint || !profile) throw lwError('LW_ERR_CONFIG_INVALID', '--source modbus needs --modbus URL (tcp://host:502) and --modbus-profile FILE (edge-agent/profiles/*.json)');
    return createModbusSource({
      endpoint, profile: loadModbusProfile(profile), unitId: num('modbus-unit', values['modbus-unit'], 1),
      timeoutMs: num('modbus-timeout-ms', values['modbus-timeout-ms'], 1000), maxBackoffMs: num('modbus-max-backoff-s', values['modbus-max-backoff-s'], 60) * 1000,
    });
  }
  if (values['source'] === 'sim') {
    return createSimSource({ liftId, seed: num('seed', values['seed'], 1), trafficScale: num('traffic', values['traffic'], 1), speed: num('speed', values['speed'], 1) });
  }
  throw lwError('LW_ERR_CONFIG_INVALID', `--source is ${JSON.stringify(values['source'])}: use sim, csv or modbus`);
}

/** One line that says what a finished replay did. */
export function formatCsvSummary(s: CsvSummary, sent: number, left: number): string {
  const bad = Object.entries(s.badCellsByColumn).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
  const recs = Object.entries(s.records).map(([stream, n]) => `${n} ${stream}`).join(', ') || 'no';
  const time = s.firstTs === undefined ? '' : `, ts ${new Date(s.firstTs).toISOString()} … ${new Date(s.lastTs!).toISOString()}`;
  return `csv ${s.file}: done: ${s.rowsRead} rows, ${s.rowsRejected} with a bad cell (${bad}); ${recs} records with ${s.fields.join(', ')}${time}; ${sent} sent, ${left} left in the spool`;
}

/**
 * When a finite source (a CSV file) has emitted everything, waits until the spool is empty or
 * `stallMs` pass without an acknowledgement, then stops the agent. What is left stays in the spool
 * and is sent at the next start.
 */
export async function finishWhenDone(agent: EdgeAgent, source: SensorSource, stallMs = 60_000): Promise<{ sent: number; left: number }> {
  while (!(source.done?.() ?? false)) await new Promise((r) => setTimeout(r, 200));
  let sent = agent.stats().publisher.sent;
  let lastProgress = Date.now();
  while (agent.stats().spool.backlog > 0 && Date.now() - lastProgress < stallMs) {
    await new Promise((r) => setTimeout(r, 200));
    const now = agent.stats().publisher.sent;
    if (now !== sent) [sent, lastProgress] = [now, Date.now()];
  }
  const last = agent.stats(); // before close: it closes the spool
  await agent.close();
  return { sent: last.publisher.sent, left: last.spool.backlog };
}
