import type { Lead } from '@shared/model/lead';

/**
 * The words lead search matches by prefix, lower-cased: names and the phone's digits. Stored in a
 * multi-entry index so a search reads the index, not every row. The email is searched through the
 * store's email index (emails are stored lower-cased), so it is a word only when it is not lower
 * case; its local part needs no word (its prefixes are the email's). Each word is an index entry
 * written with every put of the lead (npm run bench). Rows stored before carry those words still,
 * which matches the same leads.
 */
export function leadSearchWords(lead: Pick<Lead, 'firstName' | 'lastName' | 'email' | 'phone'>): string[] {
  const words = new Set<string>();
  for (const part of `${lead.firstName} ${lead.lastName}`.toLowerCase().split(/\s+/)) if (part) words.add(part);
  if (lead.email && lead.email !== lead.email.toLowerCase()) words.add(lead.email.toLowerCase());
  if (lead.phone) {
    const digits = lead.phone.replace(/\D/g, '');
    words.add(digits);
    // National number without the country code, so "415555" finds +14155550123.
    if (digits.length > 10) words.add(digits.slice(digits.length - 10));
  }
  words.delete('');
  return [...words];
}
