-- Licence filter (issue 9 #10): `licence=X` finds the entries a user may use under X. Rule: an
-- entry qualifies when its SPDX expression has an OR branch that consists of X alone (plus WITH
-- exceptions): `AGPL-3.0-only OR EUPL-1.2` qualifies for both, `GPL-3.0-only AND MIT` for neither
-- (it needs both), `GPL-2.0-only WITH Classpath-exception-2.0` for GPL-2.0-only. Ids compare
-- case-insensitively, as SPDX says they match. Kept on software_search by a trigger, so every
-- writer of the search document (th_search_refresh, whatever migration defines it) is covered.
--
-- In the expression's disjunctive normal form a branch with two different licences never becomes
-- a single licence again by AND, so the single-licence branches are: an id → {id}, A OR B → the
-- union, A AND B → the intersection, A WITH e → A. Linear in the expression, no DNF blow-up.
CREATE FUNCTION public.th_licence_set(op text, a text, b text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE op
    WHEN 'WITH' THEN a
    WHEN 'OR' THEN array_to_string(ARRAY(
      SELECT DISTINCT ON (lower(x)) x FROM unnest(string_to_array(a, ' ') || string_to_array(b, ' ')) AS x ORDER BY lower(x), x), ' ')
    ELSE array_to_string(ARRAY(
      SELECT x FROM unnest(string_to_array(a, ' ')) AS x
      WHERE lower(x) IN (SELECT lower(y) FROM unnest(string_to_array(b, ' ')) AS y) ORDER BY x), ' ')
  END
$$;
--> statement-breakpoint
-- The licences one may use the software under, as written in the expression. Sets travel as
-- space-separated text (SPDX ids have no spaces): plpgsql has no stack of arrays. An expression
-- that does not parse (the API only stores valid ones) gives no licence rather than an error.
CREATE FUNCTION public.th_licence_choices(expression text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  token text;
  operands text[] := '{}';
  operators text[] := '{}';
  n int;
  op text;
BEGIN
  IF expression IS NULL THEN
    RETURN '{}';
  END IF;
  -- Shunting-yard: WITH binds tighter than AND, AND tighter than OR; each operator pops two sets.
  FOR token IN SELECT m[1] FROM regexp_matches(expression, '(\(|\)|[^\s()]+)', 'g') AS m LOOP
    IF upper(token) IN ('AND', 'OR', 'WITH') THEN
      token := upper(token);
      LOOP
        op := operators[cardinality(operators)];
        EXIT WHEN op IS NULL OR op = '('
          OR (CASE op WHEN 'WITH' THEN 3 WHEN 'AND' THEN 2 ELSE 1 END) < (CASE token WHEN 'WITH' THEN 3 WHEN 'AND' THEN 2 ELSE 1 END);
        n := cardinality(operands);
        IF n < 2 THEN RETURN '{}'; END IF;
        operands := operands[1:n - 2] || public.th_licence_set(op, operands[n - 1], operands[n]);
        operators := operators[1:cardinality(operators) - 1];
      END LOOP;
      operators := operators || token;
    ELSIF token = '(' THEN
      operators := operators || token;
    ELSIF token = ')' THEN
      LOOP
        op := operators[cardinality(operators)];
        IF op IS NULL THEN RETURN '{}'; END IF;
        operators := operators[1:cardinality(operators) - 1];
        EXIT WHEN op = '(';
        n := cardinality(operands);
        IF n < 2 THEN RETURN '{}'; END IF;
        operands := operands[1:n - 2] || public.th_licence_set(op, operands[n - 1], operands[n]);
      END LOOP;
    ELSE
      operands := operands || token;
    END IF;
  END LOOP;
  WHILE cardinality(operators) > 0 LOOP
    op := operators[cardinality(operators)];
    operators := operators[1:cardinality(operators) - 1];
    n := cardinality(operands);
    IF op = '(' OR n < 2 THEN RETURN '{}'; END IF;
    operands := operands[1:n - 2] || public.th_licence_set(op, operands[n - 1], operands[n]);
  END LOOP;
  IF cardinality(operands) <> 1 THEN
    RETURN '{}';
  END IF;
  RETURN string_to_array(operands[1], ' ');
END
$$;
--> statement-breakpoint
-- licence_choices: as written, for the licence facet; licence_keys: lower case, for the filter.
ALTER TABLE software_search ADD COLUMN licence_choices text[] NOT NULL DEFAULT '{}', ADD COLUMN licence_keys text[] NOT NULL DEFAULT '{}';
--> statement-breakpoint
CREATE FUNCTION public.th_search_licence_choices() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.licence IS DISTINCT FROM OLD.licence THEN
    NEW.licence_choices := public.th_licence_choices(NEW.licence);
    NEW.licence_keys := ARRAY(SELECT lower(c) FROM unnest(NEW.licence_choices) AS c);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER th_software_search_licence_choices BEFORE INSERT OR UPDATE OF licence ON public.software_search
  FOR EACH ROW EXECUTE FUNCTION public.th_search_licence_choices();
--> statement-breakpoint
UPDATE software_search SET licence_choices = public.th_licence_choices(licence) WHERE licence IS NOT NULL;
--> statement-breakpoint
UPDATE software_search SET licence_keys = ARRAY(SELECT lower(c) FROM unnest(licence_choices) AS c) WHERE licence IS NOT NULL;
--> statement-breakpoint
-- GET /v1/software?licence=…: entries one may use under one of the given licences (licence_keys && $1).
CREATE INDEX "software_search_licence_keys_idx" ON "software_search" USING gin ("licence_keys");
