ALTER TABLE "teachers" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "id_number_hash" varchar(64);--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "id_number_enc" text;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "id_number_masked" varchar(40);--> statement-breakpoint
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_id_number_hash_key" UNIQUE("id_number_hash");--> statement-breakpoint
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_id_number_stored" CHECK ("teachers"."id_number" is not null or ("teachers"."id_number_hash" is not null and "teachers"."id_number_enc" is not null and "teachers"."id_number_masked" is not null));