import Dexie from 'dexie';
import type { LeadId, PlanId, UserId } from '@shared/model/ids';
import type { AppDb, LeadRow } from './db';

/**
 * Reads through compound indexes by their first part (schema v12 keeps no single-field index that a
 * compound one starts with: each index is written on every put). Say which index: Dexie would pick
 * any compound index starting with the field, and [planId+engagedAt] leaves out rows never engaged.
 */

/** The leads whose lender is `userId`, oldest first. */
export const leadsOfLender = (db: AppDb, userId: UserId) =>
  db.leads.where('[assignees.lender+createdAt]').between([userId, Dexie.minKey], [userId, Dexie.maxKey]);

/** Every enrollment of a lead, any state, by plan. */
export const enrollmentsOfLead = (db: AppDb, leadId: LeadId) =>
  db.enrollments.where('[leadId+planId]').between([leadId, Dexie.minKey], [leadId, Dexie.maxKey]);

/** Every enrollment in a plan, any state, by state. */
export const enrollmentsOfPlan = (db: AppDb, planId: PlanId) =>
  db.enrollments.where('[planId+state]').between([planId, Dexie.minKey], [planId, Dexie.maxKey]);

/** Whether a stored lead matches a search word: a prefix of one of its words or of its email. */
export const leadMatchesWord = (row: LeadRow, word: string): boolean =>
  row.searchWords.some((w) => w.startsWith(word)) || (row.email?.startsWith(word) ?? false);

/** The leads matching a search word (see leadMatchesWord), from the word index and the email index. */
export async function leadIdsMatching(db: AppDb, word: string): Promise<LeadId[]> {
  const [byWord, byEmail] = await Promise.all([
    db.leads.where('searchWords').startsWith(word).primaryKeys(),
    db.leads.where('email').startsWith(word).primaryKeys(),
  ]);
  return byEmail.length === 0 ? [...new Set(byWord)] : [...new Set([...byWord, ...byEmail])];
}
