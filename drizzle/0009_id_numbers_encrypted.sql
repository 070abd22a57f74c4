ALTER TABLE "teachers" DROP CONSTRAINT "teachers_id_number_key";--> statement-breakpoint
ALTER TABLE "teachers" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "id_number_hash" varchar(64);--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "id_number_enc" text;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "id_number_masked" varchar(40);--> statement-breakpoint
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_id_number_hash_key" UNIQUE("id_number_hash");--> statement-breakpoint
-- Every row holds its ID number either sealed (hash, ciphertext, mask) or, until sealLegacyIdNumbers runs at start, in the legacy column.
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_id_number_stored" CHECK ("id_number" IS NOT NULL OR ("id_number_hash" IS NOT NULL AND "id_number_enc" IS NOT NULL AND "id_number_masked" IS NOT NULL));
