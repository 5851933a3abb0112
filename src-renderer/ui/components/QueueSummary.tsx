import type { SendingAccountQueue } from '@shared/contract/queue';
import { formatEta } from '../lib/format-eta';
import { useEngineQuery } from '../lib/use-engine';
import { useNow } from '../lib/use-now';

/**
 * Per mailbox and gateway: how much of each sending window is used, how many wait, and when the last
 * one goes out at the provider's pace ("312 queued on jane@… — all sent by 14:20"). Issue 11.
 */
export function QueueSummary() {
  const status = useEngineQuery('outbox.queueStatus', {}, ['outbox', 'sends', 'sendLanes', 'settings']);
  const now = useNow(30_000);
  if (!status.data || status.data.length === 0) return null;
  return (
    <section className="queue-summary" aria-label="Sending accounts">
      {status.data.map((q) => (
        <QueueAccount key={q.key} q={q} now={now} />
      ))}
    </section>
  );
}

function headline(q: SendingAccountQueue, now: number): string {
  if (q.queued === 0) return 'Nothing queued';
  const last =
    q.allSentBy === null
      ? ''
      : q.allSentBy <= Math.max(now, Date.now()) + 5_000
        ? ' — going out now'
        : ` — all sent by ${formatEta(q.allSentBy, now)}`;
  return `${q.queued.toLocaleString('en-US')} queued${last}`;
}

function QueueAccount({ q, now }: { q: SendingAccountQueue; now: number }) {
  const full = q.windows.find((w) => w.used >= w.max);
  return (
    <article className="queue-account" aria-label={`Queue for ${q.name}`}>
      <h3 title={q.name}>{q.name}</h3>
      <p className="queue-eta">
        <strong>{headline(q, now)}</strong>
      </p>
      {q.pause ? (
        <div className="banner banner-error queue-pause" role="status">
          <strong>Paused by the provider until {formatEta(q.pause.until, now)}</strong>
          <span>
            {q.pause.reason ? `${q.pause.reason[0]?.toUpperCase()}${q.pause.reason.slice(1)}. ` : ''}Queued messages go out by themselves
            then; nothing is lost.
          </span>
          {q.pause.response ? <span className="small">The server said: “{q.pause.response}”</span> : null}
        </div>
      ) : full && q.queued > 0 && q.nextSendAt !== null ? (
        <p className="muted small" role="status">
          The {full.label} limit is reached; the next message goes out at {formatEta(q.nextSendAt, now)}.
        </p>
      ) : null}
      {q.windows.length === 0 ? <p className="muted small">No sending limit.</p> : null}
      {q.windows.map((w) => (
        <div key={w.label} className="queue-meter">
          <span>{w.label}</span>
          <meter
            min={0}
            max={w.max}
            low={w.max * 0.8}
            high={w.max * 0.95}
            optimum={0}
            value={Math.min(w.used, w.max)}
            aria-label={`${q.name}: sent ${w.label}`}
          />
          <span>
            {w.used.toLocaleString('en-US')} / {w.max.toLocaleString('en-US')}
          </span>
        </div>
      ))}
    </article>
  );
}
