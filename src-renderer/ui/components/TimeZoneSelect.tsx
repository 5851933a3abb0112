import { useMemo } from 'react';

const COMMON = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'Europe/London',
  'Australia/Sydney',
];

/** US zones first (most leads), then every IANA zone the runtime knows. */
export function TimeZoneSelect({ value, onChange, ...rest }: { value: string; onChange: (zone: string) => void; id?: string }) {
  const all = useMemo(() => Intl.supportedValuesOf('timeZone').filter((z) => !COMMON.includes(z)), []);
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <optgroup label="Common">
        {COMMON.map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </optgroup>
      <optgroup label="All time zones">
        {(all.includes(value) || COMMON.includes(value) ? all : [value, ...all]).map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </optgroup>
    </select>
  );
}
