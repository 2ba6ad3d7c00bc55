import type { Duplex } from 'node:stream';

/**
 * Says how many bytes the head of a connection has once it can tell (undefined: more bytes are needed).
 * It throws to refuse the connection.
 */
export type HeadLength = (buffered: Buffer) => number | undefined;

/** Why no head was read: the peer went away, took too long, or sent too much without one. */
export class NoHead extends Error {
  constructor(readonly why: 'closed' | 'timeout' | 'too large', message: string) {
    super(message);
  }
}

/**
 * Reads the first bytes of a connection until `lengthOf` knows the length of its head, then pauses the
 * stream and puts back what came after the head, so the next reader (aedes, or a TLS server) starts
 * right after it. Rejects with `NoHead` when the peer closes first, sends `maxBytes` without a complete
 * head, or takes longer than `timeoutMs`; with what `lengthOf` throws when it refuses the bytes.
 */
export function readHead(stream: Duplex, lengthOf: HeadLength, opts: { maxBytes: number; timeoutMs: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    const finish = (err: Error | null, head?: Buffer) => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onEnd);
      stream.pause();
      if (err) reject(err);
      else resolve(head!);
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      let length: number | undefined;
      try {
        length = lengthOf(buffered);
      } catch (err) {
        return finish(err as Error);
      }
      if (length === undefined || length > buffered.length) {
        if (buffered.length >= opts.maxBytes) finish(new NoHead('too large', `no complete head in the first ${buffered.length} bytes`));
        return;
      }
      const rest = buffered.subarray(length);
      finish(null, buffered.subarray(0, length));
      if (rest.length > 0) stream.unshift(rest);
    };
    const onEnd = () => finish(new NoHead('closed', 'the peer closed the connection first'));
    const timer = setTimeout(() => finish(new NoHead('timeout', `nothing complete within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    timer.unref();
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onEnd);
    stream.resume(); // a 'data' listener alone does not restart a stream an earlier head read paused
  });
}
