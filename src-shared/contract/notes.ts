import { z } from 'zod';
import type { HistoryEntry } from '../model/history';
import { leadId } from '../model/ids';
import { method } from '../rpc/spec';

export const notesContract = {
  /** A note on the lead's timeline, by the current user (a lender reviewing the lead, an agent after a call). */
  'leads.addNote': method<HistoryEntry>()(z.object({ leadId, text: z.string().trim().min(1, 'A note cannot be empty').max(10_000) })),
};
