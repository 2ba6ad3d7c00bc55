import { HazardFigures } from '../hazards/figures.js';
import { Type } from '@sinclair/typebox';
import { InspectionResult, OverdueLift } from '@liftwatch/contract';

const Count = Type.Integer({ minimum: 0 });
const MinOrNull = Type.Union([Type.Number(), Type.Null()]);
const Stage = (description: string) => Type.Object({ n: Count, median: MinOrNull, p90: MinOrNull }, { description: `${description}: minutes from the alarm over the rescues that reached it, median and 90th percentile (nearest rank)` });

/** The area or district a statistic is narrowed to; neither: every lift the user may see. */
export const View = Type.Object({
  areaCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Lifts whose registry entry names this GB/T 2260 area' })),
  district: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Lifts assigned to this district (PUT /api/crew-lifts), whatever area their terminal reports' })),
});

export const MonthFigures = Type.Object({
  month: Type.String({ description: 'YYYY-MM in the statistics\' time zone' }),
  lifts: Count,
  failures: Type.Integer({ minimum: 0, description: 'Lift and escalator events (the code table\'s event codes) opened this month, without false alarms (the alert\'s state, the crew\'s finding, or the rescue line)' }),
  per1000Lifts: Type.Union([Type.Number(), Type.Null()], { description: 'Failures per 1,000 lifts; null without lifts' }),
  lastYearPer1000Lifts: Type.Union([Type.Number(), Type.Null()]),
  yearOnYearPct: Type.Union([Type.Number(), Type.Null()], { description: 'Change of the rate from the same month a year before, %; null when that had no rate or 0' }),
  falseAlarms: Count,
  noFaultFound: Type.Integer({ minimum: 0, description: 'Failures whose crew found the lift in order (counted as failures)' }),
  unconfirmed: Type.Integer({ minimum: 0, description: 'Failures without a crew finding yet' }),
  incidents: Type.Integer({ minimum: 0, description: 'Failures of 3 or more lifts of one site (use unit, else area) within 10 minutes, each counted once' }),
  entrapments: Count,
  rescue: Type.Object({
    count: Count,
    response: Stage('Alarm to crew dispatched'),
    arrival: Stage('Alarm to crew on site'),
    release: Stage('Alarm to passengers released'),
    overArrivalLimit: Type.Integer({ minimum: 0, description: 'Rescues on site later than the arrival limit, or not on site and past it' }),
  }),
});

export const Now = Type.Object({
  maintenanceDays: Type.Integer({ minimum: 0, description: 'The statutory maintenance cycle, days' }),
  silentMin: Count,
  lifts: Count,
  silent: Type.Array(Type.Object({ liftId: Type.String(), lastSeenAt: Type.Integer() }), { description: 'Lifts whose terminal sent nothing for silentMin minutes' }),
  noTerminal: Type.Array(Type.String(), { description: 'Registered lifts no terminal has sent anything for' }),
  overdueMaintenance: Type.Array(OverdueLift, { description: 'Lifts whose maintenance visit is overdue by their plan and completed work orders (lifts without a plan are not counted), the most overdue first' }),
  overdueInspections: Type.Array(Type.Object({ liftId: Type.String(), inspectedOn: Type.String(), result: InspectionResult, nextDue: Type.String() }), { description: 'Lifts whose newest inspection set the next one before today, the most overdue first' }),
  hazards: Type.Optional(HazardFigures),
});
