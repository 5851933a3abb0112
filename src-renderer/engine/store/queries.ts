import Dexie from 'dexie';
import type { LeadId, PlanId, UserId } from '@shared/model/ids';
import type { AppDb } from './db';

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
