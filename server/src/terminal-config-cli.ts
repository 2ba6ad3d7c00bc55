import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { Value } from '@sinclair/typebox/value';
import { LiftwatchError, TerminalCommand, TerminalSettings, type TerminalConfigView, type TerminalTarget } from '@liftwatch/contract';
import { openStateStore } from '@liftwatch/state-store';
import { openDatabase } from './sqlite.js';
import { terminalConfigPort } from './terminal-config.js';

const USAGE = `Usage: npm run terminal-config -- <command> [options]

Commands:
  push <target> --set key=value [--set …] [--streams a,b]   a new desired config, sent retained
  command <restart|selfTest|sendStatus|sendWave> <target>   a command to each terminal
  status [liftId]           desired against acknowledged version per terminal
  unacknowledged            terminals that have not acknowledged their desired version, and since when

Target (one): --lift ID (repeatable) | --area CODE (GB/T 2260) | --unit ID (a maintenance unit's lifts)
Settings (--set): statusIdleS, statusMovingS, deviceS, envS, entrapmentS, waveVibA95ZMps2, waveVibA95XYMps2
  (docs/terminals.md#remote-configuration-and-commands); --streams: the record streams the terminals send.

Options: --data-dir DIR (or LIFTWATCH_DATA_DIR; default ./data) or --state-url URL (or LIFTWATCH_STATE_URL):
where the desired configs are kept, as for the running liftwatch;
--mqtt-url URL (default mqtt://127.0.0.1:1883), --username ID --password TOKEN: a dashboards service
account (npm run terminals -- add-service ID --role dashboards) that push and command publish with.`;

const fail = (message: string) => new LiftwatchError('LW_ERR_REQUEST_INVALID', `${message}; see npm run terminal-config -- --help`);

function targetOf(values: { lift?: string[] | undefined; area?: string | undefined; unit?: string | undefined }): TerminalTarget {
  const target: TerminalTarget = {
    ...(values.lift?.length ? { liftIds: values.lift } : {}), ...(values.area ? { areaCode: values.area } : {}), ...(values.unit ? { maintenanceUnit: values.unit } : {}),
  };
  if (Object.keys(target).length !== 1) throw fail('give exactly one target: --lift ID (repeatable), --area CODE or --unit ID');
  return target;
}

/** `--set deviceS=60` pairs (numbers) and `--streams` as settings, checked against the contract. */
function settingsOf(pairs: readonly string[], streams: string | undefined): TerminalSettings {
  const settings: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [key, raw] = pair.split('=', 2);
    if (!key || raw === undefined || raw.trim() === '' || !Number.isFinite(Number(raw))) throw fail(`--set ${JSON.stringify(pair)} is not key=number`);
    settings[key] = Number(raw);
  }
  if (streams !== undefined) settings['enabledStreams'] = streams.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const first = Value.Errors(TerminalSettings, settings).First();
  if (first) throw fail(`setting ${first.path.slice(1) || '(settings)'} ${first.message.toLowerCase()} (got ${JSON.stringify(first.value)})`);
  if (Object.keys(settings).length === 0) throw fail('push needs at least one --set key=value or --streams');
  return settings as TerminalSettings;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
const line = (c: TerminalConfigView) => `${c.liftId}\tdesired ${c.desiredVersion}\tacknowledged ${c.ackedVersion ?? '-'}\t${c.state}\tsince ${iso(c.desiredAt)}${c.state === 'rejected' ? `\t${c.rejectedReason ?? ''}` : ''}`;

/** Remote configuration from the command line, over the same state as the running liftwatch. Only this file exits. */
async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      'data-dir': { type: 'string' }, 'state-url': { type: 'string' }, lift: { type: 'string', multiple: true }, area: { type: 'string' }, unit: { type: 'string' },
      set: { type: 'string', multiple: true }, streams: { type: 'string' }, 'mqtt-url': { type: 'string' }, username: { type: 'string' }, password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command) return void console.log(USAGE);
  const stateUrl = values['state-url'] ?? process.env['LIFTWATCH_STATE_URL'] ?? '';
  const db = stateUrl ? undefined : openDatabase(values['data-dir'] ?? process.env['LIFTWATCH_DATA_DIR'] ?? './data');
  const state = await openStateStore(db ? { url: `sqlite:${db.name}`, connection: db } : { url: stateUrl });
  let client: mqtt.MqttClient | undefined;
  const publisher = async () => {
    client ??= await mqtt.connectAsync(values['mqtt-url'] ?? 'mqtt://127.0.0.1:1883', { ...(values.username ? { username: values.username, clientId: values.username } : {}), ...(values.password ? { password: values.password } : {}), protocolVersion: 4, reconnectPeriod: 0 });
    const c = client;
    return terminalConfigPort(state, async (topic, payload, retain) => void await c.publishAsync(topic, payload, { qos: 1, retain }), { silentMin: 0, backlogMax: 0, clockOffsetMaxMs: 0 });
  };
  try {
    switch (command) {
      case 'push': {
        const settings = settingsOf(values.set ?? [], values.streams);
        const port = await publisher();
        for (const p of await port.push(await port.lifts(targetOf(values)), settings, 'cli')) console.log(`${p.liftId}\tconfig ${p.configVersion} sent`);
        break;
      }
      case 'command': {
        if (!Value.Check(TerminalCommand, arg)) throw fail(`command ${JSON.stringify(arg ?? '')} is unknown: give restart, selfTest, sendStatus or sendWave`);
        const port = await publisher();
        for (const c of await port.command(await port.lifts(targetOf(values)), arg, 'cli')) console.log(`${c.liftId}\t${c.cmdId} sent`);
        break;
      }
      case 'status':
        for (const c of await state.terminalConfigs.list(arg ? [arg] : undefined)) console.log(line(c));
        break;
      case 'unacknowledged':
        for (const c of await state.terminalConfigs.unacknowledged()) console.log(line(c));
        break;
      default:
        throw fail(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    await client?.endAsync();
    await state.close();
    db?.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof LiftwatchError) console.error(`liftwatch terminal-config: ${err.message} (${err.code})`);
  else console.error(`liftwatch terminal-config: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
