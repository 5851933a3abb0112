/** Formats an instant in a zone, e.g. "Sat, Nov 28, 9:00 AM EST". */
export function formatInZone(at: number, zone: string, withZone = true): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    ...(withZone ? { timeZoneName: 'short' } : {}),
  }).format(at);
}

export const userZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function formatDateTime(at: number): string {
  return formatInZone(at, userZone());
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
