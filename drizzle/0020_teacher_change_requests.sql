ALTER TYPE "public"."change_request_state" ADD VALUE 'pending_school' BEFORE 'pending';--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "school_reviewed_by" integer;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "school_reviewed_by_name" text;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "school_reviewed_at" timestamp with time zone;