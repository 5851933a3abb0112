import { z } from 'zod';
import type { SendLimits } from './send-limits';
import { sendLimitsSchema } from './send-limits';

export const smtpSecuritySchema = z.enum(['tls', 'starttls', 'none']);

/** The user's own mail account (DESIGN §6). The password never lives in IndexedDB. */
export const emailAccountInputSchema = z.object({
  host: z.string().trim().min(1, 'Enter the SMTP server name, e.g. smtp.gmail.com'),
  port: z.number().int().min(1, 'Port must be between 1 and 65535').max(65535, 'Port must be between 1 and 65535'),
  security: smtpSecuritySchema,
  user: z.string().trim().default(''),
  fromName: z.string().trim().min(1, 'Enter the name your leads see').max(200),
  fromEmail: z.email('Enter the address your emails come from'),
  /** Present only when the user typed a new password; it goes straight to the host's secret store. */
  password: z.string().optional(),
  /** Sending limits; when absent, the preset suggested by the SMTP host applies. */
  limits: sendLimitsSchema.optional(),
});
export type EmailAccountInput = z.input<typeof emailAccountInputSchema>;

export interface EmailAccount {
  host: string;
  port: number;
  security: z.infer<typeof smtpSecuritySchema>;
  user: string;
  fromName: string;
  fromEmail: string;
  /** Name of the secret holding the password in the host's secret store (Electron safeStorage or a 0600 file). */
  passwordSecret: string | null;
  /** How fast this mailbox may send (issue 11). Accounts saved before limits existed get the host's preset on read. */
  limits: SendLimits;
}
