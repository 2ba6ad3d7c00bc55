// The edge agent's command line: the only place here that reads argv, handles signals and exits.
//   npm run agent -- run --broker mqtt://127.0.0.1:1883 --lift L1 --source sim|csv [options]
//   npm run agent -- fleet --broker mqtt://127.0.0.1:1883 --count 1000
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LiftwatchError } from '@liftwatch/contract';
import { createEdgeAgent } from './agent.js';
import { createCsvSource, HUAWEI_MAPPING, parseMapping } from './sources/csv-source.js';
import { createSimSource } from './sources/sim-source.js';
import type { SensorSource } from './sources/source.js';
import { formatStatus, startAgentFleet } from './fleet.js';

const HELP = `liftwatch edge agent

  run    one terminal against a broker
         --broker URL        mqtt://host:port (default mqtt://127.0.0.1:1883)
         --lift ID           lift id (required)
         --source sim|csv    where records come from (default sim)
         --spool FILE        spool file (default ./spool/<lift>.db)
         --seed N            simulator seed (default 1)
         --traffic X         simulator call-rate factor (default 1)
         --speed X           simulated seconds per wall second (default 1)
         --csv FILE          CSV file for --source csv
         --csv-rate HZ       the file's sample rate (default 4)
         --csv-speed X       replay speed; 0 = as fast as the spool takes it (default 1)
         --csv-map SPEC      column=stream.field[,…] (default the Huawei mapping: humidity=env.machineRoomRhPct)
         --csv-window S      seconds of samples per env record (default 60)
         --first-seq N       first seq of a new spool (default ms since epoch × 1000)
         --status-qos 0|1    QoS of status records (default 0)
         --max-inflight N    messages waiting for PUBACK, at most (default 16)
         --reconnect-ms N    pause before the first reconnect, doubled after each failed try (default 1000)
         --reconnect-max-ms N  longest pause between reconnects, e.g. while the terminal is disabled (default 30000)
         --token TOKEN       the terminal's token (npm run terminals -- add <lift>); user name = client id
         --terminal-id ID    the terminal's id (default T-<lift>)
  fleet  N simulated terminals in one process, with a live status line
         --broker URL  --count N (default 100)  --seed N  --traffic X  --speed X  --spool FILE (default in memory)
         --tokens-csv FILE   liftId,token per line for the terminals T-SIM-0001…; without it the broker
                             must allow anonymous terminals (--mqtt-allow-anonymous true)
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' }, lift: { type: 'string' }, source: { type: 'string', default: 'sim' },
    spool: { type: 'string' }, seed: { type: 'string', default: '1' }, traffic: { type: 'string' }, speed: { type: 'string', default: '1' },
    csv: { type: 'string' }, 'csv-rate': { type: 'string', default: '4' }, 'csv-speed': { type: 'string', default: '1' },
    'csv-map': { type: 'string' }, 'csv-window': { type: 'string', default: '60' }, 'first-seq': { type: 'string' },
    'status-qos': { type: 'string', default: '0' }, 'max-inflight': { type: 'string', default: '16' },
    'reconnect-ms': { type: 'string', default: '1000' }, 'reconnect-max-ms': { type: 'string', default: '30000' },
    count: { type: 'string', default: '100' }, help: { type: 'boolean', short: 'h' },
    token: { type: 'string' }, 'terminal-id': { type: 'string' }, 'tokens-csv': { type: 'string' },
  },
});

function num(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new LiftwatchError('LW_ERR_CONFIG_INVALID', `--${name} is ${JSON.stringify(text)}: give a number`);
  return n;
}

const log = (line: string) => console.error(line);

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(1);
    stopping = true;
    stop().then(() => process.exit(0), (err: unknown) => { log(String(err)); process.exit(1); });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

function runOne(): void {
  const liftId = values.lift;
  if (!liftId) throw new LiftwatchError('LW_ERR_CONFIG_INVALID', 'run needs --lift ID: the lift this terminal speaks for');
  let source: SensorSource;
  if (values.source === 'csv') {
    if (!values.csv) throw new LiftwatchError('LW_ERR_CONFIG_INVALID', '--source csv needs --csv FILE');
    source = createCsvSource({
      path: values.csv, rateHz: num('csv-rate', values['csv-rate'], 4), speed: num('csv-speed', values['csv-speed'], 1),
      mapping: values['csv-map'] ? parseMapping(values['csv-map']) : HUAWEI_MAPPING, windowS: num('csv-window', values['csv-window'], 60),
    });
  } else if (values.source === 'sim') {
    source = createSimSource({ liftId, seed: num('seed', values.seed, 1), trafficScale: num('traffic', values.traffic, 1), speed: num('speed', values.speed, 1) });
  } else {
    throw new LiftwatchError('LW_ERR_CONFIG_INVALID', `--source is ${JSON.stringify(values.source)}: use sim or csv`);
  }
  const firstSeq = values['first-seq'] === undefined ? undefined : num('first-seq', values['first-seq'], 0);
  const agent = createEdgeAgent({
    brokerUrl: values.broker, liftId, spoolPath: values.spool ?? `./spool/${liftId}.db`,
    statusQos: num('status-qos', values['status-qos'], 0) === 1 ? 1 : 0, maxInflight: num('max-inflight', values['max-inflight'], 16),
    reconnectPeriodMs: num('reconnect-ms', values['reconnect-ms'], 1000), reconnectMaxMs: num('reconnect-max-ms', values['reconnect-max-ms'], 30_000),
    ...(firstSeq === undefined ? {} : { firstSeq }),
    ...(values['terminal-id'] ? { clientId: values['terminal-id'] } : {}),
    ...(values.token ? { username: values['terminal-id'] ?? `T-${liftId}`, password: values.token } : {}),
  }, { source, log });
  agent.start();
  log(`agent ${liftId}: started, source ${source.kind}, broker ${values.broker}`);
  const line = setInterval(() => {
    const s = agent.stats();
    log(`agent ${liftId}: connected ${s.publisher.connected ? 'yes' : 'no'}  sent ${s.publisher.sent}  spooled ${s.spool.backlog}`);
  }, 5_000);
  line.unref();
  onSignals(() => agent.close());
}

/** `liftId,token` per line (a header line or blank lines are skipped). */
function readTokens(file: string): Map<string, string> {
  const tokens = new Map<string, string>();
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
    const [liftId, token] = line.split(',').map((c) => c.trim());
    if (!liftId || liftId === 'liftId') return;
    if (!token) throw new LiftwatchError('LW_ERR_CONFIG_INVALID', `${file} line ${i + 1}: no token after ${JSON.stringify(liftId)}: write liftId,token`);
    tokens.set(liftId, token);
  });
  return tokens;
}

function runFleet(): void {
  const fleet = startAgentFleet({
    brokerUrl: values.broker, count: num('count', values.count, 100), seed: num('seed', values.seed, 1),
    trafficScale: num('traffic', values.traffic, 3), speed: num('speed', values.speed, 1), log,
    ...(values.spool ? { spoolPath: values.spool } : {}),
    ...(values['tokens-csv'] ? { tokens: readTokens(values['tokens-csv']) } : {}),
  });
  const tty = process.stderr.isTTY;
  const line = setInterval(() => {
    const text = formatStatus(fleet.status());
    if (tty) process.stderr.write(`\r${text}\x1b[K`); else log(text);
  }, 1_000);
  onSignals(async () => {
    clearInterval(line);
    await fleet.stop();
  });
}

try {
  const command = positionals[0];
  if (values.help || command === undefined) console.log(HELP);
  else if (command === 'run') runOne();
  else if (command === 'fleet') runFleet();
  else throw new LiftwatchError('LW_ERR_CONFIG_INVALID', `unknown command ${JSON.stringify(command)}: use run or fleet (--help)`);
} catch (err) {
  log(err instanceof LiftwatchError ? `${err.code}: ${err.message}` : String(err));
  process.exit(2);
}
