CREATE TABLE "stat_counts" (
	"unit_id" integer NOT NULL,
	"state" "record_state" NOT NULL,
	"school_type" varchar(3) NOT NULL,
	"ownership" varchar(8) NOT NULL,
	"dim" varchar(16) NOT NULL,
	"bucket" varchar(16) NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "stat_counts_unit_id_state_school_type_ownership_dim_bucket_pk" PRIMARY KEY("unit_id","state","school_type","ownership","dim","bucket")
);
--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "title_level" varchar(2);--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "school_type_code" varchar(3);--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "ownership" varchar(8);--> statement-breakpoint
UPDATE "teachers" t SET "school_type_code" = u."school_type_code", "ownership" = u."ownership"::text FROM "units" u WHERE u."id" = t."unit_id";--> statement-breakpoint
UPDATE "teachers" t SET "title_level" = e."level" FROM (SELECT "teacher_id", min("values"->>'title') AS "level" FROM "teacher_entries" WHERE "subset" = 'title' GROUP BY "teacher_id") e WHERE e."teacher_id" = t."id";--> statement-breakpoint
-- The statistics buckets of one teacher row: one per dimension.
CREATE FUNCTION "teacher_stat_buckets"(gender text, birth_date date, highest_education text, title_level text, ethnic_group text, on_establishment boolean, personnel_status text)
RETURNS TABLE (dim text, bucket text) LANGUAGE sql IMMUTABLE AS $fn$
  VALUES
    ('total', ''),
    ('gender', gender),
    ('birth', gender || ':' || extract(year FROM birth_date)::int),
    ('education', coalesce(highest_education, '')),
    ('title', coalesce(title_level, '')),
    ('ethnic', CASE WHEN ethnic_group IS NULL THEN '' WHEN ethnic_group = '01' THEN 'han' ELSE 'minority' END),
    ('establishment', CASE WHEN on_establishment THEN '1' ELSE '0' END),
    ('status', coalesce(personnel_status, ''))
$fn$;--> statement-breakpoint
-- The statement that adds rows of teachers (sign +1) or removes them (sign -1) for every authority on
-- each row's path (not the school itself: a school's few hundred teachers are counted directly). `source` is a query answering (sign, teachers.*). Transition tables are visible only to the
-- trigger function itself, so this answers the SQL text and the trigger executes it.
CREATE FUNCTION "stat_counts_add_sql"(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO stat_counts AS s (unit_id, state, school_type, ownership, dim, bucket, n)
    SELECT anc.id, c.record_state, coalesce(c.school_type_code, ''), coalesce(c.ownership, ''), d.dim, d.bucket, sum(c.sign)::int
    FROM (%s) c
    CROSS JOIN LATERAL unnest((string_to_array(c.unit_path::text, '.')::int[])[1:nlevel(c.unit_path) - 1]) AS anc(id)
    CROSS JOIN LATERAL teacher_stat_buckets(c.gender, c.birth_date, c.highest_education, c.title_level, c.ethnic_group, c.on_establishment, c.personnel_status) AS d
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(c.sign) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (unit_id, state, school_type, ownership, dim, bucket) DO UPDATE SET n = s.n + excluded.n
  $q$, source)
$fn$;--> statement-breakpoint
-- The statement trigger on teachers: whatever wrote the rows, the counts follow in the same transaction.
CREATE FUNCTION "teacher_stats_apply"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE stat_counts_add_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows'
  END);
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE TRIGGER "teachers_stats_insert" AFTER INSERT ON "teachers" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "teacher_stats_apply"();--> statement-breakpoint
CREATE TRIGGER "teachers_stats_update" AFTER UPDATE ON "teachers" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "teacher_stats_apply"();--> statement-breakpoint
CREATE TRIGGER "teachers_stats_delete" AFTER DELETE ON "teachers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "teacher_stats_apply"();--> statement-breakpoint
-- Existing teachers, counted once.
DO $do$ BEGIN EXECUTE stat_counts_add_sql('SELECT 1 AS sign, * FROM teachers'); END $do$;
