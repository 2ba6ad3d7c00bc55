import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { lwError } from '@liftwatch/contract';

/** TLS material as PEM text (read from files by the caller). */
export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA that signs terminals' client certificates; without it no client certificate is asked for. */
  readonly ca?: string | Buffer | undefined;
}

/** Takes one new connection: (stream, socket under it, HTTP upgrade request for WebSocket). */
export type Accept = (stream: Duplex, socket: Socket, req?: IncomingMessage) => void;

export interface Listening { readonly kind: 'tcp' | 'tls' | 'ws'; readonly host: string; readonly port: number; close(): Promise<void> }

async function listen(server: Server, kind: string, host: string, port: number, flag: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? lwError('LW_ERR_PORT_IN_USE', `MQTT ${kind === 'TCP' ? '' : `${kind} `}port ${port} on ${host} is already in use: stop the program using it or choose another with ${flag}`, err)
        : err);
    });
    server.listen(port, host, () => resolve());
  });
  return server.address() as AddressInfo;
}

const closer = (server: Server, extra?: () => void) => () => new Promise<void>((resolve) => {
  extra?.();
  if (!server.listening) return resolve();
  server.close(() => resolve());
});

/** MQTT over TCP (MQTT 3.1.1 §4.2: TCP/IP, port 1883). */
export async function listenTcp(host: string, port: number, accept: Accept): Promise<Listening> {
  const server = createTcpServer({ noDelay: true }, (socket) => accept(socket, socket));
  const a = await listen(server, 'TCP', host, port, '--mqtt-port');
  return { kind: 'tcp', host: a.address, port: a.port, close: closer(server) };
}

/**
 * MQTT over TLS (MQTT 3.1.1 §4.2 and §5.4.5, port 8883). With a CA, a client certificate is asked for but
 * not required, so token-authenticated terminals may use TLS too; whether a certificate was verified is on
 * the socket (`authorized`) for the authenticate hook.
 */
export async function listenTls(host: string, port: number, tls: TlsMaterial, accept: Accept): Promise<Listening> {
  const server = createTlsServer({ key: tls.key, cert: tls.cert, ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: false } : {}) });
  server.on('secureConnection', (socket) => accept(socket, socket));
  server.on('tlsClientError', () => { /* a failed handshake only ends that connection */ });
  const a = await listen(server, 'TLS', host, port, '--mqtt-tls-port');
  return { kind: 'tls', host: a.address, port: a.port, close: closer(server) };
}

/** MQTT over WebSocket (MQTT 3.1.1 §6: binary frames, subprotocol "mqtt"), for browsers and proxies. */
export async function listenWebSocket(host: string, port: number, accept: Accept): Promise<Listening> {
  const http = createHttpServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: connect with the "mqtt" subprotocol\n'));
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false), // [MQTT-6.0.0-3]
  });
  wss.on('connection', (ws, req) => {
    const socket = req.socket as Socket;
    accept(createWebSocketStream(ws), socket, req);
  });
  const a = await listen(http, 'WebSocket', host, port, '--mqtt-ws-port');
  return { kind: 'ws', host: a.address, port: a.port, close: closer(http, () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  }) };
}
