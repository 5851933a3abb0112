import type { LimitPreset, SendLimits } from '@shared/model/send-limits';
import { LIMIT_PRESETS, PRESET_EXPLANATIONS, PRESET_LABELS } from '@shared/model/send-limits';
import { Field } from './ui';

const PRESETS: LimitPreset[] = ['googleWorkspace', 'gmail', 'microsoft365', 'custom'];

const WINDOWS: { key: 'perMinute' | 'perHour' | 'perDay'; label: string; hint: string }[] = [
  { key: 'perMinute', label: 'Messages per minute', hint: 'Counted over any 60 seconds; Microsoft 365 allows 30.' },
  { key: 'perHour', label: 'Messages per hour', hint: 'Counted over any 60 minutes; leave empty when your provider sets none.' },
  { key: 'perDay', label: 'Messages per 24 hours', hint: 'Counted over any rolling 24 hours, the way Google and Microsoft count.' },
];

/**
 * How fast this mailbox may send (issue 11): a provider preset, or custom numbers. Sending never goes
 * faster, so the provider never throttles or locks the mailbox; a backlog is spread over time instead.
 */
export function SendingLimitsFields({
  value,
  suggested,
  issues,
  onChange,
}: {
  value: SendLimits;
  /** What the SMTP server suggests, to say so next to the choice. */
  suggested: LimitPreset;
  issues: Record<string, string>;
  onChange: (limits: SendLimits) => void;
}) {
  const custom = value.preset === 'custom';
  return (
    <fieldset className="fieldset">
      <legend>Sending limits</legend>
      <Field
        label="Provider"
        hint={`${PRESET_EXPLANATIONS[value.preset]}${value.preset !== suggested ? ` (Suggested for this server: ${PRESET_LABELS[suggested]}.)` : ''}`}
      >
        {(p) => (
          <select
            {...p}
            value={value.preset}
            onChange={(e) => {
              const preset = e.target.value as LimitPreset;
              onChange(preset === 'custom' ? { ...value, preset } : LIMIT_PRESETS[preset]);
            }}
          >
            {PRESETS.map((preset) => (
              <option key={preset} value={preset}>
                {PRESET_LABELS[preset]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-row form-row-3">
        {WINDOWS.map((w) => (
          <Field key={w.key} label={w.label} hint={w.hint} error={issues[`limits.${w.key}`]}>
            {(p) => (
              <input
                {...p}
                // No min/step: the browser would block the form silently; the engine's message says what is wrong.
                type="number"
                inputMode="numeric"
                placeholder="No limit"
                readOnly={!custom}
                value={value[w.key] ?? ''}
                onChange={(e) => onChange({ ...value, [w.key]: e.target.value === '' ? null : Number(e.target.value) })}
              />
            )}
          </Field>
        ))}
      </div>
      {!custom ? <p className="muted">To change the numbers, choose Custom.</p> : null}
    </fieldset>
  );
}
