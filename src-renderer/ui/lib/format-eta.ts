import { userZone } from './format';

/** "14:20" today, "Fri 09:05" within a week, "Dec 3, 09:05" beyond: the short time a queue estimate needs. */
export function formatEta(at: number, now: number = Date.now()): string {
  const zone = userZone();
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' }).format(t);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(at);
  if (day(at) === day(now)) return time;
  const days = Math.abs(at - now) / 86_400_000;
  const date = new Intl.DateTimeFormat(
    'en-US',
    days < 6 ? { timeZone: zone, weekday: 'short' } : { timeZone: zone, month: 'short', day: 'numeric' },
  );
  return `${date.format(at)} ${time}`;
}
