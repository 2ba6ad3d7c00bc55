import mqtt, { type MqttClient } from 'mqtt';
import { tempDir } from '@liftwatch/test-kit';
import { makeConfig, type AllInOneConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';

/** Starts the all-in-one process in this test process on random loopback ports with a fresh data dir. */
export async function startTestLiftwatch(over: Partial<AllInOneConfig> = {}): Promise<Running & { dir: ReturnType<typeof tempDir>; mqttPort: number; stop: () => Promise<void> }> {
  const dir = tempDir();
  const running = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, ...over }));
  const mqttPort = Number(new URL(running.mqttUrl).port);
  return { ...running, dir, mqttPort, stop: async () => { await running.close(); dir.remove(); } };
}

export async function terminal(url: string, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId, protocolVersion: 4, reconnectPeriod: 200 });
}
