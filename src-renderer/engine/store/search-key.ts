import type { Lead } from '@shared/model/lead';

/**
 * The words lead search matches by prefix, lower-cased: names, the email and its local part,
 * and the phone's digits. Stored in a multi-entry index so a search reads the index, not every row.
 */
export function leadSearchWords(lead: Pick<Lead, 'firstName' | 'lastName' | 'email' | 'phone'>): string[] {
  const words = new Set<string>();
  for (const part of `${lead.firstName} ${lead.lastName}`.toLowerCase().split(/\s+/)) if (part) words.add(part);
  if (lead.email) {
    words.add(lead.email.toLowerCase());
    words.add(lead.email.toLowerCase().split('@')[0] ?? '');
  }
  if (lead.phone) {
    const digits = lead.phone.replace(/\D/g, '');
    words.add(digits);
    // National number without the country code, so "415555" finds +14155550123.
    if (digits.length > 10) words.add(digits.slice(digits.length - 10));
  }
  words.delete('');
  return [...words];
}
