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

  it('refuses an exchange without a token, an unknown time zone and rescue targets that do not increase, naming each', () => {
    expect(() => makeConfig({ exchangeUrl: 'https://gov.example/api' })).toThrow(/setting exchangeUrl is set but no token is: give the platform's token/);
    expect(() => makeConfig({ exchangeUrl: 'http://gov.example/api', exchangeToken: 't' })).toThrow(/setting exchangeUrl is "http:\/\/gov.example\/api"/);
    expect(() => makeConfig({ exchangeUrl: 'https://gov.example/api', exchangeTokenUrl: 'https://gov.example/token' })).toThrow(/without exchangeClientId and exchangeClientSecret/);
    expect(() => configFromProcess([], { LIFTWATCH_TIME_ZONE: 'Mars/Olympus' })).toThrow(/LIFTWATCH_TIME_ZONE is "Mars\/Olympus": not a time zone this system knows/);
    expect(() => configFromProcess(['--rescue-targets-min', '5,3,1'], {})).toThrow(/--rescue-targets-min: rescue targets "5,3,1" are not three increasing minutes/);
    expect(makeConfig({ exchangeUrl: 'https://gov.example/api', exchangeToken: 't', rescueTargetsMin: '' })).toMatchObject({ timeZone: 'Asia/Shanghai', rescueArrivalLimitMin: 30 });
  });

  it('takes several MQTT workers only with Redis and the broker and ingest roles, naming what is missing', () => {
    expect(makeConfig({}).mqttWorkers).toBe(1);
    expect(helpText()).toContain('--mqtt-workers');
    expect(() => configFromProcess(['--mqtt-workers', '2'], {})).toThrow(/--mqtt-workers is 2 but redisUrl is empty: give --redis-url/);
    expect(() => makeConfig({ mqttWorkers: 2, redisUrl: 'redis://127.0.0.1:6379', roles: 'broker,dashboards' })).toThrow(/add broker and ingest to roles/);
    expect(configFromProcess([], { LIFTWATCH_MQTT_WORKERS: '2', LIFTWATCH_REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ mqttWorkers: 2 });
    expect(() => configFromProcess([], { LIFTWATCH_MQTT_WORKERS: '0' })).toThrow(/LIFTWATCH_MQTT_WORKERS is 0/);
  });
});
