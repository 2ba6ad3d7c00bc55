import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measurementOf, RECORD_STREAMS, STREAMS } from '@liftwatch/contract';

// The Grafana dashboards query the InfluxDB backend by measurement and field name: a renamed field
// in the contract must fail here, not leave an empty panel.
const load = (name: string) => JSON.parse(readFileSync(new URL(`../grafana/${name}`, import.meta.url), 'utf8')) as { uid: string; panels: Array<{ title: string; targets: Array<{ query: string }> }> };
const fieldsOf = (stream: string) => Object.keys((STREAMS as Record<string, { schema: { properties?: Record<string, unknown> } }>)[stream]?.schema.properties ?? {});

describe('Grafana dashboards (fleet, lift)', () => {
  for (const file of ['fleet.json', 'lift.json']) {
    it(`${file}: every panel reads a liftwatch measurement and fields that exist in the contract`, () => {
      const dash = load(file);
      expect(dash.panels.length).toBeGreaterThan(5);
      for (const panel of dash.panels) {
        for (const { query } of panel.targets) {
          const measurements = [...query.matchAll(/FROM "(lift_[a-z]+)"/g)].map((m) => m[1]!);
          expect(measurements.length, panel.title).toBeGreaterThan(0);
          const stream = RECORD_STREAMS.find((s) => measurementOf(s) === measurements[0]);
          expect(stream, `${panel.title}: ${measurements[0]}`).toBeDefined();
          const fields = [...query.matchAll(/\(\s*"([A-Za-z0-9]+)"/g)].map((m) => m[1]!).filter((f) => f !== 'liftId');
          for (const f of fields) expect(fieldsOf(stream!), `${panel.title}: ${f}`).toContain(f);
        }
      }
    });
  }
});
