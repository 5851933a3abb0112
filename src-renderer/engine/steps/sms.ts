import { smsSegments } from '@shared/sms-segments';
import { renderText } from '../templates/render';
import { deliverMessage } from './deliver';
import { mergeScopeFor } from './merge';
import type { StepExecutor } from './types';

export const runSms: StepExecutor<'sms'> = async (run) => {
  const { deps, lead, step, plan } = run;
  if (lead.optOuts.sms) return run.skip('the lead opted out of text messages');
  if (!lead.phone) return run.skip('the lead has no mobile number');
  let body: string;
  try {
    body = renderText(step.body, await mergeScopeFor(deps, lead, plan)).trim();
  } catch (err) {
    return run.fail(`its message could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!body) return run.skip('the text is empty after merging');
  const outcome = await deliverMessage(run, { channel: 'sms', sms: { to: lead.phone, body } }, body);
  if (outcome.kind !== 'queued') return outcome;
  // What a text costs, on its "queued" line: carriers bill per part.
  const { segments, encoding } = smsSegments(body);
  return { ...outcome, summary: `${outcome.summary} (${segments} part${segments === 1 ? '' : 's'}, ${encoding})` };
};
