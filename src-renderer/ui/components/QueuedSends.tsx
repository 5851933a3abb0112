import type { LeadId } from '@shared/model/ids';
import { formatEta } from '../lib/format-eta';
import { useEngineQuery } from '../lib/use-engine';

/** A lead's messages that have run but wait for a sending limit: "queued, expected 14:05". Issue 11. */
export function QueuedSends({ leadId }: { leadId: LeadId }) {
  const expected = useEngineQuery('outbox.expectedFor', { leadId }, ['outbox', 'sends', 'sendLanes', 'settings']);
  if (!expected.data || expected.data.length === 0) return null;
  return (
    <ul className="list" aria-label="Waiting to send">
      {expected.data.map((e) => (
        <li key={e.outboxId} className="list-row">
          <div>
            <strong>{e.summary}</strong>
          </div>
          <div className="due">
            <time dateTime={new Date(e.expectedAt).toISOString()}>
              {e.delayed ? `queued, expected ${formatEta(e.expectedAt)}` : 'queued, going out now'}
            </time>
            {e.delayed ? <span className="muted small">held back by the mailbox’s sending limit</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
