import { z } from 'zod';
import { leadId } from '../model/ids';
import type { Template } from '../model/template';
import { templateInputSchema, templateKindSchema } from '../model/template';
import { method } from '../rpc/spec';

/** A message rendered for one lead, or the problems that stop it from rendering. */
export interface MessagePreview {
  subject: string;
  body: string;
  problems: string[];
}

export const templatesContract = {
  'templates.list': method<Template[]>()(z.object({ kind: templateKindSchema.optional() })),
  'templates.save': method<Template>()(templateInputSchema),
  'templates.delete': method<{ deleted: true }>()(z.object({ id: z.string().min(1) })),
  /** Fills the merge fields for a lead, as the lead would read the message. */
  'templates.preview': method<MessagePreview>()(
    z.object({ leadId, subject: z.string().max(1000).default(''), body: z.string().max(100_000) }),
  ),
  /** The current user's email signature; the email channel appends it when sending. */
  'templates.signature.get': method<{ signature: string }>()(z.object({})),
  'templates.signature.set': method<{ signature: string }>()(z.object({ signature: z.string().max(10_000) })),
};
