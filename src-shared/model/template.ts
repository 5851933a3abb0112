import { z } from 'zod';

export const templateKindSchema = z.enum(['email', 'sms']);
export type TemplateKind = z.infer<typeof templateKindSchema>;

/** A reusable email or SMS text with merge fields; steps copy it when picked (editing a template never rewrites a plan). */
export const templateInputSchema = z.object({
  id: z.string().min(1).optional(),
  kind: templateKindSchema,
  name: z.string().trim().min(1, 'Give the template a name').max(200),
  subject: z.string().max(1000).default(''),
  body: z.string().max(100_000),
});
export type TemplateInput = z.input<typeof templateInputSchema>;

export interface Template {
  id: string;
  kind: TemplateKind;
  name: string;
  subject: string;
  body: string;
}
