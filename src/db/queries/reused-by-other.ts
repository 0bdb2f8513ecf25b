import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * Whether a reuse record counts as reuse by another organisation (issue 11 §1): the reusing
 * organisation is not the producer and shares no cooperation with it (one's official key among
 * the other's member keys, a shared member key, or both members of one cooperation).
 *
 * This is the rule of the SQL function th_reuse_by_other (migration 0011), which the count
 * triggers use, written out for statements. A SQL function whose body has a sub-select is never
 * inlined, so PostgreSQL plans its body anew in every statement that calls it: about 1 ms per
 * statement, measured on the software page (EXPLAIN ANALYZE of its reads: 1.5 ms with the call,
 * 0.3 ms without). Written out, it is planned once with the statement. The cooperation test of
 * test/http/reuse-verification.test.ts checks the two agree: the stored counts come from the
 * function, the detail's counts and the records' byOtherOrganisation from this expression.
 */
export function reusedByOther(reuser: SQLWrapper, producer: SQLWrapper): SQL<boolean> {
  return sql<boolean>`(${reuser} <> ${producer} AND NOT EXISTS (
    SELECT 1 FROM organisation rbo_reuser, organisation rbo_producer
    WHERE rbo_reuser.id = ${reuser} AND rbo_producer.id = ${producer} AND (
      (rbo_reuser.official_key IS NOT NULL AND rbo_reuser.official_key = ANY(rbo_producer.member_keys))
      OR (rbo_producer.official_key IS NOT NULL AND rbo_producer.official_key = ANY(rbo_reuser.member_keys))
      OR rbo_reuser.member_keys && rbo_producer.member_keys
      OR (rbo_reuser.official_key IS NOT NULL AND rbo_producer.official_key IS NOT NULL AND EXISTS (
        SELECT 1 FROM organisation rbo_cooperation WHERE rbo_cooperation.member_keys @> ARRAY[rbo_reuser.official_key, rbo_producer.official_key])))))`;
}
