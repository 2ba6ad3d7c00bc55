import pino from 'pino';
import { clip, LiftwatchError, MAX_LOG_LINE_CHARS } from '@liftwatch/contract';
import { configFromProcess, helpText } from './config.js';
import { tuneHeaps } from './heap-tuning.js';
import { startLiftwatch } from './liftwatch.js';

tuneHeaps();

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
