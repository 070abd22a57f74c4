ALTER TABLE "stat_counts" ADD COLUMN "serving" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_counts" DROP CONSTRAINT "stat_counts_unit_id_state_school_type_ownership_dim_bucket_pk";--> statement-breakpoint
ALTER TABLE "stat_counts" ADD CONSTRAINT "stat_counts_unit_id_state_school_type_ownership_serving_dim_bucket_pk" PRIMARY KEY("unit_id","state","school_type","ownership","serving","dim","bucket");--> statement-breakpoint
-- The statement trigger's SQL (migration 0004) gains the serving key: 人员状态 not 3xx.
CREATE OR REPLACE FUNCTION "stat_counts_add_sql"(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO stat_counts AS s (unit_id, state, school_type, ownership, serving, dim, bucket, n)
    SELECT anc.id, c.record_state, coalesce(c.school_type_code, ''), coalesce(c.ownership, ''), coalesce(c.personnel_status, '') NOT LIKE '3%%', d.dim, d.bucket, sum(c.sign)::int
    FROM (%s) c
    CROSS JOIN LATERAL unnest((string_to_array(c.unit_path::text, '.')::int[])[1:nlevel(c.unit_path) - 1]) AS anc(id)
    CROSS JOIN LATERAL teacher_stat_buckets(c.gender, c.birth_date, c.highest_education, c.title_level, c.ethnic_group, c.on_establishment, c.personnel_status) AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.sign) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (unit_id, state, school_type, ownership, serving, dim, bucket) DO UPDATE SET n = s.n + excluded.n
  $q$, source)
$fn$;--> statement-breakpoint
-- Counted again, now split by serving.
DELETE FROM "stat_counts";--> statement-breakpoint
DO $do$ BEGIN EXECUTE stat_counts_add_sql('SELECT 1 AS sign, * FROM teachers'); END $do$;
