/** The merge fields a message may use, e.g. {{lead.firstName}}; the builder's picker lists these. */
export const MERGE_FIELDS = [
  { token: 'lead.firstName', label: 'Lead first name' },
  { token: 'lead.lastName', label: 'Lead last name' },
  { token: 'lead.fullName', label: 'Lead full name' },
  { token: 'lead.email', label: 'Lead email' },
  { token: 'lead.phone', label: 'Lead phone' },
  { token: 'lead.stage', label: 'Lead stage' },
  { token: 'lead.source', label: 'Lead source' },
  { token: 'agent.name', label: 'Your name' },
  { token: 'agent.email', label: 'Your email' },
  { token: 'account.name', label: 'Team name' },
] as const;

export type MergeToken = (typeof MERGE_FIELDS)[number]['token'];
export const MERGE_TOKENS: ReadonlySet<string> = new Set(MERGE_FIELDS.map((f) => f.token));
