ALTER TABLE "accounts" DROP COLUMN "failed_login_count";--> statement-breakpoint
ALTER TABLE "accounts" DROP COLUMN "locked_until";
--> statement-breakpoint
-- The audit log is append-only for the application: no UPDATE, no TRUNCATE, and DELETE only of rows
-- past the retention period (183 days) by the archiving command, which sets tmis.audit_purge.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('tmis.audit_purge', true) = 'on' AND OLD.occurred_at < now() - interval '183 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '审计日志只能追加，不能修改或删除 (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$fn$;--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only_rows" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();--> statement-breakpoint
CREATE FUNCTION "audit_seals_append_only"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('tmis.audit_purge', true) = 'on' AND OLD.day < current_date - 183 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '审计封存记录只能追加，不能修改或删除 (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$fn$;--> statement-breakpoint
CREATE TRIGGER "audit_seals_append_only_rows" BEFORE UPDATE OR DELETE ON "audit_seals" FOR EACH ROW EXECUTE FUNCTION "audit_seals_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_seals_append_only_truncate" BEFORE TRUNCATE ON "audit_seals" FOR EACH STATEMENT EXECUTE FUNCTION "audit_seals_append_only"();
