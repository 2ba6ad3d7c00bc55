// The edge agent's command line: the only place here that reads argv, handles signals and exits.
//   npm run agent -- run --broker mqtt://127.0.0.1:1883 --lift L1 --source sim|csv|modbus [options]
//   npm run agent -- fleet --broker mqtt://127.0.0.1:1883 --count 1000
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { LiftwatchError } from '@liftwatch/contract';
import { createEdgeAgent } from './agent.js';
import { finishWhenDone, formatCsvSummary, num, sourceFromCli } from './cli-sources.js';
import { formatStatus, startAgentFleet } from './fleet.js';

const HELP = `liftwatch edge agent

  run    one terminal against a broker
         --broker URL        mqtt://host:port (default mqtt://127.0.0.1:1883)
         --lift ID           lift id (required)
         --source sim|csv|modbus  where records come from (default sim)
         --spool FILE        spool file (default ./spool/<lift>.db)
         --seed N            simulator seed (default 1)
         --traffic X         simulator call-rate factor (default 1)
         --speed X           simulated seconds per wall second (default 1)
         --csv FILE          CSV file for --source csv; the agent exits with a summary when the file ends
         --csv-map FILE|SPEC mapping of every column to a contract field: a JSON file (docs/terminals.md) or
                             column=stream.field,column=-  (default edge-agent/mappings/huawei-grc.json)
         --csv-rate HZ       rows per second of a file without a time column (default: the mapping's, else 4)
         --csv-window S      seconds of samples per record (default: the mapping's, else 60)
         --csv-speed X       replay speed; 0 = as fast as the spool takes it (default 1)
         --csv-time now|file now: shifted so that no record is later than the moment it is sent (default);
                             file: the file's own time (its time column, or --csv-start), later rows rejected
         --csv-start TIME    time of the first row of a file without a time column (ISO 8601 or ms)
         --modbus URL        device for --source modbus: tcp://host:502, rtu-tcp://host:4001 (RTU frames through a
                             serial-to-Ethernet converter) or rtu:///dev/ttyUSB0?baud=9600&parity=even&stopBits=1
         --modbus-profile FILE  register map (edge-agent/profiles/sensor-kit.json, docs/terminals.md)
         --modbus-unit N     unit id (slave address) of the device (default 1)
         --modbus-timeout-ms N  wait for an answer (default 1000)
         --modbus-max-backoff-s N  longest wait between polls of a device that does not answer (default 60)
         --ntp-server HOST[:PORT]  NTP server asked before each device record: the record reports the
                             terminal's clock offset (default none: no clockOffsetMs)
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
    csv: { type: 'string' }, 'csv-rate': { type: 'string' }, 'csv-speed': { type: 'string', default: '1' },
    'csv-map': { type: 'string' }, 'csv-window': { type: 'string' }, 'first-seq': { type: 'string' },
    'csv-time': { type: 'string', default: 'now' }, 'csv-start': { type: 'string' },
    'ntp-server': { type: 'string' }, modbus: { type: 'string' }, 'modbus-profile': { type: 'string' }, 'modbus-unit': { type: 'string' },
    'modbus-timeout-ms': { type: 'string' }, 'modbus-max-backoff-s': { type: 'string' },
    'status-qos': { type: 'string', default: '0' }, 'max-inflight': { type: 'string', default: '16' },
    'reconnect-ms': { type: 'string', default: '1000' }, 'reconnect-max-ms': { type: 'string', default: '30000' },
    count: { type: 'string', default: '100' }, help: { type: 'boolean', short: 'h' },
    token: { type: 'string' }, 'terminal-id': { type: 'string' }, 'tokens-csv': { type: 'string' },
  },
});

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

async function runOne(): Promise<void> {
  const liftId = values.lift;
  if (!liftId) throw new LiftwatchError('LW_ERR_CONFIG_INVALID', 'run needs --lift ID: the lift this terminal speaks for');
  const source = await sourceFromCli(values, liftId);
  const firstSeq = values['first-seq'] === undefined ? undefined : num('first-seq', values['first-seq'], 0);
  const agent = createEdgeAgent({
    brokerUrl: values.broker, liftId, spoolPath: values.spool ?? `./spool/${liftId}.db`,
    statusQos: num('status-qos', values['status-qos'], 0) === 1 ? 1 : 0, maxInflight: num('max-inflight', values['max-inflight'], 16),
    reconnectPeriodMs: num('reconnect-ms', values['reconnect-ms'], 1000), reconnectMaxMs: num('reconnect-max-ms', values['reconnect-max-ms'], 30_000),
    ...(firstSeq === undefined ? {} : { firstSeq }),
    ...(values['ntp-server'] ? { ntpServer: values['ntp-server'] } : {}),
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
  if (source.done) {
    // A finite source: stop when it has emitted everything and the spool is sent, with a summary.
    const { sent, left } = await finishWhenDone(agent, source);
    if (source.summary) console.log(formatCsvSummary(source.summary(), sent, left));
    process.exit(0);
  }
}

/** `liftId,token` per line (a header line or blank lines are skipped), read by csv-parse. */
function readTokens(file: string): Map<string, string> {
  const tokens = new Map<string, string>();
  const rows = parse(readFileSync(file, 'utf8'), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  for (const { record: [liftId, token], info } of rows) {
    if (!liftId || liftId === 'liftId') continue;
    if (!token) throw new LiftwatchError('LW_ERR_CONFIG_INVALID', `${file} line ${info.lines}: no token after ${JSON.stringify(liftId)}: write liftId,token`);
    tokens.set(liftId, token);
  }
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

function fail(err: unknown): never {
  log(err instanceof LiftwatchError ? `${err.code}: ${err.message}` : String(err));
  process.exit(2);
}

try {
  const command = positionals[0];
  if (values.help || command === undefined) console.log(HELP);
  else if (command === 'run') runOne().catch(fail);
  else if (command === 'fleet') runFleet();
  else throw new LiftwatchError('LW_ERR_CONFIG_INVALID', `unknown command ${JSON.stringify(command)}: use run or fleet (--help)`);
} catch (err) {
  fail(err);
}
