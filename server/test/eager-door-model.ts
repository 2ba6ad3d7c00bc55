import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ARTIFACTS_DIR } from '@liftwatch/models';

/**
 * The shipped models copied into `dir`, the door model's raise threshold lowered to 0.3 (its clear
 * 0.1), for tests about what the platform does with a predicted alert, not about how early the door
 * model sees a simulated wear: that depends on its calibration and on the hour of the day the history
 * ends (traffic follows the time of day), and models/EVALUATION.md measures it. Returns `dir`.
 */
export function modelsWithAnEagerDoorModel(dir: string): string {
  cpSync(DEFAULT_ARTIFACTS_DIR, dir, { recursive: true });
  const file = join(dir, 'door-system', shippedDoorVersion(), 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { thresholds: Record<string, number> };
  writeFileSync(file, JSON.stringify({ ...manifest, thresholds: { ...manifest.thresholds, raise: 0.3, clear: 0.1 } }));
  return dir;
}

/** The door model version served: the newest shipped. */
export function shippedDoorVersion(): string {
  return String(Math.max(...readdirSync(join(DEFAULT_ARTIFACTS_DIR, 'door-system')).map(Number).filter(Number.isInteger)));
}
