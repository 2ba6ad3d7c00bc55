import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { parseTerminalsCsv } from './terminals-csv.js';
import { isValidLiftId, lwError, type IssuedTerminal, type TerminalRole, type TerminalView } from '@liftwatch/contract';
import type { NewTerminalRow, TerminalRow } from '@liftwatch/state-store';

/** Who is connected: what the ACL decides on. */
export interface Principal {
  readonly id: string;
  readonly role: TerminalRole | 'anonymous';
  /** The lift a terminal speaks for; null for service accounts and anonymous clients. */
  readonly liftId: string | null;
}

/**
 * Where the registry's rows live: the state store (packages/state-store), on the all-in-one's SQLite
 * file or on the PostgreSQL that every broker node of a distributed deployment reads.
 */
export interface TerminalRows {
  get(terminalId: string): Promise<TerminalRow | undefined>;
  list(filter: { liftId?: string }): Promise<TerminalRow[]>;
  /** All or none, in one transaction. */
  insertMany(rows: readonly NewTerminalRow[], now: number): Promise<void>;
  rotate(terminalId: string, salt: Buffer, tokenHash: Buffer, now: number): Promise<boolean>;
  setEnabled(terminalId: string, enabled: boolean): Promise<boolean>;
}

/**
 * scrypt cost. Tokens are 192 random bits, so no dictionary can guess them and the hash need not be slow:
 * it only keeps a copied database from yielding usable tokens. N = 2^10 costs about 4 ms, so a fleet
 * reconnecting after a broker restart is not held up (RFC 7914 §2: N, r, p).
 */
const SCRYPT = { N: 1024, r: 8, p: 1 } as const;
const HASH_BYTES = 32;

