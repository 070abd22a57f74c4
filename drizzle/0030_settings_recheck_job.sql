ALTER TABLE "indicator_settings" ADD COLUMN "recheck_job_id" uuid;--> statement-breakpoint
ALTER TABLE "indicator_settings" ADD COLUMN "recheck_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_settings" ADD COLUMN "recheck_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_settings" ADD COLUMN "recheck_finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "indicator_settings" ADD CONSTRAINT "indicator_settings_recheck_job_key" UNIQUE("recheck_job_id");--> statement-breakpoint
-- Versions saved before the re-check was queued were re-checked in their own transaction.
UPDATE "indicator_settings" SET "recheck_finished_at" = "created_at";
