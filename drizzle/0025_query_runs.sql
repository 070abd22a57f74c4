CREATE TYPE "public"."query_run_status" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "query_run_hits" (
	"run_id" uuid NOT NULL,
	"teacher_id" integer NOT NULL,
	CONSTRAINT "query_run_hits_run_id_teacher_id_pk" PRIMARY KEY("run_id","teacher_id")
);
--> statement-breakpoint
CREATE TABLE "query_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"params_key" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" "query_run_status" DEFAULT 'queued' NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"matched" integer,
	"attempts" integer DEFAULT 0 NOT NULL,
	"message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "query_run_hits" ADD CONSTRAINT "query_run_hits_run_id_query_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."query_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "query_runs_account_idx" ON "query_runs" USING btree ("account_id","params_key","created_at");