import { leadDisplayName } from '@shared/model/lead';
import { renderText, textToHtml } from '../templates/render';
import { deliverMessage } from './deliver';
import { mergeScopeFor } from './merge';
import { senderFor, withSignature } from './sender';
import type { StepExecutor } from './types';

export const runEmail: StepExecutor<'email'> = async (run) => {
  const { deps, lead, step, plan } = run;
  if (lead.optOuts.email) return run.skip('the lead opted out of email');
  if (!lead.email) return run.skip('the lead has no email address');
  const scope = await mergeScopeFor(deps, lead, plan);
  let subject: string;
  let text: string;
  try {
    subject = renderText(step.subject, scope)
      .replace(/[\r\n]+/g, ' ')
      .trim();
    text = renderText(step.body, scope);
  } catch (err) {
    return run.fail(`its message could not be merged (${err instanceof Error ? err.message : String(err)})`);
  }
  const sender = await senderFor(deps, lead, plan);
  if (sender) text = withSignature(text, sender.signature);
  const email = { to: lead.email, toName: leadDisplayName(lead), subject, text, html: textToHtml(text), ...(sender?.as ?? {}) };
  return deliverMessage(run, { channel: 'email', email }, text);
};
