import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { indicatorSettings } from '@/lib/db/schema';
import type { ProvinceSettings } from './settings';

export interface SettingsVersion {
  version: number;
  settings: ProvinceSettings | null;
}

/** The settings in force for a province (version 0 and null: the national defaults). */
export async function getProvinceSettings(provinceUnitId: number | null, executor?: Executor): Promise<SettingsVersion> {
  if (provinceUnitId === null) return { version: 0, settings: null };
  const db = executor ?? (await getDb());
  const [row] = await db
    .select({ version: indicatorSettings.version, settings: indicatorSettings.settings })
    .from(indicatorSettings)
    .where(eq(indicatorSettings.provinceUnitId, provinceUnitId))
    .orderBy(desc(indicatorSettings.version))
    .limit(1);
  return row ? { version: row.version, settings: row.settings as ProvinceSettings } : { version: 0, settings: null };
}

export interface SettingsRecheck {
  version: number;
  done: number;
  total: number;
  finished: boolean;
}

/** The re-check of the province's drafts against its latest version, or null before any version was saved. */
export async function getSettingsRecheck(provinceUnitId: number): Promise<SettingsRecheck | null> {
  const db = await getDb();
  const [row] = await db
    .select({ version: indicatorSettings.version, done: indicatorSettings.recheckDone, total: indicatorSettings.recheckTotal, finishedAt: indicatorSettings.recheckFinishedAt })
    .from(indicatorSettings)
    .where(eq(indicatorSettings.provinceUnitId, provinceUnitId))
    .orderBy(desc(indicatorSettings.version))
    .limit(1);
  return row ? { version: row.version, done: row.done, total: row.total, finished: row.finishedAt !== null } : null;
}

export interface SettingsHistoryRow {
  version: number;
  note: string | null;
  createdByName: string | null;
  createdAt: Date;
}

export async function listSettingsHistory(provinceUnitId: number): Promise<SettingsHistoryRow[]> {
  const db = await getDb();
  return db
    .select({ version: indicatorSettings.version, note: indicatorSettings.note, createdByName: indicatorSettings.createdByName, createdAt: indicatorSettings.createdAt })
    .from(indicatorSettings)
    .where(eq(indicatorSettings.provinceUnitId, provinceUnitId))
    .orderBy(desc(indicatorSettings.version))
    .limit(50);
}