const hashToken = (token: string, salt: Buffer) => new Promise<Buffer>((resolve, reject) => {
  scrypt(token, salt, HASH_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
});
const newToken = () => `lwt_${randomBytes(24).toString('base64url')}`;
const fingerprint = (token: string) => createHash('sha256').update(token).digest('base64');

const toView = (r: TerminalRow): TerminalView => ({
  terminalId: r.terminalId, liftId: r.liftId, role: r.role, enabled: r.enabled, createdAt: r.createdAt, rotatedAt: r.rotatedAt,
});

export interface AddTerminal {
  /** The lift the terminal speaks for; required for role `terminal`. */
  readonly liftId?: string | undefined;
  /** MQTT client id. @defaultValue `T-{liftId}` for a terminal */
  readonly terminalId?: string | undefined;
  /** @defaultValue 'terminal' */
  readonly role?: TerminalRole | undefined;
}

/**
 * The registry of terminals and service accounts, over the state store. A token is returned once, when issued, and stored only as a salted scrypt hash. Verified
 * tokens are remembered by their SHA-256 until the terminal is rotated or disabled, so reconnect storms
 * cost no scrypt.
 */
export function createTerminalRegistry(rows: TerminalRows) {
  const verified = new Map<string, string>();
  const listeners = new Set<(terminalId: string, why: 'disabled' | 'rotated') => void>();
  const revoked = (id: string, why: 'disabled' | 'rotated') => {
    verified.delete(id);
    for (const l of listeners) l(id, why);
  };

  async function mustGet(terminalId: string): Promise<TerminalRow> {
    const row = await rows.get(terminalId);
    if (!row) throw lwError('LW_ERR_NOT_FOUND', `terminal ${JSON.stringify(terminalId)} is not registered: list them with GET /api/terminals or add it first`);
    return row;
  }

  async function checkNew(input: AddTerminal): Promise<{ terminalId: string; liftId: string | null; role: TerminalRole }> {
    const role = input.role ?? 'terminal';
    const liftId = role === 'terminal' ? input.liftId ?? '' : null;
    if (liftId !== null && !isValidLiftId(liftId)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `lift id ${JSON.stringify(liftId)} is not valid: use 1–64 of A–Z a–z 0–9 _ . -, starting with a letter or digit`);
    }
    const terminalId = input.terminalId ?? (liftId !== null ? `T-${liftId}` : '');
    if (!isValidLiftId(terminalId)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `terminal id ${JSON.stringify(terminalId)} is not valid: it is the MQTT client id, 1–64 of A–Z a–z 0–9 _ . -, starting with a letter or digit`);
    }
    if (await rows.get(terminalId)) throw lwError('LW_ERR_CONFLICT', `terminal ${terminalId} is already registered: rotate its token instead, or choose another terminal id`);
    return { terminalId, liftId, role };
  }

  /** Adds many in one transaction: all or none. Hashes are computed first, in parallel on the thread pool. */
  async function addMany(inputs: readonly AddTerminal[]): Promise<IssuedTerminal[]> {
    const checked: Array<Awaited<ReturnType<typeof checkNew>>> = [];
    for (const input of inputs) checked.push(await checkNew(input));
    const ids = new Set<string>();
    for (const c of checked) {
      if (ids.has(c.terminalId)) throw lwError('LW_ERR_CONFLICT', `terminal ${c.terminalId} appears twice in the list: give each terminal its own id`);
      ids.add(c.terminalId);
    }
    const prepared = await Promise.all(checked.map(async (c) => {
      const token = newToken();
      const salt = randomBytes(16);
      return { ...c, token, salt, tokenHash: await hashToken(token, salt) };
    }));
    await rows.insertMany(prepared, Date.now());
    const issued: IssuedTerminal[] = [];
    for (const p of prepared) issued.push({ terminal: toView(await mustGet(p.terminalId)), token: p.token });
    return issued;
  }

  async function add(input: AddTerminal): Promise<IssuedTerminal> {
    const [issued] = await addMany([input]);
    return issued!;
  }

  async function rotate(terminalId: string): Promise<IssuedTerminal> {
    await mustGet(terminalId);
    const token = newToken();
    const salt = randomBytes(16);
    await rows.rotate(terminalId, salt, await hashToken(token, salt), Date.now());
    revoked(terminalId, 'rotated');
    return { terminal: toView(await mustGet(terminalId)), token };
  }

  async function setEnabled(terminalId: string, enabled: boolean): Promise<TerminalView> {
    await mustGet(terminalId);
    await rows.setEnabled(terminalId, enabled);
    if (!enabled) revoked(terminalId, 'disabled');
    return toView(await mustGet(terminalId));
  }

  /** The principal for a client id and token, or a reason it is refused. Never throws. */
  async function verify(terminalId: string, token: string): Promise<{ ok: true; principal: Principal } | { ok: false; reason: string }> {
    const row = await rows.get(terminalId);
    if (!row) return { ok: false, reason: `client id ${JSON.stringify(terminalId)} is not a registered terminal` };
    if (!row.enabled) return { ok: false, reason: `terminal ${terminalId} is disabled` };
    // The cache entry is bound to the stored salt, so a token rotated by another process (the CLI, another
    // broker node) is checked against the new hash at once.
    const fp = `${row.salt.toString('base64')}:${fingerprint(token)}`;
    const known = verified.get(terminalId);
    let ok = known !== undefined && known.length === fp.length && timingSafeEqual(Buffer.from(known), Buffer.from(fp));
    if (!ok) ok = timingSafeEqual(await hashToken(token, row.salt), row.tokenHash);
    if (!ok) return { ok: false, reason: `wrong token for terminal ${terminalId}` };
    verified.set(terminalId, fp);
    return { ok: true, principal: { id: row.terminalId, role: row.role, liftId: row.liftId } };
  }

  /** A registered, enabled terminal's principal without a token (a verified TLS client certificate). */
  async function principalOf(terminalId: string): Promise<Principal | undefined> {
    const row = await rows.get(terminalId);
    return row?.enabled ? { id: row.terminalId, role: row.role, liftId: row.liftId } : undefined;
  }

  return {
    add, addMany, rotate, setEnabled, verify, principalOf,
    /** Provisions a CSV of terminals, `liftId[,terminalId[,role]]` a line, in one transaction. */
    addCsv: (text: string) => addMany(parseTerminalsCsv(text)),
    get: async (terminalId: string): Promise<TerminalView | undefined> => {
      const row = await rows.get(terminalId);
      return row ? toView(row) : undefined;
    },
    list: async (filter: { liftId?: string } = {}): Promise<TerminalView[]> => (await rows.list(filter)).map(toView),
    /** Called when a terminal's token stops being valid, so the broker can drop its connection. */
    onRevoke(listener: (terminalId: string, why: 'disabled' | 'rotated') => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type TerminalRegistry = ReturnType<typeof createTerminalRegistry>;
