import type { DurationUnit, TimingInput } from '@shared/model/plan';
import { COMMON_EVENTS } from './kinds';

const UNITS: DurationUnit[] = ['minutes', 'hours', 'days', 'weeks'];

const defaults: Record<TimingInput['kind'], TimingInput> = {
  immediate: { kind: 'immediate' },
  after: { kind: 'after', amount: 2, unit: 'days' },
  onDay: { kind: 'onDay', day: 2, time: '09:00', businessDaysOnly: false },
  beforeEvent: { kind: 'beforeEvent', event: 'closing', amount: 1, unit: 'days', time: '09:00' },
  afterEvent: { kind: 'afterEvent', event: 'closing', amount: 1, unit: 'days', time: '09:00' },
};

const whole = (v: string) => Math.max(0, Math.floor(Number(v) || 0));

/** Every timing kind of the model: immediate, after a delay, on day N at a time, before/after an event date. */
export function TimingEditor({
  timing,
  onChange,
  error,
  label,
}: {
  timing: TimingInput;
  onChange: (t: TimingInput) => void;
  error?: string | undefined;
  label: string;
}) {
  return (
    <div className="timing" role="group" aria-label={`When ${label} runs`}>
      <select aria-label="When" value={timing.kind} onChange={(e) => onChange(defaults[e.target.value as TimingInput['kind']])}>
        <option value="immediate">Immediately on enrollment</option>
        <option value="after">After a delay</option>
        <option value="onDay">On a day of the plan</option>
        <option value="beforeEvent">Before an event date</option>
        <option value="afterEvent">After an event date</option>
      </select>
      {timing.kind === 'after' ? (
        <>
          <input
            aria-label="Delay amount"
            type="number"
            min={0}
            className="num-input"
            value={timing.amount}
            onChange={(e) => onChange({ ...timing, amount: whole(e.target.value) })}
          />
          <UnitSelect value={timing.unit} onChange={(unit) => onChange({ ...timing, unit })} label="Delay unit" />
          <span className="muted">after enrollment</span>
        </>
      ) : null}
      {timing.kind === 'onDay' ? (
        <>
          <span className="muted">Day</span>
          <input
            aria-label="Day of the plan"
            type="number"
            min={1}
            className="num-input"
            value={timing.day}
            onChange={(e) => onChange({ ...timing, day: Math.max(1, whole(e.target.value)) })}
          />
          <span className="muted">at</span>
          <input
            aria-label="Time of day"
            type="time"
            value={timing.time}
            onChange={(e) => onChange({ ...timing, time: e.target.value || '09:00' })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={timing.businessDaysOnly ?? false}
              onChange={(e) => onChange({ ...timing, businessDaysOnly: e.target.checked })}
            />
            Business days only
          </label>
        </>
      ) : null}
      {timing.kind === 'beforeEvent' || timing.kind === 'afterEvent' ? (
        <>
          <input
            aria-label="Amount"
            type="number"
            min={0}
            className="num-input"
            value={timing.amount}
            onChange={(e) => onChange({ ...timing, amount: whole(e.target.value) })}
          />
          <UnitSelect value={timing.unit} onChange={(unit) => onChange({ ...timing, unit })} label="Unit" />
          <span className="muted">{timing.kind === 'beforeEvent' ? 'before' : 'after'}</span>
          <input
            aria-label="Event date name"
            list="event-names"
            className="event-input"
            value={timing.event}
            onChange={(e) => onChange({ ...timing, event: e.target.value })}
          />
          <datalist id="event-names">
            {COMMON_EVENTS.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
          <span className="muted">at</span>
          <input
            aria-label="Time of day"
            type="time"
            value={timing.time ?? '09:00'}
            onChange={(e) => onChange({ ...timing, time: e.target.value || '09:00' })}
          />
        </>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function UnitSelect({ value, onChange, label }: { value: DurationUnit; onChange: (u: DurationUnit) => void; label: string }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as DurationUnit)}>
      {UNITS.map((u) => (
        <option key={u} value={u}>
          {u}
        </option>
      ))}
    </select>
  );
}
