import type { AppDb } from '../store/db';

/**
 * New limits may be higher than the ones a full window was measured against: forget every account's
 * "not before" so the next claim measures again (push-back pauses stay: the provider set those).
 */
export async function reopenLanes(db: AppDb): Promise<void> {
  await db.sendLanes.toCollection().modify({ notBefore: null });
}
