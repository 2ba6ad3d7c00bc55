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

/** MQTT credentials of a terminal of `liftId`, provisioned now (or given a fresh token if it exists). */
export async function credentials(lw: Pick<Running, 'terminals'>, liftId: string, terminalId = `T-${liftId}`): Promise<{ clientId: string; username: string; password: string }> {
  const issued = lw.terminals.get(terminalId) ? await lw.terminals.rotate(terminalId) : await lw.terminals.add({ liftId, terminalId });
  return { clientId: terminalId, username: terminalId, password: issued.token };
}

/** An mqtt.js terminal of `liftId`, provisioned in the registry and connected with its token. */
export async function terminal(lw: Pick<Running, 'terminals' | 'mqttUrl'>, liftId: string, terminalId?: string): Promise<MqttClient> {
  return mqtt.connectAsync(lw.mqttUrl, { ...(await credentials(lw, liftId, terminalId)), protocolVersion: 4, reconnectPeriod: 200 });
}
