// The server's time zone (the setting timeZone, from GET /api/me): every time on the console is
// shown in it, whatever zone the browser runs in, so a crew and a regulator read the same clock.
let zone = 'Asia/Shanghai';

/** Sets the zone the console shows times in. */
export const setTimeZone = (tz) => { zone = tz; };
/** The zone times are shown in (an IANA name). */
export const timeZone = () => zone;
