import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type AuthorizePublishHandler, type Client } from 'aedes';
import { lwError } from '@liftwatch/contract';

export interface BrokerConfig {
  /** Address to listen on. @defaultValue '127.0.0.1' */
  readonly host: string;
  /** MQTT over TCP port; 0 picks a free one. @defaultValue 1883 */
  readonly port: number;
}

export interface BrokerDeps {
  /**
   * Called for every message a client publishes, before the broker acknowledges it. The broker sends
   * PUBACK only after the returned promise resolves; a rejection closes the client's connection without
   * PUBACK, so the client keeps the message and sends it again (MQTT-4.4.0-1).
   * `clientId` is null for a last will published after its client is gone.
   */
  readonly onPublish: (topic: string, payload: Buffer, clientId: string | null, qos: 0 | 1 | 2) => Promise<void>;
  /**
   * Called when a client's connection is gone, cleanly or not, unless a new connection with the same
   * client id has taken its place. A clean DISCONNECT sends no last will, so presence needs this too.
   */
  readonly onClientGone?: (clientId: string) => void;
  readonly log?: (line: string) => void;
}

const SYS_PREFIX = '$SYS/';

/**
 * The aedes MQTT 3.1.1 broker with ingest in its authorizePublish hook: no second hop, and "acknowledged"
 * means "stored". (aedes writes PUBACK before its `published` hook runs, so storing there would
 * acknowledge records that are not yet safe.)
 */
export function createBroker(config: BrokerConfig, deps: BrokerDeps) {
  const aedes = new Aedes();
  let server: Server | undefined;

  const authorizePublish: AuthorizePublishHandler = (client: Client | null, packet, callback) => {
    if (packet.topic.startsWith(SYS_PREFIX)) return callback(new Error(`${SYS_PREFIX} topics are reserved for the broker`));
    deps.onPublish(packet.topic, packet.payload as Buffer, client?.id ?? null, packet.qos).then(() => callback(null), (err: unknown) => callback(err as Error));
  };
  aedes.authorizePublish = authorizePublish;
  aedes.on('clientError', (client, err) => deps.log?.(`broker: client ${client.id}: ${err.message}`));
  aedes.on('clientDisconnect', (client) => {
    // aedes keeps connected clients by id (not in its typings); a takeover has already put the new one there.
    const clients = (aedes as unknown as { clients: Record<string, unknown> }).clients;
    if (!Object.hasOwn(clients, client.id)) deps.onClientGone?.(client.id);
  });

  async function start(): Promise<{ host: string; port: number }> {
    await aedes.listen();
    const s = createServer((socket) => aedes.handle(socket));
    server = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE'
          ? lwError('LW_ERR_PORT_IN_USE', `MQTT port ${config.port} on ${config.host} is already in use: stop the program using it or choose another with --mqtt-port`, err)
          : err);
      });
      s.listen(config.port, config.host, () => resolve());
    });
    const address = s.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  async function close(): Promise<void> {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server?.listening) await new Promise<void>((resolve) => server!.close(() => resolve()));
  }

  return { start, close, aedes, clients: (): number => aedes.connectedClients };
}

export type Broker = ReturnType<typeof createBroker>;
