CREATE TABLE "unit_rollup_deltas" (
	"unit_id" integer NOT NULL,
	"authorities" integer DEFAULT 0 NOT NULL,
	"schools" integer DEFAULT 0 NOT NULL,
	"closed_schools" integer DEFAULT 0 NOT NULL,
	"institutions" integer DEFAULT 0 NOT NULL,
	"accounts" integer DEFAULT 0 NOT NULL,
	"teachers" integer DEFAULT 0 NOT NULL,
	"records_complete" integer DEFAULT 0 NOT NULL,
	"records_submitted" integer DEFAULT 0 NOT NULL,
	"records_effective" integer DEFAULT 0 NOT NULL,
	"records_returned" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stat_count_deltas" (
	"unit_id" integer NOT NULL,
	"state" "record_state" NOT NULL,
	"school_type" varchar(3) NOT NULL,
	"ownership" varchar(8) NOT NULL,
	"serving" boolean DEFAULT true NOT NULL,
	"dim" varchar(16) NOT NULL,
	"bucket" varchar(16) NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "unit_rollup_deltas_unit_idx" ON "unit_rollup_deltas" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "stat_count_deltas_unit_idx" ON "stat_count_deltas" USING btree ("unit_id");--> statement-breakpoint
-- Hot rows: every approval used to update the ministry's, its province's and its city's rows in stat_counts and
-- unit_rollups inside its transaction, so concurrent approvers queued on them. Writers now append their deltas
-- (plain inserts, no row is shared), readers sum folded rows and pending deltas, and fold_aggregate_deltas()
-- moves the deltas into the folded rows in one transaction, so every reader's snapshot stays exact.
-- Rows live for seconds: vacuumed by count, not by the tables' size, and never truncated (truncating takes an exclusive
-- lock that would stop the writers' inserts for a moment).
ALTER TABLE "stat_count_deltas" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000, vacuum_truncate = false);--> statement-breakpoint
ALTER TABLE "unit_rollup_deltas" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000, vacuum_truncate = false);--> statement-breakpoint
CREATE VIEW "stat_parts" AS
  SELECT unit_id, state, school_type, ownership, serving, dim, bucket, n FROM stat_counts
  UNION ALL
  SELECT unit_id, state, school_type, ownership, serving, dim, bucket, n FROM stat_count_deltas;--> statement-breakpoint
CREATE VIEW "unit_rollup_parts" AS
  SELECT unit_id, authorities, schools, closed_schools, institutions, accounts, teachers, records_complete, records_submitted, records_effective, records_returned FROM unit_rollups
  UNION ALL
  SELECT unit_id, authorities, schools, closed_schools, institutions, accounts, teachers, records_complete, records_submitted, records_effective, records_returned FROM unit_rollup_deltas;--> statement-breakpoint
-- The statement trigger's SQL (migrations 0004, 0015) now appends: no ON CONFLICT, no lock on a shared row.
CREATE OR REPLACE FUNCTION "stat_counts_add_sql"(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO stat_count_deltas (unit_id, state, school_type, ownership, serving, dim, bucket, n)
    SELECT anc.id, c.record_state, coalesce(c.school_type_code, ''), coalesce(c.ownership, ''), coalesce(c.personnel_status, '') NOT LIKE '3%%', d.dim, d.bucket, sum(c.sign)::int
    FROM (%s) c
    CROSS JOIN LATERAL unnest((string_to_array(c.unit_path::text, '.')::int[])[1:nlevel(c.unit_path) - 1]) AS anc(id)
    CROSS JOIN LATERAL teacher_stat_buckets(c.gender, c.birth_date, c.highest_education, c.title_level, c.ethnic_group, c.on_establishment, c.personnel_status) AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.sign) <> 0
  $q$, source)
$fn$;--> statement-breakpoint
-- Moves every committed delta into the folded rows, in one transaction: a reader sees either the delta or its
-- folded sum, never both or neither. One folder at a time (the others return at once); writers never wait on it.
-- Answers the number of delta rows folded.
CREATE FUNCTION "fold_aggregate_deltas"() RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  stat_moved integer;
  rollup_moved integer;
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
  RETURN stat_moved + rollup_moved;
END
$fn$;
