import { lwError } from '@liftwatch/contract';

/** A calendar month, "YYYY-MM". */
export type Month = string;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** How far `timeZone` is ahead of UTC at `ms`, in ms (Asia/Shanghai: +8 h). */
function offsetMs(ms: number, timeZone: string): number {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!) - Math.floor(ms / 1000) * 1000;
}

/** The instant local midnight of the first day of `month` begins in `timeZone`. */
function monthStart(year: number, monthIndex: number, timeZone: string): number {
  const wall = Date.UTC(year, monthIndex, 1);
  // Twice: the offset at the guess may differ from the offset at the answer across a clock change.
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone);
  return at;
}

export function parseMonth(month: string, what = 'month'): { year: number; index: number } {
  const m = MONTH.exec(month);
  if (!m) throw lwError('LW_ERR_REQUEST_INVALID', `${what} ${JSON.stringify(month)} is not a month: give YYYY-MM, e.g. 2026-03`);
  return { year: Number(m[1]), index: Number(m[2]) - 1 };
}

/** [from, to) of `month` in `timeZone`, ms. */
export function monthRange(month: Month, timeZone: string): { from: number; to: number } {
  const { year, index } = parseMonth(month);
  return { from: monthStart(year, index, timeZone), to: monthStart(year + (index === 11 ? 1 : 0), (index + 1) % 12, timeZone) };
}

/** `month` moved by `n` months (negative: back). */
export function addMonths(month: Month, n: number): Month {
  const { year, index } = parseMonth(month);
  const total = year * 12 + index + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to`, both included, oldest first. */
export function monthsFrom(from: Month, to: Month): Month[] {
  const count = (parseMonth(to).year * 12 + parseMonth(to).index) - (parseMonth(from).year * 12 + parseMonth(from).index) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addMonths(from, i));
}

/** The month `ms` falls in, in `timeZone`. */
export function monthOf(ms: number, timeZone: string): Month {
  const local = new Date(ms + offsetMs(ms, timeZone));
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}
