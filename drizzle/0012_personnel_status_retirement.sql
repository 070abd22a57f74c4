-- Statutory retirement under the 2025 rules (lib/mobility/retirement.ts is its twin; a test holds them equal):
-- original age 60 for men, for women 55 (50 on 工勤技能 posts, post category 4); one month of delay per
-- 4 months (2 for the age of 50) born after the base month, capped at 36 months (60).
CREATE FUNCTION "statutory_retirement_month"(birth date, gender text, post_category text) RETURNS date LANGUAGE sql IMMUTABLE AS $fn$
  SELECT make_date((m / 12)::int, (m % 12)::int + 1, 1)
  FROM (
    SELECT born + original * 12 + CASE WHEN born <= base THEN 0 ELSE least(ceil((born - base)::numeric / step)::int, cap) END AS m
    FROM (
      SELECT o.original, extract(year FROM birth)::int * 12 + extract(month FROM birth)::int - 1 AS born,
        CASE o.original WHEN 60 THEN 1964 * 12 + 11 WHEN 55 THEN 1969 * 12 + 11 ELSE 1974 * 12 + 11 END AS base,
        CASE o.original WHEN 50 THEN 2 ELSE 4 END AS step,
        CASE o.original WHEN 50 THEN 60 ELSE 36 END AS cap
      FROM (SELECT CASE WHEN gender = '1' THEN 60 WHEN post_category = '4' THEN 50 ELSE 55 END AS original) o
    ) r
    WHERE birth IS NOT NULL
  ) x
$fn$;--> statement-breakpoint
ALTER TABLE "teachers" ALTER COLUMN "personnel_status" SET DATA TYPE varchar(3);--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "retirement_override" date;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "retirement_month" date GENERATED ALWAYS AS (coalesce(retirement_override, statutory_retirement_month(birth_date, gender, post_category))) STORED;--> statement-breakpoint
CREATE INDEX "teachers_retirement_idx" ON "teachers" USING btree ("retirement_month","id") WHERE personnel_status is null or personnel_status not like '3%';
--> statement-breakpoint
-- 人员状态: the project's earlier 2-digit codes become the national 3-digit ones (lib/mobility/status.ts, legacyStatusCodes).
CREATE TEMP TABLE "status_code_map" (old varchar(2) PRIMARY KEY, new varchar(3) NOT NULL) ON COMMIT DROP;--> statement-breakpoint
INSERT INTO "status_code_map" VALUES ('01', '100'), ('02', '201'), ('03', '202'), ('04', '203'), ('05', '204'), ('06', '205'), ('07', '206'), ('08', '207'), ('09', '208'), ('10', '209'), ('11', '210'), ('12', '211'), ('13', '307'), ('14', '301'), ('15', '303'), ('16', '299');--> statement-breakpoint
-- The statistics trigger moves each row's status bucket with it.
UPDATE "teachers" t SET "personnel_status" = m.new,
  "record" = CASE WHEN t.record #>> '{basic,personnelStatus}' = m.old THEN jsonb_set(t.record, '{basic,personnelStatus}', to_jsonb(m.new)) ELSE t.record END
  FROM "status_code_map" m WHERE t.personnel_status = m.old;--> statement-breakpoint
UPDATE "teachers" t SET "record" = jsonb_set(t.record, '{basic,personnelStatus}', to_jsonb(m.new))
  FROM "status_code_map" m WHERE t.record #>> '{basic,personnelStatus}' = m.old;--> statement-breakpoint
UPDATE "teacher_versions" v SET "snapshot" = jsonb_set(v.snapshot, '{record,basic,personnelStatus}', to_jsonb(m.new))
  FROM "status_code_map" m WHERE v.snapshot #>> '{record,basic,personnelStatus}' = m.old;--> statement-breakpoint
UPDATE "teacher_versions" v SET "diff" = (
    SELECT jsonb_agg(CASE WHEN e->>'field' = 'personnelStatus' THEN e || jsonb_build_object(
      'oldValue', coalesce((SELECT to_jsonb(new) FROM "status_code_map" WHERE old = e->>'oldValue'), e->'oldValue'),
      'newValue', coalesce((SELECT to_jsonb(new) FROM "status_code_map" WHERE old = e->>'newValue'), e->'newValue')) ELSE e END ORDER BY n)
    FROM jsonb_array_elements(v.diff) WITH ORDINALITY AS d(e, n))
  WHERE jsonb_typeof(v.diff) = 'array' AND jsonb_array_length(v.diff) > 0 AND v.diff @> '[{"field": "personnelStatus"}]';--> statement-breakpoint
UPDATE "teacher_field_changes" c SET
  "old_value" = coalesce((SELECT to_jsonb(new) FROM "status_code_map" WHERE old = c.old_value #>> '{}'), c.old_value),
  "new_value" = coalesce((SELECT to_jsonb(new) FROM "status_code_map" WHERE old = c.new_value #>> '{}'), c.new_value)
  WHERE c.field = 'personnelStatus';--> statement-breakpoint
UPDATE "change_requests" r SET "diff" = (
    SELECT jsonb_agg(CASE WHEN e->>'field' = 'personnelStatus' THEN e || jsonb_build_object(
      'oldValue', coalesce((SELECT to_jsonb(new) FROM "status_code_map" WHERE old = e->>'oldValue'), e->'oldValue'),
      'newValue', coalesce((SELECT to_jsonb(new) FROM "status_code_map" WHERE old = e->>'newValue'), e->'newValue')) ELSE e END ORDER BY n)
    FROM jsonb_array_elements(r.diff) WITH ORDINALITY AS d(e, n))
  WHERE jsonb_typeof(r.diff) = 'array' AND jsonb_array_length(r.diff) > 0 AND r.diff @> '[{"field": "personnelStatus"}]';
