ALTER TABLE "training_rules" ADD COLUMN "applied_at" timestamp with time zone;--> statement-breakpoint
-- Versions already in force were applied when they were saved.
UPDATE "training_rules" SET "applied_at" = "created_at" WHERE "effective_from" <= current_date;
