CREATE TABLE "password_policies" (
	"scope_unit_id" integer PRIMARY KEY NOT NULL,
	"max_age_days" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "password_policies" ADD CONSTRAINT "password_policies_scope_unit_id_units_id_fk" FOREIGN KEY ("scope_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;