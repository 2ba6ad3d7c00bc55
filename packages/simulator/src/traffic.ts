/**
 * Calls per hour by local hour of day (docs/simulator.md). Residential: morning out, evening in;
 * office: up-peak 08–09, lunch, down-peak 17–19; hospital: flat. A residential lift at 200–800
 * starts a day averages about 10–35 an hour.
 */
export type TrafficProfile = 'residential' | 'office' | 'hospital';

const RESIDENTIAL = [4, 2, 1, 1, 1, 3, 12, 30, 34, 20, 14, 14, 16, 14, 12, 13, 16, 22, 34, 36, 30, 24, 16, 8];
const OFFICE = [1, 0.5, 0.5, 0.5, 0.5, 1, 4, 30, 60, 34, 22, 30, 44, 34, 22, 20, 24, 50, 56, 24, 10, 6, 3, 2];
const HOSPITAL = [12, 10, 10, 10, 10, 12, 16, 22, 26, 26, 26, 26, 26, 26, 26, 26, 24, 22, 20, 18, 16, 14, 14, 12];

export function callRatePerHour(profile: TrafficProfile, epochMs: number): number {
  const hour = (Math.floor(epochMs / 3_600_000) + 8) % 24; // China Standard Time (UTC+8), the UTC hour without a Date
  const table = profile === 'office' ? OFFICE : profile === 'hospital' ? HOSPITAL : RESIDENTIAL;
  return table[hour] ?? 10;
}

/** Calls a day of a profile at traffic scale 1. */
export function callsPerDay(profile: TrafficProfile): number {
  const table = profile === 'office' ? OFFICE : profile === 'hospital' ? HOSPITAL : RESIDENTIAL;
  return table.reduce((a, b) => a + b, 0);
}
