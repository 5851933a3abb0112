import type { ActionPlanSettings } from '@shared/model/team';
import { actionPlanSettingsSchema, defaultActionPlanSettings } from '@shared/model/team';
import type { AppDb } from '../store/db';

const KEY = 'actionPlanSettings';

/** The three toggles as stored (toggle 3's own value; `effectiveSettings` applies toggle 1's coupling). */
export async function getActionPlanSettings(db: AppDb): Promise<ActionPlanSettings> {
  const row = await db.settings.get(KEY);
  const parsed = actionPlanSettingsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : defaultActionPlanSettings;
}

export async function putActionPlanSettings(db: AppDb, value: ActionPlanSettings): Promise<void> {
  await db.settings.put({ key: KEY, value });
}
