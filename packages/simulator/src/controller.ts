import type { Component } from './fault-plan.js';
import type { DoorFields } from './door-operator.js';
import type { TripFields } from './trip-physics.js';

/** A code the controller or a terminal rule raises or clears, with the component its rule watches. */
export interface FaultEmission {
  code: string; state: 'raised' | 'cleared'; detector: 'controller' | 'terminalRule'; component: Component;
  detail?: string; floor?: number; posMm?: number; passengersPresent?: boolean;
}

/**
 * Codes after which a corrective visit comes (`maintenance.correctiveAfterH`), and the component it
 * repairs. E16 (a failed brake-force test) is a warning the lift runs on: the visit comes when it is
 * already due for another code, so the brake scenario can reach unintended movement as in the 2018
 * Hong Kong accident.
 */
export const CORRECTIVE_REPAIRS: Readonly<Record<string, Component>> = Object.freeze({
  E02: 'brake', E16: 'brake', E07: 'safetyChain', E08: 'doorLock', E09: 'doorOperator', E10: 'traction', D03: 'guides',
});

/** Nothing to emit: one shared, frozen empty list. */
const NONE = Object.freeze([]) as unknown as FaultEmission[];

/** Thresholds of the controller's fault logic and the terminal's rules (docs/fault-codes.md). */
export const RULES = Object.freeze({
  /** Encoder vs door-zone mismatch at a correction point that counts as floor position lost (E10), mm. */
  slipLostMm: 50,
  /** Winding temperature that trips the drive (E17), °C; insulation class F is 155 °C, trips 130–150 [unverified]. */
  overTempC: 130,
  /** Temperature at which an over-temperature clears, °C. */
  overTempClearC: 95,
  /** Car movement after the stop that the UCM detection calls unintended movement (E02), mm. */
  ucmMm: 100,
  /** Horizontal max peak-to-peak that the terminal's vibration rule reports (D03): 3 × the GB/T 10058 x, y max of 0.20 m/s². */
  vibPkPkMps2: 0.6,
  /** Trips in a row above that level before D03 is raised, and below it before it clears. */
  vibRaiseTrips: 3,
  vibClearTrips: 20,
});

/**
 * The controller state machine's fault logic and the terminal rules. Codes come only from what the
 * simulated physics produced (door times, chain states, creep, slip, temperature, vibration),
 * never from the ground truth: so rules miss and mis-fire as in life. A code is raised once and
 * cleared on the transition the field rules use (a normal door cycle at a landing for door and chain
 * faults).
 */
