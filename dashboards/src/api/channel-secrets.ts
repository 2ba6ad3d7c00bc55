import { lwError, type ChannelView, type Person, type PersonView } from '@liftwatch/contract';

/**
 * Secrets of alert channels are write-only (they sign or authorise messages to crews' robots and
 * webhooks): responses carry `secretSet` instead of the secret and `***` instead of credentials in a
 * URL's query; a PUT that leaves them out, or sends the masked values back, keeps the stored ones.
 */
export const MASK = '***';
/** Query parameters that carry a robot's or webhook's credential (DingTalk access_token and sign, WeCom key). */
const CREDENTIAL_PARAMS = ['access_token', 'key', 'sign', 'token', 'secret'];

/** `to` with the values of its credential query parameters masked; not a URL (e-mail, phone): as it is. */
export function maskUrl(to: string): string {
  if (!/^https?:\/\//i.test(to)) return to;
  try {
    const u = new URL(to);
    let masked = false;
    for (const k of [...u.searchParams.keys()]) {
      if (CREDENTIAL_PARAMS.includes(k.toLowerCase())) {
        u.searchParams.set(k, MASK);
        masked = true;
      }
    }
    if (u.password) {
      u.password = MASK;
      masked = true;
    }
    return masked ? u.toString() : to;
  } catch {
    return to;
  }
}

export function personView(p: Person): PersonView {
  return { ...p, channels: p.channels.map((c): ChannelView => ({ kind: c.kind, to: maskUrl(c.to), secretSet: typeof c.secret === 'string' && c.secret !== '' })) };
}

/**
 * A person's body as written, with the stored secrets put back: a channel whose `to` is the stored
 * one's masked form gets the stored `to`; one without `secret` keeps the stored secret of the same
 * kind and address; `"secret": ""` removes it. `secretSet` (from a GET) is dropped.
 */
export function withStoredSecrets(body: unknown, stored: Person | undefined): unknown {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { channels?: unknown }).channels)) return body;
  const channels = ((body as { channels: unknown[] }).channels).map((c) => {
    if (typeof c !== 'object' || c === null) return c;
    const { secretSet: _shown, ...given } = c as Record<string, unknown>;
    const match = stored?.channels.find((s) => s.kind === given['kind'] && (s.to === given['to'] || maskUrl(s.to) === given['to']));
    if (!match && typeof given['to'] === 'string' && given['to'].includes(MASK)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `channel ${JSON.stringify(given['to'])} has masked credentials (${MASK}) but is none of this person's stored ${String(given['kind'])} channels: give the full URL`);
    }
    if (!match) return given;
    const out: Record<string, unknown> = { ...given, to: match.to };
    if (given['secret'] === undefined && match.secret) out['secret'] = match.secret;
    if (given['secret'] === '') delete out['secret'];
    return out;
  });
  return { ...body, channels };
}
