import { parseArgs, type ParseArgsConfig } from 'node:util';
import { lwError } from '@liftwatch/contract';
import { parseSeeds } from '@liftwatch/simulator';
import type { FleetSlice } from './fleet-split.js';

/** One command-line option: its default and what it does (the --help text is made from these). */
export interface CliOption { readonly default?: string; readonly help: string; readonly flag?: boolean }

/**
 * Parse a models command's options (node:util parseArgs, strict): `--help` prints the usage and
 * exits 0; an unknown option or a bad value prints what was wrong and exits 2.
 */
export function parseCli(usage: string, options: Readonly<Record<string, CliOption>>): Record<string, string> {
  const config: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(options)) config[name] = o.flag ? { type: 'boolean' } : { type: 'string' };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ options: config, strict: true, allowPositionals: false }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\nSee the options with --help.`);
    process.exit(2);
  }
  if (values['help'] === true) {
    const width = Math.max(...Object.keys(options).map((n) => n.length)) + 4;
    console.log(`${usage}\n\nOptions:\n${Object.entries(options).map(([n, o]) => `  --${n.padEnd(width)}${o.help}${o.default !== undefined ? ` (default: ${o.default})` : ''}`).join('\n')}\n  --${'help'.padEnd(width)}this text`);
    process.exit(0);
  }
  const out: Record<string, string> = {};
  for (const [name, o] of Object.entries(options)) {
    const v = values[name];
    out[name] = typeof v === 'string' ? v : v === true ? 'true' : (o.default ?? '');
  }
  return out;
}

/** Run `main`, printing a LiftwatchError's message (not its stack) and exiting 2 on bad input. */
export async function runCli(main: () => Promise<void> | void): Promise<void> {
  try {
    await main();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('LW_ERR_')) {
      console.error(`${e.code}: ${e.message}`);
      process.exit(2);
    }
    throw err;
  }
}

/** A whole number ≥ min from an option, or LW_ERR_CONFIG_INVALID naming the option. */
export function intOption(name: string, text: string, min = 1): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw lwError('LW_ERR_CONFIG_INVALID', `--${name} ${text} must be a whole number ≥ ${min}`);
  return v;
}

/** A positive number from an option. */
export function numberOption(name: string, text: string): number {
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v)) throw lwError('LW_ERR_CONFIG_INVALID', `--${name} ${text} must be a number > 0`);
  return v;
}

/** A fleet slice from `<prefix>mixes`, `<prefix>seeds`, `<prefix>lifts`, `<prefix>days` (and `<prefix>first-lift` when given). */
export function sliceOption(v: Record<string, string>, prefix = ''): FleetSlice {
  const mixes = (v[`${prefix}mixes`] ?? '').split(',').map((m) => m.trim()).filter((m) => m.length > 0);
  if (mixes.length === 0) throw lwError('LW_ERR_CONFIG_INVALID', `--${prefix}mixes is empty: name one or more mixes (e.g. city-mixed) or mix JSON files, comma-separated`);
  const first = v[`${prefix}first-lift`];
  return {
    mixes, seeds: parseSeeds(v[`${prefix}seeds`] ?? ''), lifts: intOption(`${prefix}lifts`, v[`${prefix}lifts`] ?? ''), days: numberOption(`${prefix}days`, v[`${prefix}days`] ?? ''),
    ...(first !== undefined && first !== '' ? { firstLift: intOption(`${prefix}first-lift`, first, 0) } : {}),
  };
}

/**
 * Throws when two slices share a fleet: a mix simulated with the same seed. A mix may serve both
 * when its seeds differ (another seed is another fleet of lifts), as when thresholds are validated
 * on the training mixes as well.
 */
export function assertNoSharedFleet(a: FleetSlice, aName: string, b: FleetSlice, bName: string): void {
  const mixes = a.mixes.filter((m) => b.mixes.includes(m));
  const seeds = a.seeds.filter((s) => b.seeds.includes(s));
  if (mixes.length > 0 && seeds.length > 0) {
    throw lwError('LW_ERR_CONFIG_INVALID', `the ${aName} and ${bName} lifts share fleets (mixes ${mixes.join(', ')} with seeds ${seeds.join(', ')}): give the ${bName} lifts other seeds`);
  }
}
