-- After review of 0026: 学位 and 岗位类别 are bucketed from the columns the combined query filters on (a load that fills
-- only the columns agreed with the query but not with the buckets); a 政治面貌 held twice in a record counts once; values
-- read from the record are cut to the bucket's width, so a malformed value cannot stop writes to teachers. The three
-- dimensions are counted again. Writers wait while this runs, so no write is counted under the old function.
LOCK TABLE teachers IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
DROP FUNCTION "teacher_stat_buckets"(text, date, text, text, text, boolean, text, jsonb);--> statement-breakpoint
CREATE FUNCTION "teacher_stat_buckets"(gender text, birth_date date, highest_education text, title_level text, ethnic_group text, on_establishment boolean, personnel_status text, highest_degree text, post_category text, basic jsonb)
RETURNS TABLE (dim text, bucket text) LANGUAGE sql IMMUTABLE AS $fn$
  VALUES
    ('total', ''),
    ('gender', gender),
    ('birth', gender || ':' || extract(year FROM birth_date)::int),
    ('education', coalesce(highest_education, '')),
    ('title', coalesce(title_level, '')),
    ('ethnic', CASE WHEN ethnic_group IS NULL THEN '' WHEN ethnic_group = '01' THEN 'han' ELSE 'minority' END),
    ('establishment', CASE WHEN on_establishment THEN '1' ELSE '0' END),
    ('status', coalesce(personnel_status, '')),
    ('degree', coalesce(highest_degree, '')),
    ('staff_category', left(coalesce(basic->>'staffCategory', ''), 16)),
    ('post', coalesce(post_category, '')),
    ('employment', left(coalesce(basic->>'employmentForm', ''), 16)),
    ('key_teacher', left(coalesce(basic->>'keyTeacherLevel', ''), 16)),
    ('normal_graduate', left(coalesce(basic->>'teacherTrainingGraduate', ''), 16))
  UNION ALL
  SELECT DISTINCT 'political', left(status, 16) FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(basic->'politicalStatus') = 'array' THEN basic->'politicalStatus' ELSE '[]'::jsonb END) AS held(status)
  UNION ALL
  SELECT * FROM (VALUES ('ft_education', coalesce(highest_education, '')), ('ft_title', coalesce(title_level, ''))) AS full_time(dim, bucket)
  WHERE basic->>'staffCategory' = '01'
$fn$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "stat_counts_add_sql"(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO stat_count_deltas (unit_id, state, school_type, ownership, serving, dim, bucket, n)
    SELECT anc.id, c.record_state, coalesce(c.school_type_code, ''), coalesce(c.ownership, ''), coalesce(c.personnel_status, '') NOT LIKE '3%%', d.dim, d.bucket, sum(c.sign)::int
    FROM (%s) c
    CROSS JOIN LATERAL unnest((string_to_array(c.unit_path::text, '.')::int[])[1:nlevel(c.unit_path) - 1]) AS anc(id)
    CROSS JOIN LATERAL teacher_stat_buckets(c.gender, c.birth_date, c.highest_education, c.title_level, c.ethnic_group, c.on_establishment, c.personnel_status, c.highest_degree, c.post_category, c.record->'basic') AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.sign) <> 0
  $q$, source)
$fn$;--> statement-breakpoint
DELETE FROM stat_count_deltas WHERE dim IN ('degree', 'post', 'political');--> statement-breakpoint
DELETE FROM stat_counts WHERE dim IN ('degree', 'post', 'political');--> statement-breakpoint
INSERT INTO stat_counts (unit_id, state, school_type, ownership, serving, dim, bucket, n)
SELECT anc.id, t.record_state, coalesce(t.school_type_code, ''), coalesce(t.ownership, ''), coalesce(t.personnel_status, '') NOT LIKE '3%', d.dim, d.bucket, count(*)::int
FROM teachers t
CROSS JOIN LATERAL unnest((string_to_array(t.unit_path::text, '.')::int[])[1:nlevel(t.unit_path) - 1]) AS anc(id)
CROSS JOIN LATERAL teacher_stat_buckets(t.gender, t.birth_date, t.highest_education, t.title_level, t.ethnic_group, t.on_establishment, t.personnel_status, t.highest_degree, t.post_category, t.record->'basic') AS d
WHERE d.dim IN ('degree', 'post', 'political')
GROUP BY 1, 2, 3, 4, 5, 6, 7;
