import type { LeadId } from '@shared/model/ids';
import { formatEta } from '../lib/format-eta';
import { useEngineQuery } from '../lib/use-engine';

/** A lead's messages that have run but wait for a sending limit: "queued, expected 14:05". Issue 11. */
export function QueuedSends({ leadId }: { leadId: LeadId }) {
  const expected = useEngineQuery('outbox.expectedFor', { leadId }, ['outbox', 'sends', 'sendLanes', 'settings']);
  if (!expected.data || expected.data.length === 0) return null;
  return (
    <section className="queued-sends" aria-labelledby="queued-sends-title">
      <h3 id="queued-sends-title">Waiting to send</h3>
      <ul className="list" aria-label="Waiting to send">
        {expected.data.map((e) => (
          <li key={e.outboxId} className="queued-send">
            <strong>{e.summary}</strong>
            <span className="muted small">
              <time dateTime={new Date(e.expectedAt).toISOString()}>
                {e.delayed ? `queued, expected ${formatEta(e.expectedAt)}` : 'queued, going out now'}
              </time>
              {e.delayed ? ' · held back by the mailbox’s sending limit' : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
