import { join } from 'node:path';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { tempDir } from '@liftwatch/test-kit';
import type { HazardsPort } from '../src/hazards/port.js';
import type { FakePorts } from './fake-ports.js';

/**
 * The hazards port over a real state store on a temporary SQLite file (the store is a real part that
 * runs here); the public page reads the fake ports' lifts. `close` removes the file.
 */
export async function withHazards(ports: FakePorts) {
  const dir = tempDir('liftwatch-hazards-');
  const state: StateStore = await openStateStore({ url: `sqlite:${join(dir.path, 'state.db')}` });
  const hazards: HazardsPort = {
    ...state.hazards,
    async publicLift(liftId) {
      const lift = await ports.deps.lifts.get(liftId);
      if (!lift) return undefined;
      return {
        liftId, name: lift.registry?.name ?? null, address: lift.registry?.address ?? null, registrationCode: lift.registry?.registrationCode ?? null,
        lastMaintenanceAt: null, lastInspection: null, grade: null, openHazards: (await state.hazards.activeCounts()).get(liftId) ?? 0, rescuePhone: '96333',
      };
    },
  };
  return {
    ports: { ...ports, deps: { ...ports.deps, hazards } },
    state,
    async close() {
      await state.close();
      dir.remove();
    },
  };
}
