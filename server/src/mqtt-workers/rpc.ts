import { ERROR_CODES, lwError, type ErrorCode } from '@liftwatch/contract';

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

/** One end of an IPC channel: a cluster worker's `process`, or the primary's `Worker`. */
export interface Channel {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

type Call = { id: number; kind: string; args: unknown[] };
type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: string; message: string };
/** What goes over the channel: the calls and answers of one turn of the event loop, in one message. */
interface Packet { lwRpc: 1; calls: Call[]; answers: Answer[] }

export type Handlers = Record<string, (...args: never[]) => unknown>;

/**
 * Calls between the node's primary process and its MQTT workers over their IPC channel: `call`
 * resolves with the other side's answer (or rejects with its error, a LiftwatchError keeping its
 * code); `tell` expects no answer (id 0). The calls and answers of one turn of the event loop go as
 * one IPC message, so that a busy worker does not pay one message per record.
 */
export function createRpc(channel: Channel, handlers: Handlers) {
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let out: Packet | undefined;
  let closed: Error | undefined;

  function queue(): Packet {
    if (!out) {
      out = { lwRpc: 1, calls: [], answers: [] };
      setImmediate(flush);
    }
    return out;
  }
  function flush(): void {
    const p = out;
    out = undefined;
    if (!p || closed) return;
    try {
      channel.send(p);
    } catch (err) {
      // The channel is gone (the other process exited): what was asked is answered by nobody.
      close(err instanceof Error ? err : new Error(String(err)));
    }
  }

  function answer(id: number, run: () => unknown): void {
    const done = (a: Answer) => { if (id !== 0 && !closed) queue().answers.push(a); };
    const fail = (err: unknown) => done({ id, ok: false, code: (err as { code?: unknown }).code as string ?? '', message: err instanceof Error ? err.message : String(err) });
    try {
      Promise.resolve(run()).then((value) => done({ id, ok: true, value: value ?? null }), fail);
    } catch (err) {
      fail(err);
    }
  }

  channel.on('message', (message) => {
    const p = message as Partial<Packet>;
    if (p.lwRpc !== 1) return;
    for (const c of p.calls ?? []) {
      const h = handlers[c.kind] as ((...args: unknown[]) => unknown) | undefined;
      answer(c.id, () => {
        if (!h) throw new Error(`no handler for ${c.kind}`);
        return h(...c.args);
      });
    }
    for (const a of p.answers ?? []) {
      const w = waiting.get(a.id);
      if (!w) continue;
      waiting.delete(a.id);
      if (a.ok) w.resolve(a.value);
      else w.reject(isErrorCode(a.code) ? lwError(a.code, a.message) : new Error(a.message));
    }
  });

  function close(reason: Error): void {
    closed ??= reason;
    for (const w of waiting.values()) w.reject(reason);
    waiting.clear();
  }

  return {
    call<T>(kind: string, ...args: unknown[]): Promise<T> {
      if (closed) return Promise.reject(closed);
      const id = nextId++;
      queue().calls.push({ id, kind, args });
      return new Promise<T>((resolve, reject) => waiting.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    },
    tell(kind: string, ...args: unknown[]): void {
      if (!closed) queue().calls.push({ id: 0, kind, args });
    },
    /** Calls still waiting for their answer. */
    waiting: (): number => waiting.size,
    /** The other side is gone: every call waiting is rejected with `reason`, later ones at once. */
    close,
  };
}

export type Rpc = ReturnType<typeof createRpc>;
