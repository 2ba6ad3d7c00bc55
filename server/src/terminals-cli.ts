import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTerminalRegistry } from '@liftwatch/broker';
import { LiftwatchError, type IssuedTerminal, type TerminalRole, type TerminalView } from '@liftwatch/contract';
import { openStateStore } from '@liftwatch/state-store';
import { openDatabase } from './sqlite.js';

const USAGE = `Usage: npm run terminals -- <command> [options]

Commands:
  add <liftId> [--terminal-id ID] [--role terminal|ingest|dashboards]   provision one; prints its token once
  add-service <id> --role ingest|dashboards                            a service account
  add-csv <file>            one terminal a line: liftId[,terminalId[,role]]; prints id,liftId,token as CSV
  list [liftId]             the terminals (tokens are never shown again)
  rotate <terminalId>       a new token; the old one stops working
  enable <terminalId> | disable <terminalId>

Options: --data-dir DIR (or LIFTWATCH_DATA_DIR; default ./data), the directory liftwatch runs with;
--state-url URL (or LIFTWATCH_STATE_URL): the shared registry of a distributed deployment (PostgreSQL).
A running liftwatch sees every change at the next connection; to drop a live connection at once, use
POST /api/terminals/<id>/disable or /rotate on the running process instead.`;

const row = (t: TerminalView) => `${t.terminalId}\t${t.liftId ?? '-'}\t${t.role}\t${t.enabled ? 'enabled' : 'disabled'}\t${new Date(t.rotatedAt).toISOString()}`;
const issuedLine = (i: IssuedTerminal) => `${i.terminal.terminalId},${i.terminal.liftId ?? ''},${i.token}`;

/** The terminal registry from the command line, on the all-in-one's SQLite database. Only this file exits. */
async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { 'data-dir': { type: 'string' }, 'state-url': { type: 'string' }, 'terminal-id': { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const stateUrl = values['state-url'] ?? process.env['LIFTWATCH_STATE_URL'] ?? '';
  const state = stateUrl ? await openStateStore({ url: stateUrl }) : undefined;
  const db = state ? undefined : openDatabase(values['data-dir'] ?? process.env['LIFTWATCH_DATA_DIR'] ?? './data');
  try {
    const reg = createTerminalRegistry(state ? state.terminals : db!);
    const need = (what: string) => {
      if (!arg) throw new LiftwatchError('LW_ERR_REQUEST_INVALID', `${command} needs ${what}; see npm run terminals -- --help`);
      return arg;
    };
    const role = values.role as TerminalRole | undefined;
    switch (command) {
      case 'add': {
        const issued = await reg.add({ liftId: need('a lift id'), terminalId: values['terminal-id'], role });
        console.log(`terminal ${issued.terminal.terminalId} of lift ${issued.terminal.liftId ?? '-'}: token ${issued.token}`);
        console.log(`(shown once) e.g. mosquitto_pub -i ${issued.terminal.terminalId} -u ${issued.terminal.terminalId} -P ${issued.token} -t lift/v1/${issued.terminal.liftId ?? ''}/status -m ...`);
        break;
      }
      case 'add-service': {
        const issued = await reg.add({ terminalId: need('an account id'), role: role ?? 'ingest' });
        console.log(`${issued.terminal.role} account ${issued.terminal.terminalId}: token ${issued.token} (shown once)`);
        break;
      }
      case 'add-csv':
        console.log('terminalId,liftId,token');
        for (const i of await reg.addCsv(readFileSync(need('a CSV file'), 'utf8'))) console.log(issuedLine(i));
        break;
      case 'list':
        for (const t of await reg.list(arg ? { liftId: arg } : {})) console.log(row(t));
        break;
      case 'rotate': {
        const issued = await reg.rotate(need('a terminal id'));
        console.log(`terminal ${issued.terminal.terminalId}: new token ${issued.token} (shown once; the old one no longer works)`);
        break;
      }
      case 'enable':
      case 'disable':
        console.log(row(await reg.setEnabled(need('a terminal id'), command === 'enable')));
        break;
      default:
        throw new LiftwatchError('LW_ERR_REQUEST_INVALID', `unknown command ${JSON.stringify(command)}; see npm run terminals -- --help`);
    }
  } finally {
    db?.close();
    await state?.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof LiftwatchError) console.error(`liftwatch terminals: ${err.message} (${err.code})`);
  else console.error(`liftwatch terminals: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
