import { setFlagsFromString } from 'node:v8';
import pino from 'pino';
import { clip, LiftwatchError, MAX_LOG_LINE_CHARS } from '@liftwatch/contract';
import { configFromProcess, helpText } from './config.js';
import { startLiftwatch } from './liftwatch.js';

/**
 * V8 collects the old generation again once it has grown by this share of what the last collection
 * left alive, instead of by V8's own factor (up to 4 when collections are fast). Under a city's load
 * what a record holds until its group commit (body, promises) is promoted and dies soon after, so
 * V8's factor let ~300 MiB of live objects reach ~700 MiB of heap; with 50 % it stays near 500 MiB
 * for a few more collections. V8 reads the flag at each collection, so setting it here is enough.
 */
const HEAP_GROWING_PERCENT = 50;
setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

/** The only place that reads the environment, handles signals and exits. */
async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(helpText());
    return;
  }
  const config = configFromProcess(process.argv.slice(2), process.env);
  // Structured JSON logs (pino) on stdout; the start-up line below stays plain for people.
  const logger = pino({ base: { service: 'liftwatch' } });
  const log = (line: string) => logger.info(clip(line, MAX_LOG_LINE_CHARS)); // a line may quote what a client sent: bounded
  const running = await startLiftwatch(config, log);
  console.log(`liftwatch is running: web ${running.httpUrl}  MQTT ${running.mqttUrl}  data ${running.dataDir}` +
    (running.fleet ? `  simulating ${config.simulate} lifts${config.simulateHistoryDays > 0 ? ` (writing ${config.simulateHistoryDays} days of history, the most degrading lifts first: see the log)` : ''}` : ''));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`liftwatch: ${signal}, stopping`);
    running.close().then(() => process.exit(0), (err: unknown) => {
      console.error(`liftwatch: stop failed: ${String(err)}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // One clear line: what is wrong and what to do (docs/errors.md).
  if (err instanceof LiftwatchError) console.error(`liftwatch: ${err.message} (${err.code})`);
  else if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`liftwatch: ${err.message}; see npm start -- --help (LW_ERR_CONFIG_INVALID)`);
  else console.error(`liftwatch: could not start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
