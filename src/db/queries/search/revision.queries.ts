import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { rows } from './statement';

/** Recomputes boosts whose "release within a year" has run out (see th_search_expire_boosts). */
export async function expireBoosts(db: Executor): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`SELECT public.th_search_expire_boosts() AS n`);
  return row?.n ?? 0;
}

/** The catalogue revision (migration 0004_search_revision): moves on with every committed change search can see. */
export async function catalogueRevision(db: Executor): Promise<string> {
  const [row] = await rows<{ revision: string }>(db, sql`SELECT revision::text AS revision FROM catalogue_revision`);
  return row?.revision ?? '0';
}
