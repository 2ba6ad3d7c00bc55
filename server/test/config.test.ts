import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AllInOneConfig, CONFIG_KEYS, configFromProcess, envOf, helpText, makeConfig } from '../src/config.js';

describe('all-in-one settings', () => {
  it('.env.example lists every setting with its default', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const key of CONFIG_KEYS) {
      const dflt = (AllInOneConfig.properties[key] as { default: unknown }).default;
      expect(example, key).toContain(`${envOf(key)}=${String(dflt)}`);
    }
  });

  it('defaults are the documented ports and are frozen', () => {
    const c = makeConfig({});
    expect(c).toMatchObject({ mqttPort: 1883, httpPort: 8080, dataDir: './data', simulate: 0, entrapmentS: 60 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('help names every flag', () => {
    const text = helpText();
    for (const flag of ['--mqtt-port', '--http-port', '--data-dir', '--simulate', '--entrapment-s']) expect(text).toContain(flag);
  });

  it('reads a choice of words (telemetry, influxWriteApi) from the environment and names the choices when it is wrong', () => {
    expect(configFromProcess([], { LIFTWATCH_TELEMETRY: 'influxdb', LIFTWATCH_INFLUX_WRITE_API: 'v1' })).toMatchObject({ telemetry: 'influxdb', influxWriteApi: 'v1' });
    expect(configFromProcess(['--telemetry', 'influxdb'], {})).toMatchObject({ telemetry: 'influxdb' });
    expect(() => configFromProcess([], { LIFTWATCH_TELEMETRY: 'mongo' })).toThrow(/LIFTWATCH_TELEMETRY is "mongo"/);
  });
});
