/**
 * `$dateToString` for the formats analytics groups by (`%Y-%m-%d`, `%Y-%m`), in UTC, a fixed
 * offset or an IANA zone, without MongoDB's general expression machinery. A zone's local date is
 * computed once per quarter hour: since 1980 every zone's offset is a whole number of quarter
 * hours, so all instants of a quarter hour share one local date.
 */
const QUARTER_HOUR = 900_000;
const SINCE_1980 = Date.UTC(1980, 0, 1);
const UNTIL_10000 = Date.UTC(10000, 0, 1);
const OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;
/** About three years of quarter hours (or 270 of days): a server's caches stay a few megabytes. */
const MAX_CACHED_QUARTERS = 100_000;

export type DateFormat = "%Y-%m-%d" | "%Y-%m";

export interface LocalDate {
  /** The local date's text; undefined when the date lies outside what this computes. */
  text(date: Date): string | undefined;
  /** All instants of a UTC quarter hour share one local date. */
  quarterHourly: boolean;
  /** In UTC the local date is the first characters of the ISO text (`toISOString`), so many. */
  isoPrefix?: number;
}

export function localDate(format: string, zone: string | undefined): LocalDate | undefined {
  if (format !== "%Y-%m-%d" && format !== "%Y-%m") return undefined;
  const length = format === "%Y-%m-%d" ? 10 : 7;
  const utc = (ms: number) => (ms >= 0 && ms < UNTIL_10000 ? new Date(ms).toISOString().slice(0, length) : undefined);
  if (zone === undefined) return { text: (date) => utc(date.getTime()), quarterHourly: true, isoPrefix: length };
  const offset = OFFSET.exec(zone);
  if (offset) {
    const minutes = (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3] ?? 0));
    return { text: (date) => utc(date.getTime() + minutes * 60_000), quarterHourly: minutes % 15 === 0, ...(minutes === 0 ? { isoPrefix: length } : {}) };
  }
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  } catch {
    // An unknown zone: the general path reports it as MongoDB would.
    return undefined;
  }
  const byQuarter = new Map<number, string>();
  return {
    quarterHourly: true,
    text(date) {
      const ms = date.getTime();
      if (!(ms >= SINCE_1980 && ms < UNTIL_10000)) return undefined;
      const quarter = Math.floor(ms / QUARTER_HOUR);
      let text = byQuarter.get(quarter);
      if (text === undefined) {
        text = formatter.format(new Date(quarter * QUARTER_HOUR)).slice(0, length);
        if (byQuarter.size >= MAX_CACHED_QUARTERS) byQuarter.clear();
        byQuarter.set(quarter, text);
      }
      return text;
    },
  };
}

const DAY_MS = 86_400_000;

/**
 * The Monday of the local date's week, as `%Y-%m-%d`: what mondayOfLocalDay (src/store/local-week.ts)
 * computes. Weeks are whole local days, so the day's grouping (by UTC day or quarter hour) serves.
 */
export function localWeek(zone: string | undefined): LocalDate | undefined {
  const day = localDate("%Y-%m-%d", zone);
  if (!day) return undefined;
  const mondays = new Map<string, string | undefined>();
  const mondayOf = (text: string): string | undefined => {
    const midnight = Date.parse(`${text}T00:00:00.000Z`);
    const monday = midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY_MS;
    // A Monday before 1970 is left to the general path, as local dates before it are.
    return monday >= 0 ? new Date(monday).toISOString().slice(0, 10) : undefined;
  };
  return {
    ...day,
    text(date) {
      const text = day.text(date);
      if (text === undefined) return undefined;
      let monday = mondays.get(text);
      if (monday === undefined && !mondays.has(text)) {
        if (mondays.size >= MAX_CACHED_QUARTERS) mondays.clear();
        mondays.set(text, (monday = mondayOf(text)));
      }
      return monday;
    },
  };
}
