CREATE TABLE "transfer_count_deltas" (
	"unit_id" integer NOT NULL,
	"measure" varchar(32) NOT NULL,
	"day" date NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfer_counts" (
	"unit_id" integer NOT NULL,
	"measure" varchar(32) NOT NULL,
	"day" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "transfer_counts_unit_id_measure_day_pk" PRIMARY KEY("unit_id","measure","day")
);
--> statement-breakpoint
CREATE INDEX "transfer_count_deltas_unit_idx" ON "transfer_count_deltas" USING btree ("unit_id");--> statement-breakpoint
-- The dashboard's 调动 figures counted every open or this year's transfer under the unit on every request (76–94 ms for the
-- nation's 50,000 at 1 M teachers). They are now kept per unit like stat_counts: each statement on transfers appends its
-- deltas for every unit above either school (the schools included), readers sum the folded rows and the pending deltas.
-- Open states are kept by the day they began, so that 超期 is mostly a sum over days too; completions by the day they completed.
ALTER TABLE "transfer_count_deltas" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000, vacuum_truncate = false);--> statement-breakpoint
CREATE VIEW "transfer_count_parts" AS
  SELECT unit_id, measure, day, n FROM transfer_counts
  UNION ALL
  SELECT unit_id, measure, day, n FROM transfer_count_deltas;--> statement-breakpoint
CREATE FUNCTION "transfer_counts_add_sql"(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO transfer_count_deltas (unit_id, measure, day, n)
    SELECT x.unit_id, x.measure, x.day, sum(x.sign)::int
    FROM (%s) c
    CROSS JOIN LATERAL (
      SELECT string_to_array(c.sending_school_path::text, '.')::int[] AS sending, string_to_array(c.receiving_school_path::text, '.')::int[] AS receiving
    ) p
    CROSS JOIN LATERAL (
      -- Open states only (the terminal ones, as transfers_open_teacher_idx names them, are never read and would only pile up).
      SELECT c.sign, u.id AS unit_id, 'state:' || c.state AS measure, (c.state_since AT TIME ZONE 'Asia/Shanghai')::date AS day
      FROM (SELECT DISTINCT unnest(p.sending || p.receiving) AS id) u
      WHERE c.state NOT IN ('completed', 'rejected', 'withdrawn')
      UNION ALL
      SELECT c.sign, u.id,
        CASE WHEN u.id = ANY(p.sending) AND u.id = ANY(p.receiving) THEN 'internal' WHEN u.id = ANY(p.receiving) THEN 'incoming' ELSE 'outgoing' END,
        (c.closed_at AT TIME ZONE 'Asia/Shanghai')::date
      FROM (SELECT DISTINCT unnest(p.sending || p.receiving) AS id) u
      WHERE c.state = 'completed' AND c.closed_at IS NOT NULL
    ) x
    GROUP BY 1, 2, 3
    HAVING sum(x.sign) <> 0
  $q$, source)
$fn$;--> statement-breakpoint
CREATE FUNCTION "transfer_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE transfer_counts_add_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows'
  END);
  RETURN NULL;
END
$fn$;--> statement-breakpoint
LOCK TABLE transfers IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
CREATE TRIGGER "transfers_counts_insert" AFTER INSERT ON "transfers" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "transfer_counts_apply"();--> statement-breakpoint
CREATE TRIGGER "transfers_counts_update" AFTER UPDATE ON "transfers" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "transfer_counts_apply"();--> statement-breakpoint
CREATE TRIGGER "transfers_counts_delete" AFTER DELETE ON "transfers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "transfer_counts_apply"();--> statement-breakpoint
-- Existing transfers, counted once.
DO $do$ BEGIN EXECUTE transfer_counts_add_sql('SELECT 1 AS sign, * FROM transfers'); END $do$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "fold_aggregate_deltas"() RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  stat_moved integer;
  rollup_moved integer;
  transfer_moved integer;
  zero_units integer[];
  zero_measures text[];
  zero_days date[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('fold_aggregate_deltas')) THEN
    RETURN 0;
  END IF;
  WITH moved AS (DELETE FROM stat_count_deltas RETURNING *),
  summed AS (
    INSERT INTO stat_counts AS s (unit_id, state, school_type, ownership, serving, dim, bucket, n)
    SELECT unit_id, state, school_type, ownership, serving, dim, bucket, sum(n)::int FROM moved
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (unit_id, state, school_type, ownership, serving, dim, bucket) DO UPDATE SET n = s.n + excluded.n
  )
  SELECT count(*) INTO stat_moved FROM moved;
  WITH moved AS (DELETE FROM unit_rollup_deltas RETURNING *),
  summed AS (
    INSERT INTO unit_rollups AS r (unit_id, authorities, schools, closed_schools, institutions, accounts, teachers, records_complete, records_submitted, records_effective, records_returned)
    SELECT unit_id, sum(authorities), sum(schools), sum(closed_schools), sum(institutions), sum(accounts), sum(teachers),
      sum(records_complete), sum(records_submitted), sum(records_effective), sum(records_returned)
    FROM moved
    GROUP BY unit_id
    ORDER BY unit_id
    ON CONFLICT (unit_id) DO UPDATE SET
      authorities = r.authorities + excluded.authorities,
      schools = r.schools + excluded.schools,
      closed_schools = r.closed_schools + excluded.closed_schools,
      institutions = r.institutions + excluded.institutions,
      accounts = r.accounts + excluded.accounts,
      teachers = r.teachers + excluded.teachers,
      records_complete = r.records_complete + excluded.records_complete,
      records_submitted = r.records_submitted + excluded.records_submitted,
      records_effective = r.records_effective + excluded.records_effective,
      records_returned = r.records_returned + excluded.records_returned
  )
  SELECT count(*) INTO rollup_moved FROM moved;
  -- Rows whose count came back to zero (a state left) are deleted, so that the rows per day stay as many as the live ones.
  WITH moved AS (DELETE FROM transfer_count_deltas RETURNING *),
  merged AS (
    INSERT INTO transfer_counts AS t (unit_id, measure, day, n)
    SELECT unit_id, measure, day, sum(n)::int FROM moved GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (unit_id, measure, day) DO UPDATE SET n = t.n + excluded.n
    RETURNING t.unit_id, t.measure, t.day, t.n
  )
  SELECT (SELECT count(*) FROM moved), array_agg(unit_id) FILTER (WHERE n = 0), array_agg(measure) FILTER (WHERE n = 0), array_agg(day) FILTER (WHERE n = 0)
  INTO transfer_moved, zero_units, zero_measures, zero_days FROM merged;
  IF zero_units IS NOT NULL THEN
    DELETE FROM transfer_counts t USING unnest(zero_units, zero_measures, zero_days) AS z(unit_id, measure, day)
    WHERE t.unit_id = z.unit_id AND t.measure = z.measure AND t.day = z.day AND t.n = 0;
  END IF;
  RETURN stat_moved + rollup_moved + transfer_moved;
END
$fn$;
