import { lwError, type TerminalRole } from '@liftwatch/contract';
import type { AddTerminal } from './terminal-registry.js';

const ROLES: readonly TerminalRole[] = ['terminal', 'ingest', 'dashboards'];

/**
 * Reads a CSV of terminals to provision, one a line: `liftId[,terminalId[,role]]`. A first line that
 * starts with `liftId` is a header; empty lines and lines starting with `#` are skipped. Fields hold no
 * commas or quotes (ids cannot), so no quoting is needed (RFC 4180 §2 without its optional quotes).
 */
export function parseTerminalsCsv(text: string): AddTerminal[] {
  const out: AddTerminal[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || (i === 0 && /^lift_?id\b/i.test(line))) return;
    const [liftId = '', terminalId = '', role = ''] = line.split(',').map((f) => f.trim());
    if (role !== '' && !ROLES.includes(role as TerminalRole)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `CSV line ${i + 1}: role ${JSON.stringify(role)} is unknown: use one of ${ROLES.join(', ')}`);
    }
    out.push({ liftId: liftId === '' ? undefined : liftId, terminalId: terminalId === '' ? undefined : terminalId, role: role === '' ? 'terminal' : role as TerminalRole });
  });
  if (out.length === 0) throw lwError('LW_ERR_REQUEST_INVALID', 'the CSV names no terminals: give one line per terminal, liftId[,terminalId[,role]]');
  return out;
}
