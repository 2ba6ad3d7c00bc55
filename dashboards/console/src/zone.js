// The server's time zone (the setting timeZone, from GET /api/me): every time on the console is
// shown in it, whatever zone the browser runs in, so a crew and a regulator read the same clock.
let zone = 'Asia/Shanghai';

/** Sets the zone the console shows times in. */
export const setTimeZone = (tz) => { zone = tz; };
/** The zone times are shown in (an IANA name). */
export const timeZone = () => zone;

const MINUTE = 60_000;
/** `YYYY-MM-DDTHH:mm` of an instant in the zone (the value of a datetime-local input). */
export function zoneInput(ms) {
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
  return text.replace(' ', 'T');
}
/** The zone's offset from UTC at an instant, ms. */
const offsetAt = (ms) => Date.parse(`${zoneInput(ms)}:00Z`) - Math.floor(ms / MINUTE) * MINUTE;
/** The instant (ms) of a `YYYY-MM-DDTHH:mm` read in the zone (a datetime-local input's value). */
export function fromZoneInput(value) {
  const asUtc = Date.parse(`${value}:00Z`);
  const first = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(first); // twice, for a day whose offset changes
}
