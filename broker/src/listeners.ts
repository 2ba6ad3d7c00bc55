import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { lwError } from '@liftwatch/contract';
import { parseProxyHeader, plainAddress, proxyHeaderLength } from './proxy-protocol.js';
import { NoHead, readHead } from './stream-head.js';

/** TLS material as PEM text (read from files by the caller). */
export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA that signs terminals' client certificates; without it no client certificate is asked for. */
  readonly ca?: string | Buffer | undefined;
}

/** Where a connection comes from: the client's address (from the PROXY header when a trusted proxy sent one) and, for WebSocket, the upgrade request. */
export interface Origin {
  readonly address: string;
  readonly req?: IncomingMessage;
}

/** Takes one new connection: (stream, socket under it, where it comes from). */
export type Accept = (stream: Duplex, socket: Socket, origin: Origin) => void;

/** PROXY protocol on a listener: connections from `trusted` addresses must start with a PROXY header (v1 or v2), others must not. */
export interface ProxyProtocol {
  readonly trusted: (address: string) => boolean;
  /** Called when a trusted address sends no valid header in time; its connection is closed. */
  readonly onInvalid: (address: string, reason: string) => void;
}

/** Time a proxy has to send its header, and the most bytes it may take (v2 with a few TLVs). */
const PROXY_HEADER_TIMEOUT_MS = 10_000;
const PROXY_HEADER_MAX_BYTES = 4096;

/**
 * Hands each new socket on with its client's address: its own, or, from a trusted proxy, the one in
 * the PROXY header it must send first (a header from anyone else is not read: it fails as MQTT).
 */
function withOrigin(proxy: ProxyProtocol | undefined, next: (socket: Socket, address: string) => void) {
  return (socket: Socket) => {
    if (socket.remoteAddress === undefined) return void socket.destroy(); // the peer is already gone
    const own = plainAddress(socket.remoteAddress);
    if (!proxy?.trusted(own)) return next(socket, own);
    readHead(socket, proxyHeaderLength, { maxBytes: PROXY_HEADER_MAX_BYTES, timeoutMs: PROXY_HEADER_TIMEOUT_MS })
      .then((head) => next(socket, plainAddress(parseProxyHeader(head)?.address ?? own)))
      .catch((err: Error) => {
        socket.on('error', () => {});
        socket.destroy();
        if (!(err instanceof NoHead && err.why === 'closed')) proxy.onInvalid(own, err.message); // a health check connects and closes
      });
  };
}

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

/**
 * Stops listening and ends the connections still open: by then aedes has closed its clients, so these
 * are the ones that never got that far (no PROXY header or CONNECT yet), which would hold the close up.
 */
const closer = (server: Server, extra?: () => void) => {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return () => new Promise<void>((resolve) => {
    extra?.();
    if (!server.listening) return resolve();
    server.close(() => resolve());
    for (const socket of open) socket.destroy();
  });
};

/** MQTT over TCP (MQTT 3.1.1 §4.2: TCP/IP, port 1883). */
export async function listenTcp(host: string, port: number, accept: Accept, proxy?: ProxyProtocol): Promise<Listening> {
  const server = createTcpServer({ noDelay: true }, withOrigin(proxy, (socket, address) => accept(socket, socket, { address })));
  const close = closer(server);
  const a = await listen(server, 'TCP', host, port, '--mqtt-port');
  return { kind: 'tcp', host: a.address, port: a.port, close };
}

/**
 * MQTT over TLS (MQTT 3.1.1 §4.2 and §5.4.5, port 8883). With a CA, a client certificate is asked for but
 * not required, so token-authenticated terminals may use TLS too; whether a certificate was verified is on
 * the socket (`authorized`) for the authenticate hook. With `proxy`, the PROXY header comes before the
 * TLS handshake (HAProxy `send-proxy-v2` in mode tcp, TLS passing through).
 */
export async function listenTls(host: string, port: number, tls: TlsMaterial, accept: Accept, proxy?: ProxyProtocol): Promise<Listening> {
  const server = createTlsServer({ key: tls.key, cert: tls.cert, ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: false } : {}) });
  const proxied = new Map<string, string>(); // "address|port" of the TCP connection → the client's address
  const key = (s: Socket) => `${s.remoteAddress}|${s.remotePort}`;
  server.on('secureConnection', (socket) => {
    const address = proxied.get(key(socket)) ?? plainAddress(socket.remoteAddress ?? '?');
    proxied.delete(key(socket));
    accept(socket, socket, { address });
  });
  server.on('tlsClientError', () => { /* a failed handshake only ends that connection */ });
  const front = createTcpServer({ noDelay: true }, withOrigin(proxy, (socket, address) => {
    if (proxy) {
      const k = key(socket);
      proxied.set(k, address);
      socket.once('close', () => proxied.delete(k));
    }
    server.emit('connection', socket); // TLS reads what came after the header too: node's TLSSocket takes the socket's buffered bytes first
  }));
  const close = closer(front, () => server.close());
  const a = await listen(front, 'TLS', host, port, '--mqtt-tls-port');
  return { kind: 'tls', host: a.address, port: a.port, close };
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
    accept(createWebSocketStream(ws), socket, { address: plainAddress(socket.remoteAddress ?? '?'), req });
  });
  const close = closer(http, () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });
  const a = await listen(http, 'WebSocket', host, port, '--mqtt-ws-port');
  return { kind: 'ws', host: a.address, port: a.port, close };
}