export function createControllerLogic() {
  const active = new Map<string, Component>();
  let vibHigh = 0;
  let vibLow = 0;
  const raise = (e: Omit<FaultEmission, 'state'>): FaultEmission[] => {
    if (active.has(e.code)) return [];
    active.set(e.code, e.component);
    return [{ ...e, state: 'raised' }];
  };
  const clear = (code: string, detector: FaultEmission['detector'] = 'controller', extra: Partial<FaultEmission> = {}): FaultEmission[] => {
    const component = active.get(code);
    if (component === undefined) return [];
    active.delete(code);
    return [{ code, state: 'cleared', detector, component, ...extra }];
  };
  return {
    isActive: (code: string): boolean => active.has(code),
    /** Door-time protection (E09) and lock contact (E08 at the landing); a normal cycle clears. */
    doorCycle(d: DoorFields): FaultEmission[] {
      if (d.result === 'timeoutClose') return raise({ code: 'E09', detector: 'controller', component: 'doorOperator', detail: 'door-time protection: close not finished', floor: d.floor });
      if (d.result === 'lockFail') return raise({ code: 'E08', detector: 'controller', component: 'doorLock', detail: 'lock contact not made after closing', floor: d.floor });
      if (active.size === 0) return NONE; // the usual case, without allocating
      return [...clear('E09', 'controller', { floor: d.floor }), ...clear('E08', 'controller', { floor: d.floor }), ...clear('E07', 'controller', { floor: d.floor })];
    },
    /** A chain opened while running: the lock chain (E08) or the safety chain (E07). */
    chainOpen(code: 'E07' | 'E08', floor: number, posMm: number, passengersPresent: boolean): FaultEmission[] {
      return raise({ code, detector: 'controller', component: code === 'E07' ? 'safetyChain' : 'doorLock', floor, posMm, passengersPresent, detail: code === 'E07' ? 'safety chain open while running' : 'door-lock chain open while running' });
    },
    /** After a trip: UCM (E02), position lost (E10), stopped outside the zone (E06), vibration rule (D03). */
    trip(t: TripFields, outsideZone: boolean, passengersPresent: boolean, outsideZoneCause: Component = 'levelling'): FaultEmission[] {
      const pk = Math.max(t.vibMaxPkPkXMps2 ?? 0, t.vibMaxPkPkYMps2 ?? 0);
      if (active.size === 0 && (t.creepAfterStopMm ?? 0) < RULES.ucmMm && Math.abs(t.slipMm ?? 0) <= RULES.slipLostMm && !outsideZone && pk <= RULES.vibPkPkMps2) {
        vibLow++; vibHigh = 0; // the usual case, without allocating
        return NONE;
      }
      const out: FaultEmission[] = [];
      if ((t.creepAfterStopMm ?? 0) >= RULES.ucmMm) out.push(...raise({ code: 'E02', detector: 'controller', component: 'brake', floor: t.toFloor, passengersPresent, detail: `unintended movement ${t.creepAfterStopMm} mm after the stop` }));
      if (Math.abs(t.slipMm ?? 0) > RULES.slipLostMm) out.push(...raise({ code: 'E10', detector: 'controller', component: 'traction', floor: t.toFloor, detail: `encoder vs door zone ${t.slipMm} mm` }));
      else out.push(...clear('E10', 'controller', { floor: t.toFloor }));
      if (outsideZone) out.push(...raise({ code: 'E06', detector: 'terminalRule', component: outsideZoneCause, floor: t.toFloor, passengersPresent, detail: `stopped ${t.stopErrMm} mm from the landing` }));
      else out.push(...clear('E06', 'terminalRule', { floor: t.toFloor }));
      if (pk > RULES.vibPkPkMps2) { vibHigh++; vibLow = 0; } else { vibLow++; vibHigh = 0; }
      if (vibHigh >= RULES.vibRaiseTrips) out.push(...raise({ code: 'D03', detector: 'terminalRule', component: 'guides', detail: `horizontal max peak-to-peak ${pk} m/s² on ${vibHigh} trips in a row` }));
      if (vibLow >= RULES.vibClearTrips) out.push(...clear('D03', 'terminalRule'));
      return out;
    },
    /** Drive over-temperature (E17) with hysteresis. */
    thermal(windingC: number): FaultEmission[] {
      if (windingC < RULES.overTempC && !active.has('E17')) return NONE;
      if (windingC >= RULES.overTempC) return raise({ code: 'E17', detector: 'controller', component: 'motor', detail: `winding ${windingC.toFixed(1)} °C` });
      if (windingC <= RULES.overTempClearC) return clear('E17');
      return [];
    },
    /** The daily brake-force self-test (vendor 209/210): raised while it fails, cleared when it passes. */
    brakeTest(holdN: number, requiredN: number): FaultEmission[] {
      if (holdN < requiredN) return raise({ code: 'E16', detector: 'controller', component: 'brake', detail: `brake-force test: holds ${Math.round(holdN)} N of ${Math.round(requiredN)} N` });
      return clear('E16');
    },
    powerLost: (passengersPresent: boolean): FaultEmission[] => raise({ code: 'E13', detector: 'terminalRule', component: 'power', passengersPresent, detail: 'mains lost' }),
    powerBack: (): FaultEmission[] => clear('E13', 'terminalRule'),
    /** A corrective visit clears what it repaired. */
    repaired(codes: readonly string[]): FaultEmission[] { return codes.flatMap((c) => clear(c)); },
  };
}
export type ControllerLogic = ReturnType<typeof createControllerLogic>;
