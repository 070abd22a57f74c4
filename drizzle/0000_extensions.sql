-- drizzle-kit never emits CREATE EXTENSION; the schema below needs both.
CREATE EXTENSION IF NOT EXISTS ltree;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
