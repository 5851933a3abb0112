import type { Plan, PlanInput } from '@shared/model/plan';
import { Field } from '../components/ui';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const list = (v: string[]) => v.join(', ');
const parse = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Plan-level settings: type, category, next plan, pause-on-reply, restart, missed runs, send window, triggers. */
export function PlanSettings({
  plan,
  update,
  otherPlans,
  issues,
}: {
  plan: PlanInput;
  update: (patch: Partial<PlanInput>) => void;
  otherPlans: Plan[];
  issues: Record<string, string>;
}) {
  const triggers = plan.triggers ?? { sources: [], stages: [], tags: [] };
  const misfire = plan.misfire ?? { policy: 'sendLate', graceHours: 24 };
  return (
    <div className="settings-grid">
      <section className="card" aria-labelledby="s-how">
        <h2 id="s-how">How it runs</h2>
        <div className="stack">
          <Field
            label="Type"
            hint={
              plan.type === 'traditional'
                ? 'Message steps become tasks: you review and send them.'
                : 'Steps send by themselves on schedule.'
            }
          >
            {(p) => (
              <select {...p} value={plan.type} onChange={(e) => update({ type: e.target.value as PlanInput['type'] })}>
                <option value="fullyAutomated">Fully automated</option>
                <option value="traditional">Traditional (agent-driven)</option>
              </select>
            )}
          </Field>
          <Field label="Category">
            {(p) => (
              <select {...p} value={plan.category} onChange={(e) => update({ category: e.target.value as PlanInput['category'] })}>
                <option value="connection">Connection</option>
                <option value="conversion">Conversion</option>
                <option value="retention">Retention</option>
                <option value="event">Event</option>
                <option value="seasonal">Seasonal</option>
              </select>
            )}
          </Field>
        </div>
      </section>
      <section className="card" aria-labelledby="s-flow">
        <h2 id="s-flow">Flow</h2>
        <div className="stack">
          <Field label="Next plan" hint="When a lead finishes this plan, they start this one." error={issues.nextPlanId}>
            {(p) => (
              <select {...p} value={plan.nextPlanId ?? ''} onChange={(e) => update({ nextPlanId: e.target.value || undefined })}>
                <option value="">None</option>
                {otherPlans.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={plan.pauseOnReply ?? true} onChange={(e) => update({ pauseOnReply: e.target.checked })} />
            Pause when the lead replies
          </label>
          <label className="check">
            <input type="checkbox" checked={plan.allowRestart ?? true} onChange={(e) => update({ allowRestart: e.target.checked })} />A lead
            may go through this plan again
          </label>
          <Field
            label="Missed runs (computer off or asleep)"
            hint="What happens to a message that is overdue by more than the grace period."
          >
            {(p) => (
              <select
                {...p}
                value={misfire.policy}
                onChange={(e) => update({ misfire: { ...misfire, policy: e.target.value as 'sendLate' | 'skip' } })}
              >
                <option value="sendLate">Send it late</option>
                <option value="skip">Skip it (recorded in history)</option>
              </select>
            )}
          </Field>
          <Field label="Grace period (hours)">
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                max={720}
                className="num-input"
                value={misfire.graceHours}
                onChange={(e) => update({ misfire: { ...misfire, graceHours: Math.min(720, Math.max(0, Number(e.target.value) || 0)) } })}
              />
            )}
          </Field>
        </div>
      </section>
      <section className="card" aria-labelledby="s-window">
        <h2 id="s-window">Send window</h2>
        <p className="small muted">Messages wait for the window in the lead’s local time; other steps run on time.</p>
        <div className="stack">
          <label className="check">
            <input
              type="checkbox"
              checked={Boolean(plan.sendWindow)}
              onChange={(e) => update({ sendWindow: e.target.checked ? { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } : null })}
            />
            Only send inside a window
          </label>
          {plan.sendWindow ? (
            <>
              <fieldset className="weekdays">
                <legend className="small">Days</legend>
                {WEEKDAYS.map((d, i) => {
                  const day = i + 1;
                  const days = plan.sendWindow?.days ?? [1, 2, 3, 4, 5];
                  return (
                    <label key={d} className="check">
                      <input
                        type="checkbox"
                        checked={days.includes(day)}
                        onChange={(e) =>
                          plan.sendWindow &&
                          update({
                            sendWindow: {
                              ...plan.sendWindow,
                              days: e.target.checked ? [...days, day].sort() : days.filter((x) => x !== day),
                            },
                          })
                        }
                      />
                      {d}
                    </label>
                  );
                })}
              </fieldset>
              <div className="form-row">
                <Field label="From" error={issues['sendWindow.start']}>
                  {(p) => (
                    <input
                      {...p}
                      type="time"
                      value={plan.sendWindow?.start ?? '09:00'}
                      onChange={(e) => plan.sendWindow && update({ sendWindow: { ...plan.sendWindow, start: e.target.value } })}
                    />
                  )}
                </Field>
                <Field label="Until" error={issues['sendWindow.end'] ?? issues['sendWindow.days']}>
                  {(p) => (
                    <input
                      {...p}
                      type="time"
                      value={plan.sendWindow?.end ?? '18:00'}
                      onChange={(e) => plan.sendWindow && update({ sendWindow: { ...plan.sendWindow, end: e.target.value } })}
                    />
                  )}
                </Field>
              </div>
            </>
          ) : null}
        </div>
      </section>
      <section className="card" aria-labelledby="s-triggers">
        <h2 id="s-triggers">Triggers</h2>
        <p className="small muted">Leads that match start this plan automatically. Separate values with commas.</p>
        <div className="stack">
          {(['sources', 'stages', 'tags'] as const).map((k) => (
            <Field key={k} label={`Lead ${k}`}>
              {(p) => (
                <input
                  {...p}
                  defaultValue={list(triggers[k])}
                  placeholder={k === 'sources' ? 'e.g. Zillow, Website' : k === 'stages' ? 'e.g. New' : 'e.g. buyer'}
                  onChange={(e) => update({ triggers: { ...triggers, [k]: parse(e.target.value) } })}
                />
              )}
            </Field>
          ))}
        </div>
      </section>
    </div>
  );
}
