/** Today's calendar date in a time zone, as YYYY-MM-DD: deadlines and ages follow the agency's clock, not UTC. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Shifts a YYYY-MM-DD date by whole years (Feb 29 → Feb 28 in common years) and days. */
export function shiftDate(date: string, years: number, days = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  target.setUTCDate(target.getUTCDate() + days);
  return target.toISOString().slice(0, 10);
}

/** Fractional months are honoured for tenure thresholds such as 2.5 years. */
export function shiftYearsFractional(date: string, years: number): string {
  const whole = Math.trunc(years);
  const days = Math.round((years - whole) * 365.25);
  return shiftDate(date, -whole, -days);
}

/** Whole years between two dates: ages and tenure as people count them. */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let years = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) years--;
  return years;
}

/** Tenure with one decimal, for display and charts. */
export function tenureYears(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Math.max(0, Math.floor((ms / (365.25 * 86_400_000)) * 10) / 10);
}
