ALTER TYPE "public"."import_job_status" ADD VALUE 'interrupted';--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "heartbeat_at" timestamp with time zone;