import { FAILURE_MODES } from '@liftwatch/simulator';
import { FAMILY_NAMES, MODEL_ID, type Family } from '../train/families.js';

const DAY = 86_400_000;

/**
 * The true states an oracle may read (never served: only the simulator knows them):
 * - `health`: 1 − the lowest health of the family's components that can fail (the worst injected
 *   fault's severity now, capped at 1);
 * - `remaining-life`: exp(−d / 30 days), d the fewest days left before one of them reaches health 0
 *   along its fault's law from its present age (what the law alone says, no future repair known).
 */
export const ORACLE_STATES = ['health', 'remaining-life'] as const;
export type OracleState = (typeof ORACLE_STATES)[number];

/** Oracle scores per sample: one per family and state, family-major. */
export const ORACLE_INPUTS = FAMILY_NAMES.length * ORACLE_STATES.length;

export const oracleIndex = (f: Family, state: OracleState): number => FAMILY_NAMES.indexOf(f) * ORACLE_STATES.length + ORACLE_STATES.indexOf(state);

/**
 * The components whose wear can make each family fail (FAILURE_MODES): the machine bearing belongs
 * to drive/thermal but no functional failure comes from it, so its wear would only add false alerts.
 */
const COMPONENTS = {} as Record<Family, readonly string[]>;
for (const f of FAMILY_NAMES) COMPONENTS[f] = [...new Set(FAILURE_MODES.filter((m) => m.family === MODEL_ID[f]).map((m) => m.component))];

/** A ground-truth `health` line (packages/simulator/src/ground-truth.ts). */
export interface HealthLine { readonly ts: number; readonly health: Readonly<Record<string, number>>; readonly rulDays: Readonly<Record<string, number>> }

/**
 * The true state of one lift's components as its ground truth last wrote it (once a day and after
 * every visit), read at sample times: a score at t depends on the lines up to t only, never on
 * what comes after. Remaining life counts down from the line's time, as the law does until the next
 * visit (which writes a new line).
 */
export function createTruthState() {
  let last: HealthLine | undefined;
  return {
    add(line: HealthLine): void { last = line; },
    /** The oracle scores at `at`, ORACLE_INPUTS of them (0 before the first line: a new lift). */
    scores(at: number, into = new Float32Array(ORACLE_INPUTS)): Float32Array {
      for (const f of FAMILY_NAMES) {
        let health = 1; let rul = Infinity;
        for (const c of COMPONENTS[f]) {
          const h = last?.health[c] ?? 1;
          health = Math.min(health, h);
          // A fault whose part the crew replaced keeps counting down along its old law in the truth's
          // remaining life (components.ts asks every started fault, degradation.ts rulDays ignores the
          // renewal): a part in health is read as having no remaining-life figure, and one at 0 days while
          // its health is above 0 as that artefact, not as a part at its threshold.
          const r0 = h < 1 ? last?.rulDays[c] : undefined;
          const r = r0 === 0 && h > 0 ? undefined : r0;
          if (r !== undefined) rul = Math.min(rul, Math.max(0, r - (at - last!.ts) / DAY));
        }
        into[oracleIndex(f, 'health')] = 1 - Math.max(0, health);
        into[oracleIndex(f, 'remaining-life')] = Number.isFinite(rul) ? Math.exp(-rul / 30) : 0;
      }
      return into;
    },
  };
}
