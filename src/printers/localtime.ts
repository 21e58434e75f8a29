// Go's time.Local as kubectl gets it from TZ: metav1.Time values are decoded into the local zone,
// so describe prints `Wed, 02 Dec 2026 00:12:43 +0530` with TZ=Asia/Kolkata. TZ unset is the
// system's zone (/etc/localtime), TZ='' and unknown names are UTC, a leading ':' is dropped.

let zone: string | undefined = 'UTC';
const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string | undefined): Intl.DateTimeFormat | undefined {
  const key = tz ?? '';
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    } catch {
      return undefined;
    }
    formats.set(key, f);
  }
  return f;
}

/** Sets the zone printers use for local times from the TZ environment variable (undefined: unset). */
export function setLocalZone(tz: string | undefined): void {
  if (tz === undefined) zone = undefined;
  else {
    const name = tz.startsWith(':') ? tz.slice(1) : tz;
    zone = name === '' || !format(name) ? 'UTC' : name;
  }
}

const WHOLE_MINUTES_SINCE = Date.UTC(1972, 0, 8);

/** The local zone's offset from UTC in minutes at instant `t` (epoch ms). */
export function zoneOffsetMinutes(t: number): number {
  // without Intl where it is not needed: its first DateTimeFormat starts ICU's locale data (20 ms or
  // more). Date's offset is the system zone's too, in whole minutes, which every zone's offset has
  // been since Monrovia left -0:44:30 in January 1972; earlier instants ask Intl (seconds included).
  if (zone === 'UTC') return 0;
  if (zone === undefined && t >= WHOLE_MINUTES_SINCE) return -new Date(t).getTimezoneOffset() || 0;
  const f = format(zone);
  if (!f) return 0;
  const name = f.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d\d):(\d\d)(?::(\d\d))?$/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60);
}
