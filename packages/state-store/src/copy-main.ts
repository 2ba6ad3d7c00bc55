import { parseArgs } from 'node:util';
import { LiftwatchError } from '@liftwatch/contract';
import { copyState } from './copy.js';
import { openStateStore } from './index.js';

const USAGE = `Usage: npm run state:copy -- --from sqlite:data/liftwatch.db --to postgres://user:password@host:5432/liftwatch

Copies users, sessions, the audit of writes, terminals, organisations, people, rotas, escalation
policies, lifts, alerts with their occurrences and audit, maintenance visits and health history from
one state store to another, ids kept. Run it with liftwatch stopped; rows already in the target are
left as they are, so it can be run again. Both databases are migrated to the latest schema first.`;

/** The only place of the state store that reads the command line and exits. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || !values.from || !values.to) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 1;
    return;
  }
  const from = await openStateStore({ url: values.from });
  try {
    const to = await openStateStore({ url: values.to });
    try {
      const counts = await copyState(from, to, { log: (line) => console.log(line) });
      console.log(`copied ${Object.values(counts).reduce((a, b) => a + b, 0)} rows from ${from.dialect} to ${to.dialect}`);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof LiftwatchError ? `state:copy: ${err.message} (${err.code})` : `state:copy failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
