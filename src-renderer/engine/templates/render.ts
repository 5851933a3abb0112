import { Liquid } from 'liquidjs';
import { MERGE_TOKENS } from '@shared/merge-fields';
import type { Lead } from '@shared/model/lead';
import { leadDisplayName } from '@shared/model/lead';
import type { Account, User } from '@shared/model/team';

// Templates are plain text with merge fields. No file system, no includes: a template can only
// read the merge scope it is given. strictVariables turns an unknown token into an error.
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true });

export interface MergeScope {
  lead: Record<string, string>;
  agent: Record<string, string>;
  account: Record<string, string>;
}

export function mergeScope(lead: Lead, agent: User, account: Account): MergeScope {
  return {
    lead: {
      firstName: lead.firstName,
      lastName: lead.lastName,
      fullName: leadDisplayName(lead),
      email: lead.email ?? '',
      phone: lead.phone ?? '',
      stage: lead.stage,
      source: lead.source,
    },
    agent: { name: agent.name, email: agent.email },
    account: { name: account.name },
  };
}

/** Problems with a template, in words: a syntax error or a merge field that does not exist. */
export function templateProblems(template: string): string[] {
  let parsed;
  try {
    parsed = liquid.parse(template);
  } catch (err) {
    return [`The template cannot be read: ${err instanceof Error ? err.message.split(', line:')[0] : String(err)}`];
  }
  const unknown = liquid.fullVariablesSync(parsed).filter((v) => !MERGE_TOKENS.has(v));
  return [...new Set(unknown)].map((v) => `Unknown merge field {{${v}}}`);
}

export function renderText(template: string, scope: MergeScope): string {
  return String(liquid.parseAndRenderSync(template, scope));
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

/**
 * The HTML part of a plain-text body: everything, merged values included, is HTML-escaped,
 * so a lead named "<b>Ann</b>" reads as text and never becomes markup.
 */
export function textToHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5">${paragraphs.join('')}</body></html>`;
}
