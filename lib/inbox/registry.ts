import type { Actor } from '@/lib/auth/actor';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';

/**
 * The inbox's contract with the domains: each domain owns the sources of its waiting work (in its
 * inbox/queries.ts), read straight from the table that holds it, and the inbox lists the domains.
 */
export interface InboxItem {
  id: string;
  title: string;
  detail?: string;
  href: string;
  at?: Date | null;
  /** A reminder can be marked read right in the inbox. */
  reminderId?: number;
}

export interface InboxGroup {
  key: string;
  label: string;
  /** Counted up to `badgeCountCap`, as the header's badge counts it. */
  count: number;
  /** Where the whole group is worked through. */
  href: string;
  items: InboxItem[];
}

/** One kind of waiting work. */
export interface InboxSource {
  key: string;
  label: string;
  applies(actor: Actor): boolean;
  href(actor: Actor): string;
  /**
   * The header badge's share, as one int expression counted up to `badgeCountCap` (`cappedCount`): the header sums every
   * source's in one statement rather than sending a query per source on every page.
   */
  count(actor: Actor): SQL<number> | Promise<SQL<number>>;
  /** The inbox page: the first `limit` items (the count is the badge's, never a count of the whole list). */
  load(actor: Actor, limit: number): Promise<InboxItem[]>;
}

/**
 * The header's badge shows 999+ beyond 999, so what only feeds it counts at most this many: a ministry's national lists
 * would otherwise be counted whole on every page.
 */
export const badgeCountCap = 1000;

/** Builds the selects that `cappedCount` wraps, without a database handle. */
export const inboxQuery = new QueryBuilder();

/** The rows of a select, counted up to the badge's cap. */
export function cappedCount(rows: SQLWrapper): SQL<number> {
  return sql<number>`(select count(*)::int from (${rows} limit ${badgeCountCap}) capped)`;
}
