// A bare aedes MQTT broker for the edge-agent benchmarks: acknowledges at once, stores nothing, so the
// figures measure the agent, not the platform's store. Prints "port N" and, on SIGTERM, the count.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

const aedes = new Aedes();
let records = 0;
aedes.authorizePublish = (client, packet, callback) => {
  if (client && !packet.topic.endsWith('/presence')) {
    const text = (packet.payload as Buffer).toString('utf8');
    records += text.startsWith('[') ? JSON.parse(text).length as number : 1;
  }
  callback(null);
};
await aedes.listen();
const server = createServer((socket) => aedes.handle(socket));
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  console.log(`records ${records}`);
  aedes.close(() => server.close(() => process.exit(0)));
});
