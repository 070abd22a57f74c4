import 'server-only';
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
const sources: InboxSource[] = [...collectionInboxSources, ...transferInboxSources, ...mobilityInboxSources, ...rotationInboxSources, ...trainingInboxSources];

/** Each source counted once: the number in the navigation. */
export async function inboxCount(actor: Actor): Promise<number> {
  const counts = await Promise.all(sources.filter((source) => source.applies(actor)).map(async (source) => (await source.load(actor, 0)).count));
  return counts.reduce((sum, n) => sum + n, 0);
}

export async function getInbox(actor: Actor): Promise<InboxGroup[]> {
  const groups = await Promise.all(
    sources
      .filter((source) => source.applies(actor))
      .map(async (source): Promise<InboxGroup> => ({ key: source.key, label: source.label, href: source.href(actor), ...(await source.load(actor, itemLimit)) })),
  );
  return groups.filter((group) => group.count > 0);
}
