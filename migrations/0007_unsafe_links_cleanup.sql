-- Issue 10 #7: links are http(s) only since the API checks the `web-url` format, but rows written
-- before that check may still hold `javascript:`, `data:` or protocol-relative links that a page
-- would render as a live href (stored XSS). They are removed here; what was removed is kept in the
-- audit log (action `link.removed`, actor `migration`), so nothing is lost without a trace.
-- A safe link: http(s)://host, no whitespace or control characters (as isWebUrl in src/lib/web-url.ts).
CREATE FUNCTION pg_temp.th_safe_link(value text) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$ SELECT value ~* '^https?://[^/?#\s]' AND value !~ '[[:cntrl:][:space:]]' $$;--> statement-breakpoint
INSERT INTO audit_event (actor, action, entity_type, entity_id, detail)
  SELECT 'migration', 'link.removed', 'organisation', id::text, jsonb_build_object('field', 'website', 'value', website)
  FROM organisation WHERE website IS NOT NULL AND NOT pg_temp.th_safe_link(website);--> statement-breakpoint
UPDATE organisation SET website = NULL WHERE website IS NOT NULL AND NOT pg_temp.th_safe_link(website);--> statement-breakpoint
INSERT INTO audit_event (actor, action, entity_type, entity_id, detail)
  SELECT 'migration', 'link.removed', 'organisation', o.id::text, jsonb_build_object('field', 'codeHosting', 'value', e)
  FROM organisation o, jsonb_array_elements(o.code_hosting) e WHERE NOT pg_temp.th_safe_link(coalesce(e->>'url', ''));--> statement-breakpoint
UPDATE organisation o SET code_hosting = (
    SELECT coalesce(jsonb_agg(e ORDER BY n), '[]'::jsonb)
    FROM jsonb_array_elements(o.code_hosting) WITH ORDINALITY AS x(e, n) WHERE pg_temp.th_safe_link(coalesce(e->>'url', ''))
  )
  WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(o.code_hosting) e WHERE NOT pg_temp.th_safe_link(coalesce(e->>'url', '')));--> statement-breakpoint
INSERT INTO audit_event (actor, action, entity_type, entity_id, detail)
  SELECT 'migration', 'link.removed', 'release', id::text, jsonb_build_object('field', 'url', 'value', url)
  FROM release WHERE url IS NOT NULL AND NOT pg_temp.th_safe_link(url);--> statement-breakpoint
UPDATE release SET url = NULL WHERE url IS NOT NULL AND NOT pg_temp.th_safe_link(url);--> statement-breakpoint
INSERT INTO audit_event (actor, action, entity_type, entity_id, detail)
  SELECT 'migration', 'link.removed', 'software', id::text, jsonb_build_object('field', 'repositoryUrl', 'value', repository_url)
  FROM software WHERE repository_url IS NOT NULL AND NOT pg_temp.th_safe_link(repository_url);--> statement-breakpoint
UPDATE software SET repository_url = NULL WHERE repository_url IS NOT NULL AND NOT pg_temp.th_safe_link(repository_url);--> statement-breakpoint
-- The updates above queued the catalogue-revision triggers (deferred constraint triggers, migration
-- 0004) until commit; drizzle runs every pending migration in one transaction, and a later one that
-- alters or indexes these tables would fail with "pending trigger events". Fire them now, then
-- restore the deferral for the rest of the transaction.
SET CONSTRAINTS ALL IMMEDIATE;--> statement-breakpoint
SET CONSTRAINTS ALL DEFERRED;
