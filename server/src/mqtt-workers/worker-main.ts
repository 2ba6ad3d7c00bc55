import pino from 'pino';
import { clip, MAX_LOG_LINE_CHARS } from '@liftwatch/contract';
import { makeConfig, type AllInOneConfig } from '../config.js';
import { runMqttWorker, WORKER_ENV } from './worker.js';

/**
 * The process of one MQTT worker, forked by the node's primary (primary.ts) with the node's settings
 * in WORKER_ENV. It ends when the primary tells it to stop, or when the primary is gone.
 */
async function main(): Promise<void> {
  const { config, index } = JSON.parse(process.env[WORKER_ENV] ?? '{}') as { config: AllInOneConfig; index: number };
  const logger = pino({ base: { service: 'liftwatch', mqttWorker: index } });
  const log = (line: string) => logger.info(clip(line, MAX_LOG_LINE_CHARS));
  // The primary is gone: nothing this worker takes could be stored any more; its clients keep what is unacknowledged.
  process.on('disconnect', () => process.exit(1));
  await runMqttWorker(makeConfig(config), process as unknown as Parameters<typeof runMqttWorker>[1], log);
}

main().catch((err: unknown) => {
  console.error(`liftwatch: MQTT worker could not start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
