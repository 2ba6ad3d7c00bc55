import { parse } from 'csv-parse/sync';
import { errorText, lwError, preview, type TerminalRole } from '@liftwatch/contract';
import type { AddTerminal } from './terminal-registry.js';

const ROLES: readonly TerminalRole[] = ['terminal', 'ingest', 'dashboards'];

interface Row { record: string[]; info: { lines: number } }

/** The CSV's rows with their line numbers, read by csv-parse (RFC 4180: quoted cells, CRLF); blank and `#` lines skipped. */
function rows(text: string): Row[] {
  try {
    return parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', comment_no_infix: true, bom: true }) as unknown as Row[];
  } catch (err) {
    throw lwError('LW_ERR_REQUEST_INVALID', `the CSV cannot be read (${errorText(err, 300)}): give one line per terminal, liftId[,terminalId[,role]]`, err);
  }
}

/**
 * Reads a CSV of terminals to provision, one a line: `liftId[,terminalId[,role]]`. A first line that
 * starts with `liftId` is a header; empty lines and lines starting with `#` are skipped.
 */
export function parseTerminalsCsv(text: string): AddTerminal[] {
  const out: AddTerminal[] = [];
  for (const { record, info } of rows(text)) {
    const [liftId = '', terminalId = '', role = ''] = record;
    if (info.lines === 1 && /^lift_?id$/i.test(liftId)) continue;
    if (role !== '' && !ROLES.includes(role as TerminalRole)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `CSV line ${info.lines}: role ${preview(role)} is unknown: use one of ${ROLES.join(', ')}`);
    }
    out.push({ liftId: liftId === '' ? undefined : liftId, terminalId: terminalId === '' ? undefined : terminalId, role: role === '' ? 'terminal' : role as TerminalRole });
  }
  if (out.length === 0) throw lwError('LW_ERR_REQUEST_INVALID', 'the CSV names no terminals: give one line per terminal, liftId[,terminalId[,role]]');
  return out;
}
