import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, rowsOf } from '@/lib/db';
import type { Actor } from '@/lib/auth/actor';
import { collectionInboxSources } from '@/lib/collection/inbox/queries';
import { transferInboxSources } from '@/lib/transfers/inbox/queries';
import { mobilityInboxSources } from '@/lib/mobility/inbox/queries';
import { rotationInboxSources } from '@/lib/rotations/inbox/queries';
import { trainingInboxSources } from '@/lib/training/inbox/queries';
import type { InboxGroup, InboxSource } from './registry';

export type { InboxGroup, InboxItem } from './registry';

const itemLimit = 10;

/** Every domain's sources; a new module adds its list here. */
export const inboxSources: InboxSource[] = [...collectionInboxSources, ...transferInboxSources, ...mobilityInboxSources, ...rotationInboxSources, ...trainingInboxSources];

/** Each applicable source's count (up to the badge's cap), all in one statement: every console page reads them. */
export async function inboxCounts(actor: Actor): Promise<Map<string, number>> {
  const applicable = inboxSources.filter((source) => source.applies(actor));
  if (!applicable.length) return new Map();
  const counts = await Promise.all(applicable.map((source) => source.count(actor)));
  const [row] = rowsOf<Record<string, number>>(await (await getDb()).execute(sql`select ${sql.join(counts.map((count, i) => sql`${count} as ${sql.identifier(`c${i}`)}`), sql`, `)}`));
  return new Map(applicable.map((source, i) => [source.key, Number(row[`c${i}`])]));
}

/** The number in the navigation. */
export async function inboxCount(actor: Actor): Promise<number> {
  return [...(await inboxCounts(actor)).values()].reduce((sum, n) => sum + n, 0);
}

/** The groups with waiting work, each with its count (capped as the badge's) and its first items. */
export async function getInbox(actor: Actor): Promise<InboxGroup[]> {
  const counts = await inboxCounts(actor);
  const waiting = inboxSources.filter((source) => (counts.get(source.key) ?? 0) > 0);
  return Promise.all(waiting.map(async (source): Promise<InboxGroup> => ({ key: source.key, label: source.label, href: source.href(actor), count: counts.get(source.key)!, items: await source.load(actor, itemLimit) })));
}
