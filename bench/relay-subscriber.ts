// The subscriber of the Mosquitto relay reference (bench/city-ingest.ts): subscribes to lift/# at
// QoS 0 with mqtt-packet (as the loaders speak MQTT) and counts the messages relayed to it.
// GET /count gives that count.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import mqttPacket from 'mqtt-packet';

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const url = new URL(values.url!);
let relayed = 0;
const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
const parser = mqttPacket.parser({ protocolVersion: 4 });
parser.on('packet', (p) => {
  if (p.cmd === 'publish') relayed++;
  else if (p.cmd === 'connack') socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'lift/#', qos: 0 }] }));
  else if (p.cmd === 'suback') void listen();
});
socket.on('data', (b) => parser.parse(b));
socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 600, clientId: 'relay-subscriber' }));

async function listen(): Promise<void> {
  const http = createHttpServer((_req, res) => res.end(JSON.stringify({ stored: relayed })));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  process.stdout.write(`READY ${values.url} http://127.0.0.1:${(http.address() as AddressInfo).port}\n`);
}
process.on('SIGTERM', () => process.exit(0));
