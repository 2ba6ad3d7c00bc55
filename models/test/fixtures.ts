import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type Registry } from '../src/registry/registry.js';
import { publishFamilies } from '../src/train/publish.js';
import { generateSynthetic } from '../src/train/synthetic-degradation.js';
import { trainFamilies } from '../src/train/train-models.js';

/** A small trained registry in a temp dir (stand-in synthetic data), and how to remove it. */
export function smallRegistry(): { registry: Registry; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-models-'));
  const registry = createRegistry(dir);
  const lifts = generateSynthetic({ lifts: 8, days: 40, seed: 11, scenario: 'door-heavy' });
  const trained = trainFamilies(lifts, { gbt: { rounds: 30 } });
  publishFamilies(registry, trained, { source: 'synthetic-stand-in', scenarios: ['synthetic-door-heavy'], seeds: [11], lifts: 8, horizonDays: 7, options: { rounds: 30 } });
  return { registry, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
